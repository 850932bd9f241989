// SendGrid's Signed Event Webhook as SendGrid delivers it, for e2e and tests/unit/http: the
// provider's config with two groups mapped, events in SendGrid's shape, and batches signed
// with a P-256 key made in the test (p256_test_key).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tests/support/http_client.hpp"
#include "tests/support/p256_test_key.hpp"

namespace optgate::testing::sendgrid {

inline constexpr const char* path = "/webhooks/sendgrid";

// Top-level YAML for default_test_config's `extra`: two groups mapped, as an operator maps
// SendGrid's unsubscribe groups to programs.
inline constexpr const char* email_config =
    "email:\n"
    "  unsubscribe_programs: [district]\n"
    "  groups: { \"4101\": district, \"4102\": emergency }\n";

// The providers entry for default_test_config's `extra_providers`, verifying with `key`.
std::string provider_yaml(const p256_test_key& key);

// An event with the fields SendGrid sends with every event, consent or not; `timestamp` in
// Unix seconds.
boost::json::object event(std::string_view type, std::string_view email, std::string_view id,
                          std::int64_t timestamp, std::optional<std::int64_t> group = std::nullopt);

// A delivery as SendGrid makes it: the body, signed with `key` over `signed_at` + body.
http_call signed_post(const p256_test_key& key, const std::string& body, std::int64_t signed_at);

// A 200 answer with the batch's counts.
void expect_accepted(const http_result& result, std::size_t events, std::size_t consent_events,
                     std::size_t skipped = 0);

}  // namespace optgate::testing::sendgrid
