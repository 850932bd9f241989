// Mailgun's webhooks, end to end: payloads in Mailgun's shape, signed with a test key as
// Mailgun signs them (hex HMAC-SHA256 over timestamp + token), posted to the built daemon;
// what /v1/check and the audit trail then say (SPEC "Email"), which requests are refused for
// good (406, never retried) and which may be retried (403, 503), and that a token serves one
// request: that request again is accepted, any other is a replay.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "core/digest.hpp"
#include "core/timestamp.hpp"
#include "tests/e2e/e2e_fixture.hpp"

namespace optgate::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* path = "/webhooks/mailgun";
constexpr const char* signing_key = "test-mailgun-signing-key";
constexpr const char* jane = "jane.doe@example.org";

std::string mailgun_provider() {
    return std::string("  mailgun: { signing_key: \"") + signing_key + "\" }\n";
}

// A 50-character token, distinct for each n, as Mailgun makes them.
std::string token(unsigned n) {
    const std::string digits = std::to_string(n);
    return std::string(50 - digits.size(), 'a') + digits;
}

// `event-data` as Mailgun sends it (fields that do not matter here included).
json::object event_data(std::string_view type, std::string_view recipient, std::string_view id,
                        double timestamp) {
    return {{"event", type},
            {"id", id},
            {"timestamp", timestamp},
            {"recipient", recipient},
            {"recipient-domain", "example.org"},
            {"log-level", "warn"},
            {"tags", json::array{"district-news"}},
            {"message", json::object{{"headers", json::object{{"message-id", "2026@mg.test"}}}}},
            {"user-variables", json::object{}}};
}

// The body Mailgun posts: the signature over timestamp + token, with `key`.
std::string signed_body(const json::object& data, const std::string& tok,
                        std::int64_t signed_at = now_ms() / 1000,
                        const std::string& key = signing_key) {
    const std::string timestamp = std::to_string(signed_at);
    const json::object body{
        {"signature", json::object{{"timestamp", timestamp},
                                   {"token", tok},
                                   {"signature", to_hex(hmac_sha256(key, timestamp + tok))}}},
        {"event-data", data}};
    return json::serialize(body);
}

http_call post(std::string body) {
    http_call call;
    call.method = "POST";
    call.target = path;
    call.body = std::move(body);
    call.headers["Content-Type"] = "application/json";
    return call;
}

// Unix seconds with Mailgun's microsecond fraction.
double mailgun_time(epoch_ms t) {
    return static_cast<double>(t) / 1000.0 + 0.000123;
}

double a_minute_ago() {
    return mailgun_time(now_ms() - 60'000);
}

void expect_ok(const http_result& result, std::string_view status) {
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, "{\"status\":\"" + std::string(status) + "\"}");
}

// Still at the default for email, nothing audited.
void expect_nothing_changed(const daemon_process& daemon, const std::string& address = jane) {
    for (const char* program : {"district", "emergency"}) {
        const auto result = check_one(daemon, address, program, "email");
        EXPECT_EQ(text_of(result, "reason"), "default") << program;
    }
    EXPECT_TRUE(audit_entries(daemon).empty());
}

class MailgunWebhook : public e2e_test {
  protected:
    static std::unique_ptr<daemon_process> start() { return start_daemon({}, mailgun_provider()); }
};

TEST_F(MailgunWebhook, UnsubscribedOptsOutOfTheUnsubscribeProgramsOnly) {
    const auto daemon = start();
    const double acted = a_minute_ago();
    expect_ok(
        daemon->request(post(signed_body(
            event_data("unsubscribed", "Jane.Doe@Example.org", "evt-unsub", acted), token(1)))),
        "journaled");
    const epoch_ms acted_ms = static_cast<epoch_ms>(acted * 1000);
    const auto entry = expect_email_unsubscribed(*daemon, jane, "mailgun", acted_ms);
    EXPECT_EQ(text_of(entry, "reference"), "evt-unsub");
    EXPECT_EQ(text_of(entry, "dedupe_key"), "mailgun:evt-unsub");
    EXPECT_EQ(text_of(entry, "keyword"), "unsubscribed");
    EXPECT_EQ(text_of(entry, "event_time"), format_rfc3339(acted_ms));
    EXPECT_THAT(daemon->log_text(), Not(HasSubstr(jane)));
}

