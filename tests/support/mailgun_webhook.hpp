// Mailgun's webhooks as Mailgun delivers them, for e2e and tests/unit/http: the provider's
// config, `event-data` in Mailgun's shape and bodies signed with a test key as Mailgun signs
// them (hex HMAC-SHA256 over timestamp + token).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/timestamp.hpp"
#include "tests/support/http_client.hpp"

namespace optgate::testing::mailgun {

inline constexpr const char* path = "/webhooks/mailgun";
inline constexpr const char* signing_key = "test-mailgun-signing-key";

// The providers entry for default_test_config's `extra_providers`.
std::string provider_yaml();

// A 50-character token, distinct for each n, as Mailgun makes them.
std::string token(unsigned n);

// `event-data` as Mailgun sends it (fields that do not matter here included).
boost::json::object event_data(std::string_view type, std::string_view recipient,
                               std::string_view id, double timestamp);

// The body Mailgun posts: the signature over `signed_at` (Unix seconds) + token, with `key`.
std::string signed_body(const boost::json::object& data, const std::string& token,
                        std::int64_t signed_at, const std::string& key = signing_key);

// A JSON POST of `body` to the webhook.
http_call post(std::string body);

// Unix seconds with Mailgun's microsecond fraction.
double mailgun_time(epoch_ms t);

}  // namespace optgate::testing::mailgun
