#include "tests/support/sendgrid_webhook.hpp"

#include <gtest/gtest.h>

#include "tests/support/api_reply.hpp"

namespace optgate::testing::sendgrid {

std::string provider_yaml(const p256_test_key& key) {
    return "  sendgrid: { public_key: \"" + key.public_key_base64() + "\" }\n";
}

json::object event(std::string_view type, std::string_view email, std::string_view id,
                   std::int64_t timestamp, std::optional<std::int64_t> group) {
    json::object e{{"email", email},
                   {"timestamp", timestamp},
                   {"event", type},
                   {"sg_event_id", id},
                   {"sg_message_id", "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"},
                   {"category", json::array{"newsletter"}},
                   {"smtp-id", "<14c5d75ce93.dfd.64b469@ismtpd-555>"}};
    if (group) e["asm_group_id"] = *group;
    return e;
}

http_call signed_post(const p256_test_key& key, const std::string& body, std::int64_t signed_at) {
    http_call call;
    call.method = "POST";
    call.target = path;
    call.body = body;
    const std::string timestamp = std::to_string(signed_at);
    call.headers["Content-Type"] = "application/json";
    call.headers["X-Twilio-Email-Event-Webhook-Timestamp"] = timestamp;
    call.headers["X-Twilio-Email-Event-Webhook-Signature"] = key.sign(timestamp, body);
    return call;
}

void expect_accepted(const http_result& result, std::size_t events, std::size_t consent_events,
                     std::size_t skipped) {
    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(header_of(result, "content-type"), "application/json");
    const auto body = parse_json(result.body);
    ASSERT_TRUE(body.is_object()) << result.body;
    EXPECT_EQ(value_of(body.as_object(), "events"), json::value(events)) << result.body;
    EXPECT_EQ(value_of(body.as_object(), "consent_events"), json::value(consent_events))
        << result.body;
    EXPECT_EQ(value_of(body.as_object(), "skipped"), json::value(skipped)) << result.body;
}

}  // namespace optgate::testing::sendgrid
