#include "core/api_key.hpp"

#include <algorithm>

#include "core/digest.hpp"

namespace optgate {

std::string_view to_string(role r) {
    switch (r) {
        case role::check:
            return "check";
        case role::admin:
            return "admin";
        case role::audit:
            return "audit";
        case role::feed:
            return "feed";
    }
    return "check";
}

std::optional<role> parse_role(std::string_view text) {
    for (auto r : {role::check, role::admin, role::audit, role::feed})
        if (to_string(r) == text) return r;
    return std::nullopt;
}

bool api_key::has(role r) const {
    return std::find(roles.begin(), roles.end(), r) != roles.end();
}

const api_key* authenticate(const std::vector<api_key>& keys, std::string_view presented) {
    if (presented.empty()) return nullptr;
    const std::string hash = to_hex(sha256(presented));
    const api_key* match = nullptr;
    for (const auto& k : keys)
        if (constant_time_equal(k.sha256_hex, hash) && !match) match = &k;
    return match;
}

std::optional<std::string_view> bearer_token(std::string_view header) {
    constexpr std::string_view scheme = "Bearer ";
    if (header.size() <= scheme.size()) return std::nullopt;
    // ASCII case folding of the letters only: "| 0x20" alone would also take NUL for the space.
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if (lower(header[i]) != lower(scheme[i])) return std::nullopt;
    auto token = header.substr(scheme.size());
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    if (token.empty()) return std::nullopt;
    return token;
}

}  // namespace optgate
