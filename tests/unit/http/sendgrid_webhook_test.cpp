// SendGrid's Signed Event Webhook in process: groups mapped and not, how events are dated,
// redeliveries, events skipped or not consent, an unsubscribe after an import, and the
// refusals: signatures, stale timestamps, malformed bodies, content types, a batch over
// 1 MiB (SPEC "Email"). A signed batch into Redis, and one of thousands of events journaled
// in records: tests/e2e/sendgrid_test.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/timestamp.hpp"
#include "tests/support/api_reply.hpp"
#include "tests/support/sendgrid_webhook.hpp"
#include "tests/unit/http/route_harness.hpp"

namespace optgate::testing {
namespace {

using sendgrid::event;
using sendgrid::expect_accepted;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* jane = "jane.doe@example.org";
constexpr const char* omar = "omar@example.org";

class SendgridWebhook : public ::testing::Test {
  protected:
    // Event times: Unix seconds, a little in the past as SendGrid reports them.
    std::int64_t seconds_ago(std::int64_t seconds) const { return api.now / 1000 - seconds; }
    // The clock moved to its next whole second: a SendGrid time (whole seconds) later than
    // every receipt so far, and not ahead of the clock.
    std::int64_t next_whole_second() {
        api.now = (api.now / 1000 + 1) * 1000;
        return api.now / 1000;
    }
    // Signed with `key`, now unless `signed_at` says when.
    http_call signed_post(const p256_test_key& key, const std::string& body,
                          std::optional<std::int64_t> signed_at = std::nullopt) const {
        return sendgrid::signed_post(key, body, signed_at.value_or(seconds_ago(0)));
    }
    http_call signed_post(const p256_test_key& key, const json::array& events) const {
        return signed_post(key, json::serialize(events));
    }

