// Mailgun's webhook signature: lower-case hex of HMAC-SHA256 keyed with the account's HTTP
// webhook signing key, over signature.timestamp followed by signature.token. The body itself
// is not signed: the route refuses a token it has seen before (replay_guard).
#pragma once

#include <string>
#include <string_view>

namespace optgate {

std::string mailgun_signature(std::string_view signing_key, std::string_view timestamp,
                              std::string_view token);

// Compared in constant time: the time taken says nothing about how much of it matched.
bool verify_mailgun_signature(std::string_view signing_key, std::string_view timestamp,
                              std::string_view token, std::string_view presented);

}  // namespace optgate
