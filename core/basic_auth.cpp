#include "core/basic_auth.hpp"

#include <cctype>

#include "core/digest.hpp"

namespace optgate {
namespace {

bool starts_with_basic_scheme(std::string_view header) {
    constexpr std::string_view scheme = "basic";
    if (header.size() <= scheme.size() || header[scheme.size()] != ' ') return false;
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(header[i])) != scheme[i]) return false;
    return true;
}

}  // namespace

bool basic_auth_matches(std::string_view authorization, std::string_view username,
                        std::string_view password) {
    if (!starts_with_basic_scheme(authorization)) return false;
    std::string_view token = authorization.substr(5);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    const auto decoded = base64_decode(token);
    if (!decoded) return false;
    // RFC 7617: the user-id cannot contain a colon, the password can.
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) return false;
    const std::string_view presented(*decoded);
    const bool user_ok = constant_time_equal(presented.substr(0, colon), username);
    const bool password_ok = constant_time_equal(presented.substr(colon + 1), password);
    return user_ok && password_ok;
}

}  // namespace optgate
