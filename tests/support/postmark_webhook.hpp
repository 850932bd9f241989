// Postmark's SubscriptionChange webhook as Postmark delivers it, for e2e and tests/unit/http:
// the provider's config, records in Postmark's documented shape, and posts with the basic
// auth credentials of the webhook URL.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "core/timestamp.hpp"
#include "tests/support/http_client.hpp"

namespace optgate::testing::postmark {

inline constexpr const char* path = "/webhooks/postmark";
inline constexpr const char* username = "postmark-hook";
inline constexpr const char* password = "test-postmark-password:with-colon";
inline constexpr const char* message_id = "883953f4-6105-42a2-a16a-77a8eac79483";

// The providers entry for default_test_config's `extra_providers`.
std::string provider_yaml();

// Postmark writes ChangedAt with microseconds: "2026-11-22T09:59:00.416071Z".
std::string postmark_time(epoch_ms t);

// A SubscriptionChange as Postmark posts it; `reason` null for most reactivations.
boost::json::object subscription_change(std::string_view recipient, bool suppress,
                                        boost::json::value reason, epoch_ms changed_at,
                                        boost::json::value id = boost::json::string(message_id),
                                        std::string_view origin = "Recipient");

// A JSON POST of `body` with these basic auth credentials.
http_call post(const std::string& body, const std::string& user = username,
               const std::string& pass = password);
http_call post(const boost::json::object& record);

}  // namespace optgate::testing::postmark
