#include "core/form_urlencoded.hpp"

#include "core/percent_encoding.hpp"

namespace optgate {

std::optional<form_fields> parse_form_urlencoded(std::string_view body) {
    form_fields fields;
    while (!body.empty()) {
        const auto amp = body.find('&');
        const auto pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        auto name = percent_decode(pair.substr(0, eq), plus_means::space);
        auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1),
                                    plus_means::space);
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
