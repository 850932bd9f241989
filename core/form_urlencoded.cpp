#include "core/form_urlencoded.hpp"

namespace optgate {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::string> decode_component(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out.push_back(' ');
        } else if (s[i] == '%') {
            if (i + 2 >= s.size()) return std::nullopt;
            const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(char(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

}  // namespace

std::optional<form_fields> parse_form_urlencoded(std::string_view body) {
    form_fields fields;
    while (!body.empty()) {
        const auto amp = body.find('&');
        const auto pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        auto name = decode_component(pair.substr(0, eq));
        auto value = decode_component(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
        if (!name || !value) return std::nullopt;
        fields.emplace_back(std::move(*name), std::move(*value));
    }
    return fields;
}

std::string form_urlencode(const form_fields& fields) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    auto put = [&](std::string_view s) {
        for (unsigned char c : s) {
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.' || c == '~') {
                out.push_back(char(c));
            } else {
                out.push_back('%');
                out.push_back(digits[c >> 4]);
                out.push_back(digits[c & 15]);
            }
        }
    };
    for (const auto& [name, value] : fields) {
        if (!out.empty()) out.push_back('&');
        put(name);
        out.push_back('=');
        put(value);
    }
    return out;
}

std::optional<std::string_view> form_value(const form_fields& fields, std::string_view name) {
    for (const auto& [n, v] : fields)
        if (n == name) return std::string_view(v);
    return std::nullopt;
}

}  // namespace optgate
