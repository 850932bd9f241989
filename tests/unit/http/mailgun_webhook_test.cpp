// Mailgun's webhook in process: which events opt out and how they are dated, which requests
// are refused for good (406, never retried) and which may be retried (403), and that a token
// serves one request (SPEC "Email"). A signed unsubscribe into Redis, the token's lifetime
// there and Redis down: tests/e2e/mailgun_test.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "core/timestamp.hpp"
#include "tests/support/api_reply.hpp"
#include "tests/support/mailgun_webhook.hpp"
#include "tests/unit/http/route_harness.hpp"

namespace optgate::testing {
namespace {

using mailgun::event_data;
using mailgun::mailgun_time;
using mailgun::post;
using mailgun::token;
using ::testing::HasSubstr;

constexpr const char* jane = "jane.doe@example.org";

class MailgunWebhook : public ::testing::Test {
  protected:
    std::int64_t now_s() const { return api.now / 1000; }
    double a_minute_ago() const { return mailgun_time(api.now - 60'000); }
    // Signed now, with the test key.
    std::string signed_body(const json::object& data, const std::string& tok) const {
        return mailgun::signed_body(data, tok, now_s());
    }
    void expect_nothing_changed() const { expect_email_unchanged(api, {jane}); }

    route_harness api{{}, mailgun::provider_yaml()};
};

TEST_F(MailgunWebhook, AComplaintIsAnUnsubscribe) {
    const double acted = a_minute_ago();
    expect_webhook_status(
        api.request(post(signed_body(event_data("complained", jane, "evt-spam", acted), token(1)))),
        "journaled");
    const auto entry =
        expect_email_unsubscribed(api, jane, "mailgun", static_cast<epoch_ms>(acted * 1000));
    EXPECT_EQ(text_of(entry, "keyword"), "complained");
}

TEST_F(MailgunWebhook, AnUnsubscribeWithoutATimestampIsDatedAtItsReceipt) {
    // Refused with 406, it would never come back: Mailgun does not retry a 406.
    auto data = event_data("unsubscribed", jane, "evt-no-time", 0);
    data.erase("timestamp");
    const epoch_ms before = api.now;
    expect_webhook_status(api.request(post(signed_body(data, token(1)))), "journaled");
    const epoch_ms after = api.now;
    expect_email_unsubscribed(api, jane, "mailgun", before, after);
    EXPECT_THAT(api.log_text(), HasSubstr("has no readable timestamp; dated at its receipt"));
}

// SPEC rule 2: the event's time ten minutes ahead of optgate's clock (signature.timestamp is
// fresh): the unsubscribe is dated by its receipt, Mailgun's time kept beside it.
TEST_F(MailgunWebhook, AnUnsubscribeDatedAheadOfTheClockIsDatedAtItsReceipt) {
    const double ahead = mailgun_time(api.now + 10 * 60'000);
    const epoch_ms before = api.now;
    expect_webhook_status(api.request(post(signed_body(
                              event_data("unsubscribed", jane, "evt-ahead", ahead), token(1)))),
                          "journaled");
    expect_email_unsubscribed_at_receipt(api, jane, "mailgun", static_cast<epoch_ms>(ahead * 1000),
                                         before, api.now);
}

TEST_F(MailgunWebhook, OtherEventsChangeNothing) {
    unsigned n = 0;
    for (const char* type : {"accepted", "delivered", "opened", "clicked", "failed", "stored"})
        expect_webhook_status(
            api.request(post(signed_body(
                event_data(type, jane, std::string("evt-") + type, a_minute_ago()), token(++n)))),
            "ignored");
    expect_nothing_changed();
}

TEST_F(MailgunWebhook, ABadSignatureIsRefusedWith403AndChangesNothing) {
    const auto data = event_data("unsubscribed", jane, "evt-1", a_minute_ago());
    EXPECT_TRUE(
        is_error(api.request(post(mailgun::signed_body(data, token(1), now_s(), "another-key"))),
                 403, "bad_signature"));
    // A signature lifted from another request does not cover this token.
    auto body = json::parse(signed_body(data, token(2))).as_object();
    body["signature"].as_object()["token"] = token(3);
    EXPECT_TRUE(is_error(api.request(post(json::serialize(body))), 403, "bad_signature"));
    expect_nothing_changed();
    // The refused tokens were not used up: the genuine request with them is accepted.
    expect_webhook_status(api.request(post(signed_body(data, token(3)))), "journaled");
}

TEST_F(MailgunWebhook, ATimestampOutsideMailgunsRetryWindowIsRefusedWith403) {
    const auto data = event_data("unsubscribed", jane, "evt-1", a_minute_ago());
    const std::int64_t now = now_s();
    const auto refused =
        api.request(post(mailgun::signed_body(data, token(1), now - 9 * 3600 - 60)));
    EXPECT_TRUE(is_error(refused, 403, "stale_timestamp"));
    EXPECT_THAT(refused.body, HasSubstr("more than 9 h ago or 10 min ahead"));
    EXPECT_TRUE(is_error(api.request(post(mailgun::signed_body(data, token(2), now + 11 * 60))),
                         403, "stale_timestamp"));
    expect_nothing_changed();
    // Mailgun's last retry, 8 hours after the first attempt, with that attempt's signature.
    expect_webhook_status(
        api.request(post(mailgun::signed_body(data, token(3), now - 8 * 3600 - 5 * 60))),
        "journaled");
}

TEST_F(MailgunWebhook, AnIgnoredEventsTokenCannotCarryAForgedUnsubscribe) {
    const std::string body =
        signed_body(event_data("delivered", jane, "evt-delivered", a_minute_ago()), token(1));
    expect_webhook_status(api.request(post(body)), "ignored");
    auto forged = json::parse(body).as_object();
    forged["event-data"] =
        event_data("unsubscribed", "omar@example.org", "evt-forged", a_minute_ago());
    EXPECT_TRUE(is_error(api.request(post(json::serialize(forged))), 406, "replayed_token"));
    expect_email_unchanged(api, {jane, "omar@example.org"});
}

TEST_F(MailgunWebhook, TheSameEventRedeliveredWithANewTokenIsAuditedOnce) {
    const auto data = event_data("unsubscribed", jane, "evt-same", a_minute_ago());
    expect_webhook_status(api.request(post(signed_body(data, token(1)))), "journaled");
    expect_webhook_status(api.request(post(signed_body(data, token(2)))), "journaled");
    const auto audit = audit_entries(api);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(text_of(audit[0], "dedupe_key"), "mailgun:evt-same");
}

TEST_F(MailgunWebhook, RequestsThatCanNeverSucceedAreRefusedWith406) {
    for (const char* body : {"", "{", "[]", "\"text\"", "{\"signature\":{}}"})
        EXPECT_EQ(api.request(post(body)).status, 406) << body;
    EXPECT_TRUE(is_error(api.request(post("{")), 406, "malformed_json"));
    EXPECT_TRUE(is_error(api.request(post("{\"event-data\":{}}")), 406, "missing_fields"));
    // Signed, but event-data lacks what an unsubscribe needs, or names no valid recipient.
    auto no_data = json::parse(signed_body({}, token(1))).as_object();
    no_data.erase("event-data");
    EXPECT_TRUE(is_error(api.request(post(json::serialize(no_data))), 406, "missing_fields"));
    auto no_id = event_data("unsubscribed", jane, "", a_minute_ago());
    EXPECT_TRUE(is_error(api.request(post(signed_body(no_id, token(2)))), 406, "missing_fields"));
    auto no_type = event_data("unsubscribed", jane, "evt-1", a_minute_ago());
    no_type.erase("event");
    EXPECT_TRUE(is_error(api.request(post(signed_body(no_type, token(3)))), 406, "missing_fields"));
    EXPECT_TRUE(is_error(
        api.request(post(signed_body(
            event_data("unsubscribed", "not-an-address", "evt-2", a_minute_ago()), token(4)))),
        406, "invalid_recipient"));
    expect_nothing_changed();
    // A wrong content type is refused as SPEC says (415).
    auto form =
        post(signed_body(event_data("unsubscribed", jane, "evt-3", a_minute_ago()), token(5)));
    form.headers["Content-Type"] = "application/x-www-form-urlencoded";
    EXPECT_TRUE(is_error(api.request(form), 415, "unsupported_media_type"));
    expect_nothing_changed();
}

TEST_F(MailgunWebhook, WithoutTheProviderConfiguredTheWebhookIsNotFound) {
    api.reload({});
    EXPECT_TRUE(is_error(api.request(post(signed_body(
                             event_data("unsubscribed", jane, "evt-1", a_minute_ago()), token(1)))),
                         404, "not_found"));
    expect_nothing_changed();
}

}  // namespace
}  // namespace optgate::testing
