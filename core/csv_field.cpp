#include "core/csv_field.hpp"

#include <algorithm>

namespace optgate {
namespace {

constexpr std::size_t max_e164_digits = 15;

bool is_e164(std::string_view field) {
    return field.size() >= 2 && field.size() <= 1 + max_e164_digits && field.front() == '+' &&
           std::all_of(field.begin() + 1, field.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool csv_field_runs_as_formula(std::string_view field) {
    const auto first = field.find_first_not_of(' ');
    if (first == std::string_view::npos) return false;
    switch (field[first]) {
        case '=':
        case '+':
        case '-':
        case '@':
        case '\t':
        case '\r':
        case '\n':
            return !is_e164(field);
        default:
            return false;
    }
}

void append_csv_field(std::string& out, std::string_view field, csv_quoting quoting) {
    const bool neutralise = csv_field_runs_as_formula(field);
    // Once neutralised the field starts with the quote mark, not with a space.
    const bool edge_space =
        !field.empty() && ((!neutralise && field.front() == ' ') || field.back() == ' ');
    const bool quote = quoting == csv_quoting::always || edge_space ||
                       field.find_first_of(",\"\r\n") != std::string_view::npos;
    if (quote) out.push_back('"');
    if (neutralise) out.push_back('\'');
    for (char c : field) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    if (quote) out.push_back('"');
}

}  // namespace optgate