TEST_F(MailgunWebhook, AComplaintIsAnUnsubscribe) {
    const auto daemon = start();
    const double acted = a_minute_ago();
    expect_ok(daemon->request(
                  post(signed_body(event_data("complained", jane, "evt-spam", acted), token(1)))),
              "journaled");
    const auto entry =
        expect_email_unsubscribed(*daemon, jane, "mailgun", static_cast<epoch_ms>(acted * 1000));
    EXPECT_EQ(text_of(entry, "keyword"), "complained");
}

TEST_F(MailgunWebhook, AnUnsubscribeWithoutATimestampIsDatedAtItsReceipt) {
    // Refused with 406, it would never come back: Mailgun does not retry a 406.
    const auto daemon = start();
    auto data = event_data("unsubscribed", jane, "evt-no-time", 0);
    data.erase("timestamp");
    const epoch_ms before = now_ms();
    expect_ok(daemon->request(post(signed_body(data, token(1)))), "journaled");
    const epoch_ms after = now_ms();
    expect_email_unsubscribed(*daemon, jane, "mailgun", before, after);
    EXPECT_THAT(daemon->log_text(), HasSubstr("has no readable timestamp; dated at its receipt"));
}

// SPEC rule 2: the event's time ten minutes ahead of optgate's clock (signature.timestamp is
// fresh): the unsubscribe is dated by its receipt, Mailgun's time kept beside it.
TEST_F(MailgunWebhook, AnUnsubscribeDatedAheadOfTheClockIsDatedAtItsReceipt) {
    const auto daemon = start();
    const double ahead = mailgun_time(now_ms() + 10 * 60'000);
    const epoch_ms before = now_ms();
    expect_ok(daemon->request(post(
                  signed_body(event_data("unsubscribed", jane, "evt-ahead", ahead), token(1)))),
              "journaled");
    expect_email_unsubscribed_at_receipt(*daemon, jane, "mailgun",
                                         static_cast<epoch_ms>(ahead * 1000), before, now_ms());
}

TEST_F(MailgunWebhook, OtherEventsChangeNothing) {
    const auto daemon = start();
    unsigned n = 0;
    for (const char* type : {"accepted", "delivered", "opened", "clicked", "failed", "stored"})
        expect_ok(
            daemon->request(post(signed_body(
                event_data(type, jane, std::string("evt-") + type, a_minute_ago()), token(++n)))),
            "ignored");
    expect_nothing_changed(*daemon);
}

TEST_F(MailgunWebhook, ABadSignatureIsRefusedWith403AndChangesNothing) {
    const auto daemon = start();
    const auto data = event_data("unsubscribed", jane, "evt-1", a_minute_ago());
    EXPECT_TRUE(
        is_error(daemon->request(post(signed_body(data, token(1), now_ms() / 1000, "another-key"))),
                 403, "bad_signature"));
    // A signature lifted from another request does not cover this token.
    auto body = json::parse(signed_body(data, token(2))).as_object();
    body["signature"].as_object()["token"] = token(3);
    EXPECT_TRUE(is_error(daemon->request(post(json::serialize(body))), 403, "bad_signature"));
    expect_nothing_changed(*daemon);
    // The refused tokens were not used up: the genuine request with them is accepted.
    expect_ok(daemon->request(post(signed_body(data, token(3)))), "journaled");
}

TEST_F(MailgunWebhook, ATimestampOutsideMailgunsRetryWindowIsRefusedWith403) {
    const auto daemon = start();
    const auto data = event_data("unsubscribed", jane, "evt-1", a_minute_ago());
    const std::int64_t now = now_ms() / 1000;
    const auto refused = daemon->request(post(signed_body(data, token(1), now - 9 * 3600 - 60)));
    EXPECT_TRUE(is_error(refused, 403, "stale_timestamp"));
    EXPECT_THAT(refused.body, HasSubstr("more than 9 h ago or 10 min ahead"));
    EXPECT_TRUE(is_error(daemon->request(post(signed_body(data, token(2), now + 11 * 60))), 403,
                         "stale_timestamp"));
    expect_nothing_changed(*daemon);
    // Mailgun's last retry, 8 hours after the first attempt, with that attempt's signature.
    expect_ok(daemon->request(post(signed_body(data, token(3), now - 8 * 3600 - 5 * 60))),
              "journaled");
}

TEST_F(MailgunWebhook, ATokenServesOneRequestAndAnotherWithItIsRefusedWith406) {
    const auto daemon = start();
    const std::string body =
        signed_body(event_data("unsubscribed", jane, "evt-1", a_minute_ago()), token(1));
    expect_ok(daemon->request(post(body)), "journaled");
    // The same request again (Mailgun's retry of an answer it did not get) is accepted, and
    // the event is still audited once.
    expect_ok(daemon->request(post(body)), "journaled");
    // The body is not signed: an attacker who saw the request cannot reuse its signature for
    // another recipient.
    auto forged = json::parse(body).as_object();
    forged["event-data"].as_object()["recipient"] = "omar@example.org";
    forged["event-data"].as_object()["id"] = "evt-forged";
    EXPECT_TRUE(is_error(daemon->request(post(json::serialize(forged))), 406, "replayed_token"));
    EXPECT_EQ(text_of(check_one(*daemon, "omar@example.org", "district", "email"), "reason"),
              "default");
    EXPECT_EQ(audit_entries(*daemon).size(), 1u);
    // The token is kept in Redis under the prefix for as long as its signature could be
    // accepted: 9 hours behind the clock and 10 minutes ahead.
    const auto ttl = redis().command({"PTTL", key_prefix() + "{mailgun}:token:" + token(1)});
    EXPECT_GT(ttl.integer, (9 * 60 + 9) * 60 * 1000);
    EXPECT_LE(ttl.integer, (9 * 60 + 10) * 60 * 1000);
}

TEST_F(MailgunWebhook, ARetryAfterACrashBetweenTheTokenAndTheJournalIsAccepted) {
    // The daemon bound the token to this request (the sha256 of its body), then died before
    // journaling it: Mailgun's retry, the same bytes, must still be taken.
    const auto daemon = start();
    const std::string body =
        signed_body(event_data("unsubscribed", jane, "evt-1", a_minute_ago()), token(1));
    redis().command(
        {"SET", key_prefix() + "{mailgun}:token:" + token(1), to_hex(sha256(body)), "PX", "60000"});
    expect_ok(daemon->request(post(body)), "journaled");
    EXPECT_EQ(text_of(check_one(*daemon, jane, "district", "email"), "reason"), "opted_out");
    EXPECT_EQ(audit_entries(*daemon).size(), 1u);
}

TEST_F(MailgunWebhook, AnIgnoredEventsTokenCannotCarryAForgedUnsubscribe) {
    const auto daemon = start();
    const std::string body =
        signed_body(event_data("delivered", jane, "evt-delivered", a_minute_ago()), token(1));
    expect_ok(daemon->request(post(body)), "ignored");
    auto forged = json::parse(body).as_object();
    forged["event-data"] =
        event_data("unsubscribed", "omar@example.org", "evt-forged", a_minute_ago());
    EXPECT_TRUE(is_error(daemon->request(post(json::serialize(forged))), 406, "replayed_token"));
    expect_nothing_changed(*daemon);
}

TEST_F(MailgunWebhook, TheSameEventRedeliveredWithANewTokenIsAuditedOnce) {
    const auto daemon = start();
    const auto data = event_data("unsubscribed", jane, "evt-same", a_minute_ago());
    expect_ok(daemon->request(post(signed_body(data, token(1)))), "journaled");
    expect_ok(daemon->request(post(signed_body(data, token(2)))), "journaled");
    const auto audit = audit_entries(*daemon);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(text_of(audit[0], "dedupe_key"), "mailgun:evt-same");
}

TEST_F(MailgunWebhook, RequestsThatCanNeverSucceedAreRefusedWith406) {
    const auto daemon = start();
    for (const char* body : {"", "{", "[]", "\"text\"", "{\"signature\":{}}"})
        EXPECT_EQ(daemon->request(post(body)).status, 406) << body;
    EXPECT_TRUE(is_error(daemon->request(post("{")), 406, "malformed_json"));
    EXPECT_TRUE(is_error(daemon->request(post("{\"event-data\":{}}")), 406, "missing_fields"));
    // Signed, but event-data lacks what an unsubscribe needs, or names no valid recipient.
    auto no_data = json::parse(signed_body({}, token(1))).as_object();
    no_data.erase("event-data");
    EXPECT_TRUE(is_error(daemon->request(post(json::serialize(no_data))), 406, "missing_fields"));
    auto no_id = event_data("unsubscribed", jane, "", a_minute_ago());
    EXPECT_TRUE(
        is_error(daemon->request(post(signed_body(no_id, token(2)))), 406, "missing_fields"));
    auto no_type = event_data("unsubscribed", jane, "evt-1", a_minute_ago());
    no_type.erase("event");
    EXPECT_TRUE(
        is_error(daemon->request(post(signed_body(no_type, token(3)))), 406, "missing_fields"));
    EXPECT_TRUE(is_error(
        daemon->request(post(signed_body(
            event_data("unsubscribed", "not-an-address", "evt-2", a_minute_ago()), token(4)))),
        406, "invalid_recipient"));
    expect_nothing_changed(*daemon);
    // A wrong content type is refused as SPEC says (415).
    auto form =
        post(signed_body(event_data("unsubscribed", jane, "evt-3", a_minute_ago()), token(5)));
    form.headers["Content-Type"] = "application/x-www-form-urlencoded";
    EXPECT_TRUE(is_error(daemon->request(form), 415, "unsupported_media_type"));
    expect_nothing_changed(*daemon);
}

TEST_F(MailgunWebhook, RedisUnreachableIsAnsweredWith503AndMailgunsRetryIsAccepted) {
    const auto daemon = start();
    const std::string body =
        signed_body(event_data("unsubscribed", jane, "evt-1", a_minute_ago()), token(1));
    redis().stop();
    const auto refused = daemon->request(post(body));
    EXPECT_TRUE(is_error(refused, 503, "unavailable"));
    EXPECT_EQ(header_of(refused, "retry-after"), "5");
    redis().start();
    ASSERT_TRUE(daemon->wait_until_ready()) << daemon->log_text();
    // Mailgun retries the same request: its token was never bound.
    expect_ok(daemon->request(post(body)), "journaled");
    EXPECT_EQ(text_of(check_one(*daemon, jane, "district", "email"), "reason"), "opted_out");
    EXPECT_EQ(audit_entries(*daemon).size(), 1u);
}

TEST_F(MailgunWebhook, WithoutTheProviderConfiguredTheWebhookIsNotFound) {
    const auto daemon = start_daemon();
    EXPECT_TRUE(is_error(daemon->request(post(signed_body(
                             event_data("unsubscribed", jane, "evt-1", a_minute_ago()), token(1)))),
                         404, "not_found"));
    expect_nothing_changed(*daemon);
}

}  // namespace
}  // namespace optgate::testing
