#include "core/feed_cursor.hpp"

#include "core/decimal.hpp"
#include "core/digest.hpp"

namespace optgate {

std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_feed_cursor(std::string_view text) {
    const auto dash = text.find('-');
    const auto ms = parse_decimal(text.substr(0, dash));
    if (!ms) return std::nullopt;
    if (dash == std::string_view::npos) return std::pair{*ms, std::uint64_t{0}};
    const auto n = parse_decimal(text.substr(dash + 1));
    if (!n) return std::nullopt;
    return std::pair{*ms, *n};
}

bool feed_cursor_valid(std::string_view text) {
    return text == "end" || parse_feed_cursor(text).has_value();
}

bool feed_cursor_before(std::string_view a, std::string_view b) {
    return parse_feed_cursor(a) < parse_feed_cursor(b);
}

std::string feed_change_id(const audit_entry& e) {
    std::string key = e.address;
    for (const auto& part : {std::string(to_string(e.channel)), e.program, e.dedupe_key}) {
        key.push_back('\n');
        key += part;
    }
    return to_hex(sha1(key));
}

}  // namespace optgate
