// Mailgun's webhooks, end to end: a body signed as Mailgun signs it, posted to the built
// daemon, ends in Redis (what /v1/check and the audit trail then say, SPEC "Email"); and what
// needs the real Redis: the token bound there for as long as its signature could be accepted,
// a binding left by a crash, and Redis down (503, Mailgun retries). Every other answer and
// refusal in process: tests/unit/http/mailgun_webhook_test.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "core/digest.hpp"
#include "core/timestamp.hpp"
#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/mailgun_webhook.hpp"

namespace optgate::testing {
namespace {

using mailgun::event_data;
using mailgun::mailgun_time;
using mailgun::post;
using mailgun::token;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* jane = "jane.doe@example.org";

// Signed now, with the test key.
std::string signed_body(const json::object& data, const std::string& tok) {
    return mailgun::signed_body(data, tok, now_ms() / 1000);
}

double a_minute_ago() {
    return mailgun_time(now_ms() - 60'000);
}

class MailgunWebhook : public e2e_test {
  protected:
    static std::unique_ptr<daemon_process> start() {
        return start_daemon({}, mailgun::provider_yaml());
    }
};

TEST_F(MailgunWebhook, UnsubscribedOptsOutOfTheUnsubscribeProgramsOnly) {
    const auto daemon = start();
    const double acted = a_minute_ago();
    expect_webhook_status(
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

// The token's lifetime is a Redis key's.
TEST_F(MailgunWebhook, ATokenServesOneRequestAndAnotherWithItIsRefusedWith406) {
    const auto daemon = start();
    const std::string body =
        signed_body(event_data("unsubscribed", jane, "evt-1", a_minute_ago()), token(1));
    expect_webhook_status(daemon->request(post(body)), "journaled");
    // The same request again (Mailgun's retry of an answer it did not get) is accepted, and
    // the event is still audited once.
    expect_webhook_status(daemon->request(post(body)), "journaled");
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
    expect_webhook_status(daemon->request(post(body)), "journaled");
    EXPECT_EQ(text_of(check_one(*daemon, jane, "district", "email"), "reason"), "opted_out");
    EXPECT_EQ(audit_entries(*daemon).size(), 1u);
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
    expect_webhook_status(daemon->request(post(body)), "journaled");
    EXPECT_EQ(text_of(check_one(*daemon, jane, "district", "email"), "reason"), "opted_out");
    EXPECT_EQ(audit_entries(*daemon).size(), 1u);
}

}  // namespace
}  // namespace optgate::testing