    p256_test_key key_;
    route_harness api{sendgrid::email_config, sendgrid::provider_yaml(key_)};
};

TEST_F(SendgridWebhook, GroupUnsubscribeAndResubscribeFollowEmailGroups) {
    const std::int64_t acted = seconds_ago(300);
    expect_accepted(api.request(signed_post(key_, json::array{event("group_unsubscribe", jane,
                                                                    "evt-g1", acted, 4102)})),
                    1, 1);
    EXPECT_EQ(text_of(check_one(api, jane, "emergency", "email"), "reason"), "opted_out");
    expect_email_default(api, jane, "district");

    expect_accepted(api.request(signed_post(key_, json::array{event("group_resubscribe", jane,
                                                                    "evt-g3", acted + 60, 4102)})),
                    1, 1);
    const auto allowed = check_one(api, jane, "emergency", "email");
    EXPECT_EQ(value_of(allowed, "allowed"), json::value(true));
    EXPECT_EQ(text_of(allowed, "reason"), "opted_in");
    const auto audit = audit_entries(api);
    ASSERT_EQ(audit.size(), 2u);
    EXPECT_EQ(text_of(audit[0], "keyword"), "group_unsubscribe");
    EXPECT_EQ(text_of(audit[1], "keyword"), "group_resubscribe");
    EXPECT_EQ(text_of(audit[1], "from"), "opted_out");
    EXPECT_EQ(text_of(audit[1], "to"), "opted_in");
}

// A group that email.groups does not map (added in SendGrid since): leaving it stops what an
// unsubscribe stops, joining it again opts nothing in; the log says so, without the address.
TEST_F(SendgridWebhook, AGroupThatIsNotMappedStopsTheUnsubscribeProgramsAndNeverOptsIn) {
    const std::int64_t acted = seconds_ago(300);
    auto no_group = event("group_unsubscribe", jane, "evt-g0", acted, 4101);
    no_group.erase("asm_group_id");
    expect_accepted(
        api.request(signed_post(
            key_, json::array{event("group_unsubscribe", omar, "evt-g2", acted, 9999), no_group})),
        2, 2);
    for (const char* address : {omar, jane}) expect_email_default(api, address, "emergency");
    EXPECT_EQ(text_of(check_one(api, jane, "district", "email"), "reason"), "opted_out");
    auto audit = audit_entries(api);
    ASSERT_EQ(audit.size(), 2u);
    std::sort(audit.begin(), audit.end(), [](const json::object& a, const json::object& b) {
        return text_of(a, "reference") < text_of(b, "reference");
    });
    EXPECT_EQ(text_of(audit[0], "match"), "no group");
    EXPECT_EQ(text_of(audit[1], "match"), "unmapped group 9999");
    EXPECT_EQ(text_of(audit[1], "program"), "district");
    EXPECT_EQ(text_of(audit[1], "to"), "opted_out");

    expect_accepted(api.request(signed_post(key_, json::array{event("group_resubscribe", omar,
                                                                    "evt-g3", acted + 60, 9999)})),
                    1, 0);
    const auto denied = check_one(api, omar, "district", "email");
    EXPECT_EQ(value_of(denied, "allowed"), json::value(false));
    EXPECT_EQ(text_of(denied, "reason"), "opted_out");
    EXPECT_EQ(audit_entries(api).size(), 2u);

    const std::string log = api.log_text();
    EXPECT_THAT(log, HasSubstr("(group_unsubscribe for o***@example.org) names group 9999, which "
                               "email.groups does not map; opted out of "
                               "email.unsubscribe_programs"));
    EXPECT_THAT(log, HasSubstr("names group (none), which email.groups does not map; opted out"));
    EXPECT_THAT(log, HasSubstr("(group_resubscribe for o***@example.org) names group 9999, which "
                               "email.groups does not map; no change"));
    EXPECT_THAT(log, Not(HasSubstr(omar)));
    const auto metrics = api.request(http_call{"GET", "/metrics", {}, {}});
    EXPECT_THAT(metrics.body, HasSubstr("optgate_opt_ins_not_applied_total{provider=\"sendgrid\","
                                        "reason=\"unmapped_group\"} 1\n"));
}

TEST_F(SendgridWebhook, AnEventWithoutATimestampIsDatedAtItsReceipt) {
    auto no_time = event("spamreport", jane, "evt-no-time", 0);
    no_time.erase("timestamp");
    const epoch_ms before = api.now;
    expect_accepted(api.request(signed_post(key_, json::array{no_time})), 1, 1);
    const epoch_ms after = api.now;
    expect_email_unsubscribed(api, jane, "sendgrid", before, after);
    EXPECT_THAT(api.log_text(), HasSubstr("has no readable timestamp; dated at its receipt"));
}

// SPEC rule 2: the event's time ten minutes ahead of optgate's clock (the delivery's signed
// timestamp is fresh): the unsubscribe is dated by its receipt, SendGrid's time kept beside it.
TEST_F(SendgridWebhook, AnEventDatedAheadOfTheClockIsDatedAtItsReceipt) {
    const std::int64_t ahead = seconds_ago(-10 * 60);
    const epoch_ms before = api.now;
    expect_accepted(
        api.request(signed_post(key_, json::array{event("unsubscribe", jane, "evt-ahead", ahead)})),
        1, 1);
    expect_email_unsubscribed_at_receipt(api, jane, "sendgrid", ahead * 1000, before, api.now);
}

// SPEC rule 2, the harm it prevents: a resubscribe stated ten minutes ahead must not lock the
// record against the family's unsubscribe that SendGrid reports a moment later (it was
// audited "superseded", and the check allowed).
TEST_F(SendgridWebhook, AResubscribeDatedAheadOfTheClockDoesNotOutrankALaterUnsubscribe) {
    const std::int64_t ahead = seconds_ago(-10 * 60);
    expect_accepted(api.request(signed_post(key_, json::array{event("group_resubscribe", jane,
                                                                    "evt-in", ahead, 4101)})),
                    1, 1);
    const std::int64_t later = next_whole_second();
    expect_accepted(
        api.request(signed_post(key_, json::array{event("unsubscribe", jane, "evt-out", later)})),
        1, 1);

    const auto denied = check_one(api, jane, "district", "email");
    EXPECT_EQ(value_of(denied, "allowed"), json::value(false));
    EXPECT_EQ(text_of(denied, "reason"), "opted_out");
    EXPECT_EQ(text_of(denied, "since"), format_rfc3339(later * 1000));
    const auto audit = audit_entries(api);
    ASSERT_EQ(audit.size(), 2u);
    EXPECT_EQ(text_of(audit[0], "to"), "opted_in");
    EXPECT_EQ(text_of(audit[0], "event_time"), text_of(audit[0], "received_time"));
    EXPECT_EQ(text_of(audit[0], "stated_time"), format_rfc3339(ahead * 1000));
    EXPECT_EQ(text_of(audit[1], "outcome"), "applied");
    EXPECT_EQ(text_of(audit[1], "stated_time"), "");
}

TEST_F(SendgridWebhook, RedeliveredEventsAreAuditedOnce) {
    const std::int64_t acted = seconds_ago(60);
    const json::array batch{event("unsubscribe", jane, "evt-once", acted)};
    // SendGrid signs each delivery anew: another timestamp, the same events.
    expect_accepted(api.request(signed_post(key_, json::serialize(batch), seconds_ago(5))), 1, 1);
    expect_accepted(api.request(signed_post(key_, json::serialize(batch), seconds_ago(0))), 1, 1);
    const auto entry = expect_email_unsubscribed(api, jane, "sendgrid", acted * 1000);
    EXPECT_EQ(text_of(entry, "dedupe_key"), "sendgrid:evt-once");
}

TEST_F(SendgridWebhook, EventsThatAreNotConsentChangeNothing) {
    const std::int64_t t = seconds_ago(60);
    json::array batch;
    for (const char* type : {"processed", "delivered", "open", "click", "bounce", "dropped",
                             "deferred", "group_unsubscribe "})
        batch.push_back(event(type, jane, std::string("evt-") + type, t, 4101));
    expect_accepted(api.request(signed_post(key_, batch)), batch.size(), 0);
    expect_email_default(api, jane, "district");
    expect_email_default(api, jane, "emergency");
    EXPECT_TRUE(audit_entries(api).empty());
}

TEST_F(SendgridWebhook, EventsWithoutTheirFieldsAreSkippedMaskedAndTheRestApplied) {
    const std::int64_t t = seconds_ago(60);
    auto no_id = event("unsubscribe", "sam.hill@example.org", "", t);
    no_id.erase("sg_event_id");
    const json::array batch{event("unsubscribe", "not-an-address", "evt-bad", t), no_id,
                            json::value("not an object"),
                            event("unsubscribe", jane, "evt-good", t)};
    expect_accepted(api.request(signed_post(key_, batch)), 4, 1, 2);
    EXPECT_EQ(text_of(check_one(api, jane, "district", "email"), "reason"), "opted_out");
    expect_email_default(api, "sam.hill@example.org");
    ASSERT_EQ(audit_entries(api).size(), 1u);
    const std::string log = api.log_text();
    EXPECT_THAT(log, HasSubstr("s***@example.org): missing fields; skipped"));
    EXPECT_THAT(log, HasSubstr("invalid email; skipped"));
    EXPECT_THAT(log, Not(HasSubstr("sam.hill@example.org")));
    EXPECT_THAT(log, Not(HasSubstr(jane)));
}

TEST_F(SendgridWebhook, AnUnsubscribeDeliveredAfterTheNightlyImportStillOptsOut) {
    // Jane unsubscribed an hour ago; SendGrid's delivery failed and is retried only now, after
    // the nightly import listed her as opted in (its rows are dated when they are sent).
    const std::int64_t unsubscribed = seconds_ago(3600);
    for (const char* row : {"row-1", "row-2"}) {  // two nights: a record made, then kept
        const auto imported = api.request(api_call(
            "PUT", std::string("/v1/consent/") + jane, test_api_key,
            R"({"channel":"email","program":"district","state":"opted_in","source":"import",)"
            R"("request_id":")" +
                std::string(row) + "\"}"));
        ASSERT_EQ(imported.status, 200) << imported.body;
    }
    expect_accepted(api.request(signed_post(
                        key_, json::array{event("unsubscribe", jane, "evt-late", unsubscribed)})),
                    1, 1);
    const auto denied = check_one(api, jane, "district", "email");
    EXPECT_EQ(text_of(denied, "reason"), "opted_out");
    EXPECT_EQ(text_of(denied, "source"), "sendgrid");
    EXPECT_EQ(text_of(denied, "since"), format_rfc3339(unsubscribed * 1000));
    // The next night's import cannot opt her back in (rule 7).
    const auto refused = api.request(
        api_call("PUT", std::string("/v1/consent/") + jane, test_api_key,
                 R"({"channel":"email","program":"district","state":"opted_in","source":"import",)"
                 R"("request_id":"row-3"})"));
    EXPECT_THAT(refused.body, HasSubstr(R"("outcome":"refused")"));
    EXPECT_EQ(text_of(check_one(api, jane, "district", "email"), "reason"), "opted_out");
}

TEST_F(SendgridWebhook, ABatchOverOneMebibyteIsRefusedWhole) {
    const std::string body =
        json::serialize(json::array{event("unsubscribe", jane, "evt-big", seconds_ago(60))}) +
        std::string(1024 * 1024, ' ');
    const auto answer = api.request(signed_post(key_, body));
    EXPECT_EQ(answer.status, 413) << answer.body;
    EXPECT_EQ(audit_entries(api).size(), 0u);
}

TEST_F(SendgridWebhook, ABadOrMissingSignatureIsRefusedAndChangesNothing) {
    const std::string body =
        json::serialize(json::array{event("unsubscribe", jane, "evt-1", seconds_ago(60))});
    const p256_test_key other;
    EXPECT_TRUE(is_error(api.request(signed_post(other, body)), 403, "bad_signature"));
    auto call = signed_post(key_, body);
    call.body = json::serialize(json::array{event("unsubscribe", omar, "evt-1", seconds_ago(60))});
    EXPECT_TRUE(is_error(api.request(call), 403, "bad_signature"));  // body swapped
    call = signed_post(key_, body);
    call.headers["X-Twilio-Email-Event-Webhook-Timestamp"] = std::to_string(seconds_ago(1));
    EXPECT_TRUE(is_error(api.request(call), 403, "bad_signature"));  // timestamp swapped
    call = signed_post(key_, body);
    call.headers.erase("X-Twilio-Email-Event-Webhook-Signature");
    EXPECT_TRUE(is_error(api.request(call), 403, "bad_signature"));
    call.headers["X-Twilio-Email-Event-Webhook-Signature"] = "not base64";
    EXPECT_TRUE(is_error(api.request(call), 403, "bad_signature"));
    expect_email_default(api, jane);
    expect_email_default(api, omar);
    EXPECT_TRUE(audit_entries(api).empty());
}

TEST_F(SendgridWebhook, ATimestampOutsideSendgridsRetryWindowIsRefused) {
    const std::string body =
        json::serialize(json::array{event("unsubscribe", jane, "evt-1", seconds_ago(60))});
    EXPECT_TRUE(is_error(api.request(signed_post(key_, body, seconds_ago(25 * 3600 + 60))), 403,
                         "stale_timestamp"));
    EXPECT_TRUE(is_error(api.request(signed_post(key_, body, seconds_ago(-11 * 60))), 403,
                         "stale_timestamp"));
    expect_email_default(api, jane);
    EXPECT_TRUE(audit_entries(api).empty());
    // SendGrid's last retry, 24 hours after the first attempt, with that attempt's signature.
    expect_accepted(api.request(signed_post(key_, body, seconds_ago(24 * 3600))), 1, 1);
    EXPECT_EQ(text_of(check_one(api, jane, "district", "email"), "reason"), "opted_out");
}

TEST_F(SendgridWebhook, MalformedBodiesAndWrongContentTypesAreRefused) {
    for (const char* body : {"", "{", "{\"event\":\"unsubscribe\"}", "null", "[1,2"})
        EXPECT_TRUE(is_error(api.request(signed_post(key_, body)), 400, "malformed_json")) << body;
    auto call = signed_post(
        key_, json::serialize(json::array{event("unsubscribe", jane, "evt-1", seconds_ago(60))}));
    call.headers["Content-Type"] = "application/x-www-form-urlencoded";
    EXPECT_TRUE(is_error(api.request(call), 415, "unsupported_media_type"));
    expect_email_default(api, jane);
    EXPECT_TRUE(audit_entries(api).empty());
}

TEST_F(SendgridWebhook, WithoutTheProviderConfiguredTheWebhookIsNotFound) {
    api.reload(sendgrid::email_config);
    const std::string body =
        json::serialize(json::array{event("unsubscribe", jane, "evt-1", seconds_ago(60))});
    EXPECT_TRUE(is_error(api.request(signed_post(key_, body)), 404, "not_found"));
    expect_email_default(api, jane);
}

}  // namespace
}  // namespace optgate::testing
