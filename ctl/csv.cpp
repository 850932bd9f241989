#include "ctl/csv.hpp"

namespace optgate::ctl {
namespace {

constexpr int end_of_input = std::char_traits<char>::eof();

}  // namespace

csv_reader::csv_reader(std::istream& in) : in_(in.rdbuf()) {
    // Spreadsheet exports often start with a UTF-8 byte order mark: not part of the header.
    const std::string_view bom = "\xEF\xBB\xBF";
    if (peek() == static_cast<unsigned char>(bom[0])) {
        for (char c : bom) {
            if (peek() != static_cast<unsigned char>(c)) break;
            get();
        }
    }
}

int csv_reader::get() {
    const int c = in_->sbumpc();
    if (c == '\n') ++line_;
    return c;
}

int csv_reader::peek() {
    return in_->sgetc();
}

void csv_reader::skip_rest_of_line() {
    for (int c = get(); c != end_of_input && c != '\n'; c = get()) {
    }
}

std::optional<csv_record> csv_reader::next() {
    // Blank lines separate nothing: skip them.
    while (peek() == '\n' || peek() == '\r') get();
    if (peek() == end_of_input) return std::nullopt;
    csv_record record;
    record.line = line_;
    std::string field;
    for (;;) {
        int c = peek();
        if (c == '"') {
            get();
            for (;;) {
                c = get();
                if (c == end_of_input) {
                    record.error = "a quoted field is not closed";
                    return record;
                }
                if (c == '"') {
                    if (peek() != '"') break;
                    get();
                }
                field.push_back(static_cast<char>(c));
            }
            c = peek();
            if (c != ',' && c != '\r' && c != '\n' && c != end_of_input) {
                record.error = "text after the closing quote of a field";
                skip_rest_of_line();
                return record;
            }
        } else {
            while (c != ',' && c != '\r' && c != '\n' && c != end_of_input) {
                field.push_back(static_cast<char>(get()));
                c = peek();
            }
        }
        record.fields.push_back(std::move(field));
        field.clear();
        c = get();
        if (c == ',') continue;
        if (c == '\r' && peek() == '\n') get();
        return record;
    }
}

}  // namespace optgate::ctl
