// API keys for the broadcast and administration API: the config holds the sha256 of each
// key and its roles; a request presents the key itself as a bearer token.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace optgate {

enum class role { check, admin, audit, feed };

std::string_view to_string(role r);
std::optional<role> parse_role(std::string_view text);

struct api_key {
    std::string name;
    std::string sha256_hex;  // lower-case hex of sha256(key)
    std::vector<role> roles;
    bool has(role r) const;
};

// The configured key whose hash matches the presented key, or nullptr. Every configured
// hash is compared, in constant time, so timing tells nothing about which one matched.
const api_key* authenticate(const std::vector<api_key>& keys, std::string_view presented);

// "Bearer <key>" -> "<key>"; nullopt for any other scheme or an empty key.
std::optional<std::string_view> bearer_token(std::string_view authorization_header);

}  // namespace optgate
