#include "ctl/check_results_reader.hpp"

#include <boost/json/basic_parser_impl.hpp>

namespace optgate::ctl {

namespace json = boost::json;
using boost::system::error_code;

// Depth 1 is the reply object, 2 the "results" array or the "error" object, 3 one result.
struct check_results_reader::handler {
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_object_size = 64;
    static constexpr std::size_t max_string_size = 64 * 1024;
    static constexpr std::size_t max_key_size = 64;

    result_sink sink;
    int depth = 0;
    std::string key, text;
    check_result current;
    std::uint64_t allowed = 0, denied = 0;
    bool counted_allowed = false, counted_denied = false;  // a whole answer ends with both
    bool in_error = false;
    std::string error_message;

    explicit handler(result_sink s) : sink(std::move(s)) {}

    bool fail(error_code& ec) {
        ec = json::error::syntax;
        return false;
    }
    bool on_document_begin(error_code&) { return true; }
    bool on_document_end(error_code&) { return true; }
    bool on_array_begin(error_code& ec) {
        if (depth != 1 || key != "results") return fail(ec);
        ++depth;
        return true;
    }
    bool on_array_end(std::size_t, error_code&) {
        --depth;
        return true;
    }
    bool on_object_begin(error_code& ec) {
        if (depth == 1 && key == "error") {
            in_error = true;
            ++depth;
            return true;
        }
        if (depth != 0 && depth != 2) return fail(ec);
        if (++depth == 3) current = {};
        return true;
    }
    bool on_object_end(std::size_t, error_code&) {
        if (depth-- == 3) sink(current);
        if (in_error && depth == 1) {
            in_error = false;
            if (error_message.empty()) error_message = "an error without a message";
        }
        return true;
    }
    // A key or string may come in parts; `n` counts every part so far, this one included.
    bool on_key_part(json::string_view s, std::size_t n, error_code&) {
        if (n == s.size()) key.clear();
        key.append(s.data(), s.size());
        return true;
    }
    bool on_key(json::string_view s, std::size_t n, error_code& ec) {
        return on_key_part(s, n, ec);
    }
    bool on_string_part(json::string_view s, std::size_t n, error_code&) {
        if (n == s.size()) text.clear();
        text.append(s.data(), s.size());
        return true;
    }
    bool on_string(json::string_view s, std::size_t n, error_code& ec) {
        on_string_part(s, n, ec);
        if (in_error && key == "message") error_message = std::move(text);
        if (depth != 3) return true;
        if (key == "input")
            current.input = std::move(text);
        else if (key == "address")
            current.address = std::move(text);
        else if (key == "state")
            current.state = std::move(text);
        else if (key == "reason")
            current.reason = std::move(text);
        else if (key == "since")
            current.since = std::move(text);
        else if (key == "source")
            current.source = std::move(text);
        text.clear();
        return true;
    }
    bool on_number_part(json::string_view, error_code&) { return true; }
    bool on_int64(std::int64_t i, json::string_view, error_code& ec) {
        return on_uint64(i < 0 ? 0 : std::uint64_t(i), {}, ec);
    }
    bool on_uint64(std::uint64_t u, json::string_view, error_code&) {
        if (depth == 1 && key == "allowed") allowed = u, counted_allowed = true;
        if (depth == 1 && key == "denied") denied = u, counted_denied = true;
        return true;
    }
    bool on_double(double, json::string_view, error_code&) { return true; }
    bool on_bool(bool b, error_code&) {
        if (depth == 3 && key == "allowed") current.allowed = b;
        return true;
    }
    bool on_null(error_code&) { return true; }
    bool on_comment_part(json::string_view, error_code& ec) { return fail(ec); }
    bool on_comment(json::string_view, error_code& ec) { return fail(ec); }
};

struct check_results_reader::parser {
    json::basic_parser<handler> json;
    bool failed = false;
    explicit parser(result_sink sink) : json(json::parse_options{}, std::move(sink)) {}
};

check_results_reader::check_results_reader(result_sink sink)
    : parser_(std::make_unique<parser>(std::move(sink))) {}

check_results_reader::~check_results_reader() = default;

bool check_results_reader::write(std::string_view piece) {
    if (parser_->failed) return false;
    error_code ec;
    parser_->json.write_some(true, piece.data(), piece.size(), ec);
    parser_->failed = bool(ec);
    return !parser_->failed;
}

bool check_results_reader::finish() {
    if (parser_->failed) return false;
    error_code ec;
    parser_->json.write_some(false, nullptr, 0, ec);
    const auto& h = parser_->json.handler();
    parser_->failed = bool(ec) || !parser_->json.done() || !h.error_message.empty() ||
                      !h.counted_allowed || !h.counted_denied;
    return !parser_->failed;
}

std::uint64_t check_results_reader::allowed() const {
    return parser_->json.handler().allowed;
}

std::uint64_t check_results_reader::denied() const {
    return parser_->json.handler().denied;
}

const std::string& check_results_reader::error_message() const {
    return parser_->json.handler().error_message;
}

}  // namespace optgate::ctl
