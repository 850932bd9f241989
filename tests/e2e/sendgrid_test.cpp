// SendGrid's Signed Event Webhook, end to end: batches of events signed with a P-256 key made
// in the test, posted to the built daemon as SendGrid posts them; what /v1/check and the audit
// trail then say (SPEC "Email"). Refused deliveries change nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/timestamp.hpp"
#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/p256_test_key.hpp"

namespace optgate::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* path = "/webhooks/sendgrid";
constexpr const char* jane = "jane.doe@example.org";
constexpr const char* omar = "omar@example.org";

// Two groups mapped, as an operator maps SendGrid's unsubscribe groups to programs.
constexpr const char* email_config =
    "email:\n"
    "  unsubscribe_programs: [district]\n"
    "  groups: { \"4101\": district, \"4102\": emergency }\n";

// Event times: Unix seconds, a little in the past as SendGrid reports them.
std::int64_t seconds_ago(std::int64_t seconds) {
    return now_ms() / 1000 - seconds;
}

json::object event(std::string_view type, std::string_view email, std::string_view id,
                   std::int64_t timestamp, std::optional<std::int64_t> group = std::nullopt) {
    // The fields SendGrid sends with every event, consent or not.
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

// The clock's next whole second, once the clock has reached it: a SendGrid time (whole
// seconds) later than every receipt so far, and not ahead of the clock.
std::int64_t next_whole_second() {
    const std::int64_t second = now_ms() / 1000 + 1;
    while (now_ms() < second * 1000) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return second;
}

// A delivery as SendGrid makes it: the body, signed over timestamp + body.
http_call signed_post(const p256_test_key& key, const std::string& body,
                      std::int64_t signed_at = seconds_ago(0)) {
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

http_call signed_post(const p256_test_key& key, const json::array& events) {
    return signed_post(key, json::serialize(events));
}

// 200 with the batch's counts.
void expect_accepted(const http_result& result, std::size_t events, std::size_t consent_events,
                     std::size_t skipped = 0) {
    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(header_of(result, "content-type"), "application/json");
    const auto body = parse_json(result.body);
    ASSERT_TRUE(body.is_object()) << result.body;
    EXPECT_EQ(value_of(body.as_object(), "events"), json::value(events)) << result.body;
    EXPECT_EQ(value_of(body.as_object(), "consent_events"), json::value(consent_events))
        << result.body;
    EXPECT_EQ(value_of(body.as_object(), "skipped"), json::value(skipped)) << result.body;
}

// `address` may still be emailed for `program`, by default (no record).
void expect_default(const daemon_process& daemon, const std::string& address,
                    std::string_view program = "district") {
    const auto result = check_one(daemon, address, program, "email");
    EXPECT_EQ(value_of(result, "allowed"), json::value(true)) << address << " " << program;
    EXPECT_EQ(text_of(result, "reason"), "default") << address << " " << program;
}

class SendgridWebhook : public e2e_test {
  protected:
    std::unique_ptr<daemon_process> start() {
        return start_daemon(email_config,
                            "  sendgrid: { public_key: \"" + key_.public_key_base64() + "\" }\n");
    }
    p256_test_key key_;
};

TEST_F(SendgridWebhook, UnsubscribeOptsOutOfTheUnsubscribeProgramsOnly) {
    const auto daemon = start();
    const std::int64_t acted = seconds_ago(90);
    const json::array batch{event("processed", jane, "evt-processed", acted - 60),
                            event("delivered", jane, "evt-delivered", acted - 30),
                            event("unsubscribe", "Jane.Doe@Example.ORG", "evt-unsub", acted),
                            event("spamreport", omar, "evt-spam", acted)};
    expect_accepted(daemon->request(signed_post(key_, batch)), 4, 2);

    for (const char* address : {jane, omar}) {
        const auto denied = check_one(*daemon, address, "district", "email");
        EXPECT_EQ(value_of(denied, "allowed"), json::value(false)) << address;
        EXPECT_EQ(text_of(denied, "reason"), "opted_out") << address;
        EXPECT_EQ(text_of(denied, "source"), "sendgrid") << address;
        EXPECT_EQ(text_of(denied, "since"), format_rfc3339(acted * 1000)) << address;
        // Emergency email keeps going (SPEC: email.unsubscribe_programs is district only).
        expect_default(*daemon, address, "emergency");
    }

    const auto audit = audit_entries(*daemon);
    ASSERT_EQ(audit.size(), 2u);
    std::vector<std::string> keywords;
    for (const auto& entry : audit) {
        EXPECT_EQ(text_of(entry, "channel"), "email");
        EXPECT_EQ(text_of(entry, "program"), "district");
        EXPECT_EQ(text_of(entry, "to"), "opted_out");
        EXPECT_EQ(text_of(entry, "outcome"), "applied");
        EXPECT_EQ(text_of(entry, "source"), "sendgrid");
        EXPECT_EQ(text_of(entry, "event_time"), format_rfc3339(acted * 1000));
        EXPECT_EQ(text_of(entry, "dedupe_key"), "sendgrid:" + text_of(entry, "reference"));
        keywords.push_back(text_of(entry, "address") + " " + text_of(entry, "keyword") + " " +
                           text_of(entry, "reference"));
    }
    std::sort(keywords.begin(), keywords.end());
    EXPECT_THAT(keywords, ::testing::ElementsAre("jane.doe@example.org unsubscribe evt-unsub",
                                                 "omar@example.org spamreport evt-spam"));
}

TEST_F(SendgridWebhook, GroupUnsubscribeAndResubscribeFollowEmailGroups) {
    const auto daemon = start();
    const std::int64_t acted = seconds_ago(300);
    expect_accepted(daemon->request(signed_post(key_, json::array{event("group_unsubscribe", jane,
                                                                        "evt-g1", acted, 4102)})),
                    1, 1);
    EXPECT_EQ(text_of(check_one(*daemon, jane, "emergency", "email"), "reason"), "opted_out");
    expect_default(*daemon, jane, "district");

    expect_accepted(
        daemon->request(signed_post(
            key_, json::array{event("group_resubscribe", jane, "evt-g3", acted + 60, 4102)})),
        1, 1);
    const auto allowed = check_one(*daemon, jane, "emergency", "email");
    EXPECT_EQ(value_of(allowed, "allowed"), json::value(true));
    EXPECT_EQ(text_of(allowed, "reason"), "opted_in");
    const auto audit = audit_entries(*daemon);
    ASSERT_EQ(audit.size(), 2u);
    EXPECT_EQ(text_of(audit[0], "keyword"), "group_unsubscribe");
    EXPECT_EQ(text_of(audit[1], "keyword"), "group_resubscribe");
    EXPECT_EQ(text_of(audit[1], "from"), "opted_out");
    EXPECT_EQ(text_of(audit[1], "to"), "opted_in");
}

// A group that email.groups does not map (added in SendGrid since): leaving it stops what an
// unsubscribe stops, joining it again opts nothing in; the log says so, without the address.
TEST_F(SendgridWebhook, AGroupThatIsNotMappedStopsTheUnsubscribeProgramsAndNeverOptsIn) {
    const auto daemon = start();
    const std::int64_t acted = seconds_ago(300);
    auto no_group = event("group_unsubscribe", jane, "evt-g0", acted, 4101);
    no_group.erase("asm_group_id");
    expect_accepted(
        daemon->request(signed_post(
            key_, json::array{event("group_unsubscribe", omar, "evt-g2", acted, 9999), no_group})),
        2, 2);
    for (const char* address : {omar, jane}) expect_default(*daemon, address, "emergency");
    EXPECT_EQ(text_of(check_one(*daemon, jane, "district", "email"), "reason"), "opted_out");
    auto audit = audit_entries(*daemon);
    ASSERT_EQ(audit.size(), 2u);
    std::sort(audit.begin(), audit.end(), [](const json::object& a, const json::object& b) {
        return text_of(a, "reference") < text_of(b, "reference");
    });
    EXPECT_EQ(text_of(audit[0], "match"), "no group");
    EXPECT_EQ(text_of(audit[1], "match"), "unmapped group 9999");
    EXPECT_EQ(text_of(audit[1], "program"), "district");
    EXPECT_EQ(text_of(audit[1], "to"), "opted_out");

    expect_accepted(
        daemon->request(signed_post(
            key_, json::array{event("group_resubscribe", omar, "evt-g3", acted + 60, 9999)})),
        1, 0);
    const auto denied = check_one(*daemon, omar, "district", "email");
    EXPECT_EQ(value_of(denied, "allowed"), json::value(false));
    EXPECT_EQ(text_of(denied, "reason"), "opted_out");
    EXPECT_EQ(audit_entries(*daemon).size(), 2u);

    const std::string log = daemon->log_text();
    EXPECT_THAT(log, HasSubstr("(group_unsubscribe for o***@example.org) names group 9999, which "
                               "email.groups does not map; opted out of "
                               "email.unsubscribe_programs"));
    EXPECT_THAT(log, HasSubstr("names group (none), which email.groups does not map; opted out"));
    EXPECT_THAT(log, HasSubstr("(group_resubscribe for o***@example.org) names group 9999, which "
                               "email.groups does not map; no change"));
    EXPECT_THAT(log, Not(HasSubstr(omar)));
    const auto metrics = daemon->request(http_call{"GET", "/metrics", {}, {}});
    EXPECT_THAT(metrics.body, HasSubstr("optgate_opt_ins_not_applied_total{provider=\"sendgrid\","
                                        "reason=\"unmapped_group\"} 1\n"));
}

TEST_F(SendgridWebhook, AnEventWithoutATimestampIsDatedAtItsReceipt) {
    const auto daemon = start();
    auto no_time = event("spamreport", jane, "evt-no-time", 0);
    no_time.erase("timestamp");
    const epoch_ms before = now_ms();
    expect_accepted(daemon->request(signed_post(key_, json::array{no_time})), 1, 1);
    const epoch_ms after = now_ms();
    expect_email_unsubscribed(*daemon, jane, "sendgrid", before, after);
    EXPECT_THAT(daemon->log_text(), HasSubstr("has no readable timestamp; dated at its receipt"));
}

// SPEC rule 2: the event's time ten minutes ahead of optgate's clock (the delivery's signed
// timestamp is fresh): the unsubscribe is dated by its receipt, SendGrid's time kept beside it.
TEST_F(SendgridWebhook, AnEventDatedAheadOfTheClockIsDatedAtItsReceipt) {
    const auto daemon = start();
    const std::int64_t ahead = seconds_ago(-10 * 60);
    const epoch_ms before = now_ms();
    expect_accepted(daemon->request(signed_post(
                        key_, json::array{event("unsubscribe", jane, "evt-ahead", ahead)})),
                    1, 1);
    expect_email_unsubscribed_at_receipt(*daemon, jane, "sendgrid", ahead * 1000, before, now_ms());
}

// SPEC rule 2, the harm it prevents: a resubscribe stated ten minutes ahead must not lock the
// record against the family's unsubscribe that SendGrid reports a moment later (it was
// audited "superseded", and the check allowed).
TEST_F(SendgridWebhook, AResubscribeDatedAheadOfTheClockDoesNotOutrankALaterUnsubscribe) {
    const auto daemon = start();
    const std::int64_t ahead = seconds_ago(-10 * 60);
    expect_accepted(daemon->request(signed_post(key_, json::array{event("group_resubscribe", jane,
                                                                        "evt-in", ahead, 4101)})),
                    1, 1);
    const std::int64_t later = next_whole_second();
    expect_accepted(daemon->request(signed_post(
                        key_, json::array{event("unsubscribe", jane, "evt-out", later)})),
                    1, 1);

    const auto denied = check_one(*daemon, jane, "district", "email");
    EXPECT_EQ(value_of(denied, "allowed"), json::value(false));
    EXPECT_EQ(text_of(denied, "reason"), "opted_out");
    EXPECT_EQ(text_of(denied, "since"), format_rfc3339(later * 1000));
    const auto audit = audit_entries(*daemon);
    ASSERT_EQ(audit.size(), 2u);
    EXPECT_EQ(text_of(audit[0], "to"), "opted_in");
    EXPECT_EQ(text_of(audit[0], "event_time"), text_of(audit[0], "received_time"));
    EXPECT_EQ(text_of(audit[0], "stated_time"), format_rfc3339(ahead * 1000));
    EXPECT_EQ(text_of(audit[1], "outcome"), "applied");
    EXPECT_EQ(text_of(audit[1], "stated_time"), "");
}

TEST_F(SendgridWebhook, RedeliveredEventsAreAuditedOnce) {
    const auto daemon = start();
    const std::int64_t acted = seconds_ago(60);
    const json::array batch{event("unsubscribe", jane, "evt-once", acted)};
    // SendGrid signs each delivery anew: another timestamp, the same events.
    expect_accepted(daemon->request(signed_post(key_, json::serialize(batch), seconds_ago(5))), 1,
                    1);
    expect_accepted(daemon->request(signed_post(key_, json::serialize(batch), seconds_ago(0))), 1,
                    1);
    const auto entry = expect_email_unsubscribed(*daemon, jane, "sendgrid", acted * 1000);
    EXPECT_EQ(text_of(entry, "dedupe_key"), "sendgrid:evt-once");
}

TEST_F(SendgridWebhook, EventsThatAreNotConsentChangeNothing) {
    const auto daemon = start();
    const std::int64_t t = seconds_ago(60);
    json::array batch;
    for (const char* type : {"processed", "delivered", "open", "click", "bounce", "dropped",
                             "deferred", "group_unsubscribe "})
        batch.push_back(event(type, jane, std::string("evt-") + type, t, 4101));
    expect_accepted(daemon->request(signed_post(key_, batch)), batch.size(), 0);
    expect_default(*daemon, jane, "district");
    expect_default(*daemon, jane, "emergency");
    EXPECT_TRUE(audit_entries(*daemon).empty());
}

TEST_F(SendgridWebhook, EventsWithoutTheirFieldsAreSkippedMaskedAndTheRestApplied) {
    const auto daemon = start();
    const std::int64_t t = seconds_ago(60);
    auto no_id = event("unsubscribe", "sam.hill@example.org", "", t);
    no_id.erase("sg_event_id");
    const json::array batch{event("unsubscribe", "not-an-address", "evt-bad", t), no_id,
                            json::value("not an object"),
                            event("unsubscribe", jane, "evt-good", t)};
    expect_accepted(daemon->request(signed_post(key_, batch)), 4, 1, 2);
    EXPECT_EQ(text_of(check_one(*daemon, jane, "district", "email"), "reason"), "opted_out");
    expect_default(*daemon, "sam.hill@example.org");
    ASSERT_EQ(audit_entries(*daemon).size(), 1u);
    const std::string log = daemon->log_text();
    EXPECT_THAT(log, HasSubstr("s***@example.org): missing fields; skipped"));
    EXPECT_THAT(log, HasSubstr("invalid email; skipped"));
    EXPECT_THAT(log, Not(HasSubstr("sam.hill@example.org")));
    EXPECT_THAT(log, Not(HasSubstr(jane)));
}

// SendGrid posts batches of up to 768 KB: one of 3,000 unsubscribes and 500 opens (over
// 300 KB) is accepted whole, journaled in records of 500 events, and applied.
TEST_F(SendgridWebhook, ABatchOfThousandsOfEventsIsAcceptedAndJournaledInRecords) {
    const auto daemon = start();
    const std::int64_t t = seconds_ago(120);
    json::array batch;
    std::vector<std::string> parents;
    for (int i = 0; i < 3000; ++i) {
        parents.push_back("parent" + std::to_string(i) + "@example.org");
        batch.push_back(json::object{{"email", parents.back()},
                                     {"timestamp", t},
                                     {"event", i % 4 == 3 ? "spamreport" : "unsubscribe"},
                                     {"sg_event_id", "e" + std::to_string(i)}});
    }
    for (int i = 0; i < 500; ++i)
        batch.push_back(json::object{{"email", parents[i]},
                                     {"timestamp", t},
                                     {"event", "open"},
                                     {"sg_event_id", "o" + std::to_string(i)}});
    const std::string body = json::serialize(batch);
    ASSERT_GT(body.size(), 300u * 1024) << "the test batch must be far over 64 KiB";
    expect_accepted(daemon->request(signed_post(key_, body)), 3500, 3000);

    const auto result = post_check(*daemon, "email", "district", parents);
    ASSERT_EQ(result.status, 200) << result.body;
    const auto answer = parse_json(result.body).as_object();
    EXPECT_EQ(value_of(answer, "allowed"), json::value(0));
    EXPECT_EQ(value_of(answer, "denied"), json::value(3000));
    EXPECT_EQ(audit_entries(*daemon).size(), 3000u);
    // Six records of 500 events, named on the one "journaled as" line of the request.
    std::size_t journaled = 0;
    std::istringstream log(daemon->log_text());
    for (std::string line; std::getline(log, line);)
        if (line.find("sendgrid: 3500 events") != std::string::npos &&
            line.find("journaled as") != std::string::npos) {
            ++journaled;
            EXPECT_THAT(line, ::testing::ContainsRegex("journaled as ([0-9]+) to ([0-9]+)"));
        }
    EXPECT_EQ(journaled, 1u) << daemon->log_text();
}

TEST_F(SendgridWebhook, AnUnsubscribeDeliveredAfterTheNightlyImportStillOptsOut) {
    // Jane unsubscribed an hour ago; SendGrid's delivery failed and is retried only now, after
    // the nightly import listed her as opted in (its rows are dated when they are sent).
    const auto daemon = start();
    const std::int64_t unsubscribed = seconds_ago(3600);
    for (const char* row : {"row-1", "row-2"}) {  // two nights: a record made, then kept
        const auto imported = daemon->request(api_call(
            "PUT", std::string("/v1/consent/") + jane, test_api_key,
            R"({"channel":"email","program":"district","state":"opted_in","source":"import",)"
            R"("request_id":")" +
                std::string(row) + "\"}"));
        ASSERT_EQ(imported.status, 200) << imported.body;
    }
    expect_accepted(daemon->request(signed_post(
                        key_, json::array{event("unsubscribe", jane, "evt-late", unsubscribed)})),
                    1, 1);
    const auto denied = check_one(*daemon, jane, "district", "email");
    EXPECT_EQ(text_of(denied, "reason"), "opted_out");
    EXPECT_EQ(text_of(denied, "source"), "sendgrid");
    EXPECT_EQ(text_of(denied, "since"), format_rfc3339(unsubscribed * 1000));
    // The next night's import cannot opt her back in (rule 7).
    const auto refused = daemon->request(
        api_call("PUT", std::string("/v1/consent/") + jane, test_api_key,
                 R"({"channel":"email","program":"district","state":"opted_in","source":"import",)"
                 R"("request_id":"row-3"})"));
    EXPECT_THAT(refused.body, HasSubstr(R"("outcome":"refused")"));
    EXPECT_EQ(text_of(check_one(*daemon, jane, "district", "email"), "reason"), "opted_out");
}

TEST_F(SendgridWebhook, ABatchOverOneMebibyteIsRefusedWhole) {
    const auto daemon = start();
    const std::string body =
        json::serialize(json::array{event("unsubscribe", jane, "evt-big", seconds_ago(60))}) +
        std::string(1024 * 1024, ' ');
    const auto answer = daemon->request(signed_post(key_, body));
    EXPECT_EQ(answer.status, 413) << answer.body;
    EXPECT_EQ(audit_entries(*daemon).size(), 0u);
}

TEST_F(SendgridWebhook, ABadOrMissingSignatureIsRefusedAndChangesNothing) {
    const auto daemon = start();
    const std::string body =
        json::serialize(json::array{event("unsubscribe", jane, "evt-1", seconds_ago(60))});
    const p256_test_key other;
    EXPECT_TRUE(is_error(daemon->request(signed_post(other, body)), 403, "bad_signature"));
    auto call = signed_post(key_, body);
    call.body = json::serialize(json::array{event("unsubscribe", omar, "evt-1", seconds_ago(60))});
    EXPECT_TRUE(is_error(daemon->request(call), 403, "bad_signature"));  // body swapped
    call = signed_post(key_, body);
    call.headers["X-Twilio-Email-Event-Webhook-Timestamp"] = std::to_string(seconds_ago(1));
    EXPECT_TRUE(is_error(daemon->request(call), 403, "bad_signature"));  // timestamp swapped
    call = signed_post(key_, body);
    call.headers.erase("X-Twilio-Email-Event-Webhook-Signature");
    EXPECT_TRUE(is_error(daemon->request(call), 403, "bad_signature"));
    call.headers["X-Twilio-Email-Event-Webhook-Signature"] = "not base64";
    EXPECT_TRUE(is_error(daemon->request(call), 403, "bad_signature"));
    expect_default(*daemon, jane);
    expect_default(*daemon, omar);
    EXPECT_TRUE(audit_entries(*daemon).empty());
}

TEST_F(SendgridWebhook, ATimestampOutsideSendgridsRetryWindowIsRefused) {
    const auto daemon = start();
    const std::string body =
        json::serialize(json::array{event("unsubscribe", jane, "evt-1", seconds_ago(60))});
    EXPECT_TRUE(is_error(daemon->request(signed_post(key_, body, seconds_ago(25 * 3600 + 60))), 403,
                         "stale_timestamp"));
    EXPECT_TRUE(is_error(daemon->request(signed_post(key_, body, seconds_ago(-11 * 60))), 403,
                         "stale_timestamp"));
    expect_default(*daemon, jane);
    EXPECT_TRUE(audit_entries(*daemon).empty());
    // SendGrid's last retry, 24 hours after the first attempt, with that attempt's signature.
    expect_accepted(daemon->request(signed_post(key_, body, seconds_ago(24 * 3600))), 1, 1);
    EXPECT_EQ(text_of(check_one(*daemon, jane, "district", "email"), "reason"), "opted_out");
}

TEST_F(SendgridWebhook, MalformedBodiesAndWrongContentTypesAreRefused) {
    const auto daemon = start();
    for (const char* body : {"", "{", "{\"event\":\"unsubscribe\"}", "null", "[1,2"})
        EXPECT_TRUE(is_error(daemon->request(signed_post(key_, body)), 400, "malformed_json"))
            << body;
    auto call = signed_post(
        key_, json::serialize(json::array{event("unsubscribe", jane, "evt-1", seconds_ago(60))}));
    call.headers["Content-Type"] = "application/x-www-form-urlencoded";
    EXPECT_TRUE(is_error(daemon->request(call), 415, "unsupported_media_type"));
    expect_default(*daemon, jane);
    EXPECT_TRUE(audit_entries(*daemon).empty());
}

TEST_F(SendgridWebhook, WithoutTheProviderConfiguredTheWebhookIsNotFound) {
    const auto daemon = start_daemon(email_config);
    const std::string body =
        json::serialize(json::array{event("unsubscribe", jane, "evt-1", seconds_ago(60))});
    EXPECT_TRUE(is_error(daemon->request(signed_post(key_, body)), 404, "not_found"));
    expect_default(*daemon, jane);
}

}  // namespace
}  // namespace optgate::testing
