// The tokens of optgate's own one-click unsubscribe links: (email address, program), signed
// with a key derived from `unsubscribe_links.secret`, so that only optgate can issue them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/hmac_signer.hpp"

namespace optgate {

// What a link unsubscribes. The address travels in the token signed, not encrypted: a token
// is as personal as the address it carries and is never logged.
struct unsubscribe_target {
    std::string address;  // a normalised email address
    std::string program;
    friend bool operator==(const unsubscribe_target&, const unsubscribe_target&) = default;
};

// The format, version 1 (links never expire, so it never changes; a new one gets a new
// version byte):
//   base64url(payload) "." base64url(HMAC-SHA256(key, payload)), base64url without padding,
//   payload = 0x01, one byte: the program's length, the program, the address,
//   key = HMAC-SHA256(secret, "optgate unsubscribe link key v1").
inline constexpr char unsubscribe_token_version = 1;
inline constexpr std::size_t max_program_in_token = 255;
inline constexpr std::size_t max_address_in_token = 254;  // normalize_email's bound
// The longest token of that format; verification refuses anything longer before reading it.
inline constexpr std::size_t max_unsubscribe_token_payload =
    2 + max_program_in_token + max_address_in_token;
inline constexpr std::size_t max_unsubscribe_token_length =
    (4 * max_unsubscribe_token_payload + 2) / 3 + 1 + (4 * 32 + 2) / 3;

// Issues the tokens of one secret. The MAC key is derived and set up once: a broadcast
// system asks for hundreds of thousands of links at a time. Not thread-safe.
class unsubscribe_token_issuer {
  public:
    explicit unsubscribe_token_issuer(std::string_view secret);
    // The token of `target`; nullopt if it cannot have one: an address that is not a
    // normalised email address, or a program that is empty or longer than
    // max_program_in_token.
    std::optional<std::string> issue(const unsubscribe_target& target);

  private:
    hmac_signer signer_;
};

// Why a token was refused; none when it was accepted.
enum class token_problem { none, oversized, malformed, bad_signature, unknown_version };
std::string_view to_string(token_problem p);

struct token_verification {
    std::optional<unsubscribe_target> target;  // set exactly when problem is none
    token_problem problem = token_problem::none;
};

// Accepts only a token issued with this secret, byte for byte as issued (one text per
// target, so that a hash of the token identifies the link). Whether the program is still
// configured is the caller's to check.
token_verification verify_unsubscribe_token(std::string_view secret, std::string_view token);

}  // namespace optgate
