// Message digests and MACs used to authenticate callers (OpenSSL underneath), plus base64
// and a comparison that takes the same time whatever the inputs share.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace optgate {

std::string hmac_sha1(std::string_view key, std::string_view message);    // raw 20 bytes
std::string hmac_sha256(std::string_view key, std::string_view message);  // raw 32 bytes
std::string sha256(std::string_view message);                             // raw 32 bytes
std::string sha1(std::string_view message);                               // raw 20 bytes

std::string to_hex(std::string_view raw);
std::string base64_encode(std::string_view raw);
std::string base64url_encode(std::string_view raw);  // no padding
std::optional<std::string> base64_decode(std::string_view text);
std::optional<std::string> base64url_decode(std::string_view text);

bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace optgate
