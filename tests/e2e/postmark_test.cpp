// Postmark's SubscriptionChange webhook, end to end: payloads in Postmark's documented shape,
// posted with the basic auth credentials of the webhook URL to the built daemon; what
// /v1/check, /v1/consent and the audit trail then say (SPEC "Email"), and that requests
// without the right credentials, malformed ones, bounces and reactivations change nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

#include "core/digest.hpp"
#include "core/timestamp.hpp"
#include "tests/e2e/e2e_fixture.hpp"

namespace optgate::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* path = "/webhooks/postmark";
constexpr const char* username = "postmark-hook";
constexpr const char* password = "test-postmark-password:with-colon";
constexpr const char* jane = "jane.doe@example.org";
constexpr const char* omar = "omar@example.org";
constexpr const char* message_id = "883953f4-6105-42a2-a16a-77a8eac79483";

std::string postmark_provider() {
    return std::string("  postmark: { username: \"") + username + "\", password: \"" + password +
           "\" }\n";
}

// Postmark writes ChangedAt with microseconds: "2026-11-22T09:59:00.416071Z".
std::string postmark_time(epoch_ms t) {
    std::string text = format_rfc3339(t);
    return text.insert(text.size() - 1, "071");
}

// A SubscriptionChange as Postmark posts it; `reason` null for most reactivations.
json::object subscription_change(std::string_view recipient, bool suppress, json::value reason,
                                 epoch_ms changed_at, json::value id = json::string(message_id),
                                 std::string_view origin = "Recipient") {
    return {{"RecordType", "SubscriptionChange"},
            {"MessageID", std::move(id)},
            {"ServerID", 123456},
            {"MessageStream", "outbound"},
            {"ChangedAt", postmark_time(changed_at)},
            {"Recipient", recipient},
            {"Origin", origin},
            {"SuppressSending", suppress},
            {"SuppressionReason", std::move(reason)},
            {"Tag", suppress ? json::value("district-news") : json::value(nullptr)},
            {"Metadata", json::object{}}};
}

http_call post(const std::string& body, const std::string& user = username,
               const std::string& pass = password) {
    http_call call;
    call.method = "POST";
    call.target = path;
    call.body = body;
    call.headers["Content-Type"] = "application/json";
    call.headers["Authorization"] = "Basic " + base64_encode(user + ":" + pass);
    return call;
}

http_call post(const json::object& record) {
    return post(json::serialize(record));
}

void expect_ok(const http_result& result, std::string_view status) {
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, "{\"status\":\"" + std::string(status) + "\"}");
}

// Still at the default for email, nothing audited.
void expect_nothing_changed(const daemon_process& daemon) {
    for (const char* program : {"district", "emergency"})
        EXPECT_EQ(text_of(check_one(daemon, jane, program, "email"), "reason"), "default")
            << program;
    EXPECT_TRUE(audit_entries(daemon).empty());
}

class PostmarkWebhook : public e2e_test {
  protected:
    static std::unique_ptr<daemon_process> start() { return start_daemon({}, postmark_provider()); }
};

TEST_F(PostmarkWebhook, ASpamComplaintOptsOutOfTheUnsubscribeProgramsOnly) {
    const auto daemon = start();
    const epoch_ms changed = now_ms() - 60'000;
    expect_ok(daemon->request(post(
                  subscription_change("Jane.Doe@Example.org", true, "SpamComplaint", changed))),
              "journaled");
    const auto entry = expect_email_unsubscribed(*daemon, jane, "postmark", changed);
    EXPECT_EQ(text_of(entry, "reference"), message_id);
    EXPECT_EQ(text_of(entry, "dedupe_key"), std::string("postmark:") + message_id + ":" +
                                                format_rfc3339(changed) + ":suppressed");
    EXPECT_EQ(text_of(entry, "keyword"), "SpamComplaint");
    EXPECT_EQ(text_of(entry, "event_time"), format_rfc3339(changed));
    EXPECT_THAT(daemon->log_text(), Not(HasSubstr(jane)));
    EXPECT_THAT(daemon->log_text(), Not(HasSubstr(password)));
}

TEST_F(PostmarkWebhook, AReactivationNeverUndoesAnUnsubscribe) {
    const auto daemon = start();
    const epoch_ms unsubscribed = now_ms() - 180'000;
    // Postmark records an unsubscribe through its link as a ManualSuppression.
    expect_ok(
        daemon->request(post(subscription_change(jane, true, "ManualSuppression", unsubscribed))),
        "journaled");
    EXPECT_EQ(text_of(check_one(*daemon, jane, "district", "email"), "reason"), "opted_out");

    // The district's staff lift the suppression (as after a bounce was dealt with), then the
    // recipient takes the unsubscribe back on Postmark's page: neither opts in, both are 200.
    expect_ok(daemon->request(post(subscription_change(
                  jane, false, "HardBounce", unsubscribed + 60'000, nullptr, "Customer"))),
              "ignored");
    expect_ok(daemon->request(
                  post(subscription_change(jane, false, nullptr, unsubscribed + 120'000, nullptr))),
              "ignored");
    expect_email_unsubscribed(*daemon, jane, "postmark", unsubscribed);  // one audit entry

    const std::string log = daemon->log_text();
    EXPECT_THAT(log, HasSubstr("postmark: reactivation after HardBounce by Customer of "
                               "j***@example.org; not an opt-in, no change"));
    EXPECT_THAT(log, HasSubstr("postmark: reactivation by Recipient of j***@example.org"));
    EXPECT_THAT(log, Not(HasSubstr(jane)));
    const auto metrics = daemon->request(http_call{"GET", "/metrics", {}, {}});
    EXPECT_THAT(metrics.body, HasSubstr("optgate_opt_ins_not_applied_total{provider=\"postmark\","
                                        "reason=\"reactivation\"} 2\n"));
}

TEST_F(PostmarkWebhook, ARedeliveredChangeIsAuditedOnce) {
    const auto daemon = start();
    const epoch_ms changed = now_ms() - 60'000;
    const auto change = subscription_change(jane, true, "SpamComplaint", changed);
    for (int delivery = 1; delivery <= 3; ++delivery)
        expect_ok(daemon->request(post(change)), "journaled");
    expect_email_unsubscribed(*daemon, jane, "postmark", changed);
}

TEST_F(PostmarkWebhook, BouncesAndOtherRecordsChangeNothing) {
    const auto daemon = start();
    expect_ok(
        daemon->request(post(subscription_change(jane, true, "HardBounce", now_ms() - 60'000))),
        "ignored");
    const json::object bounce{{"RecordType", "Bounce"}, {"ID", 4323372036854775807},
                              {"Type", "HardBounce"},   {"MessageID", message_id},
                              {"Email", jane},          {"BouncedAt", "2026-11-22T09:59:00Z"}};
    expect_ok(daemon->request(post(bounce)), "ignored");
    const json::object delivery{{"RecordType", "Delivery"},
                                {"MessageID", message_id},
                                {"Recipient", jane},
                                {"DeliveredAt", "2026-11-22T09:59:00Z"}};
    expect_ok(daemon->request(post(delivery)), "ignored");
    expect_nothing_changed(*daemon);
}

TEST_F(PostmarkWebhook, WithoutTheRightCredentialsNothingChanges) {
    const auto daemon = start();
    const auto body =
        json::serialize(subscription_change(jane, true, "SpamComplaint", now_ms() - 60'000));
    auto no_credentials = post(body);
    no_credentials.headers.erase("Authorization");
    for (const auto& call : {no_credentials, post(body, username, "wrong-password"),
                             post(body, "someone-else", password), post(body, "", "")}) {
        const auto result = daemon->request(call);
        EXPECT_TRUE(is_error(result, 401, "unauthorized"));
        // The challenge, for clients that send credentials only when asked.
        EXPECT_EQ(header_of(result, "www-authenticate"), "Basic realm=\"optgate\"");
    }
    auto bearer = post(body);
    bearer.headers["Authorization"] = std::string("Bearer ") + password;
    EXPECT_TRUE(is_error(daemon->request(bearer), 401, "unauthorized"));
    expect_nothing_changed(*daemon);
    EXPECT_THAT(daemon->log_text(), HasSubstr("postmark: missing or wrong basic auth"));
}

TEST_F(PostmarkWebhook, MalformedRequestsAreRefusedAndChangeNothing) {
    const auto daemon = start();
    const epoch_ms changed = now_ms() - 60'000;
    EXPECT_TRUE(is_error(daemon->request(post("{\"RecordType\":")), 400, "malformed_json"));
    EXPECT_TRUE(is_error(daemon->request(post("[]")), 400, "malformed_json"));
    EXPECT_TRUE(
        is_error(daemon->request(post(json::object{{"Recipient", jane}})), 400, "missing_fields"));
    for (const char* field : {"Recipient", "SuppressSending"}) {
        auto record = subscription_change(jane, true, "SpamComplaint", changed);
        record.erase(field);
        EXPECT_TRUE(is_error(daemon->request(post(record)), 400, "missing_fields")) << field;
    }
    auto as_text = subscription_change(jane, true, "SpamComplaint", changed);
    as_text["SuppressSending"] = "true";
    EXPECT_TRUE(is_error(daemon->request(post(as_text)), 400, "missing_fields"));
    auto long_id = subscription_change(jane, true, "SpamComplaint", changed);
    long_id["MessageID"] = std::string(101, 'a');
    EXPECT_TRUE(is_error(daemon->request(post(long_id)), 400, "malformed_fields"));
    auto form = post(subscription_change(jane, true, "SpamComplaint", changed));
    form.headers["Content-Type"] = "application/x-www-form-urlencoded";
    EXPECT_TRUE(is_error(daemon->request(form), 415, "unsupported_media_type"));
    expect_nothing_changed(*daemon);
}

TEST_F(PostmarkWebhook, AnUnsubscribeWithoutAReadableChangedAtIsDatedAtItsReceipt) {
    const auto daemon = start();
    auto no_time = subscription_change(jane, true, "ManualSuppression", now_ms());
    no_time.erase("ChangedAt");
    const epoch_ms before = now_ms();
    expect_ok(daemon->request(post(no_time)), "journaled");
    const epoch_ms after = now_ms();
    expect_email_unsubscribed(*daemon, jane, "postmark", before, after);
    // A time without a zone is not one either: the receipt again.
    auto no_zone = subscription_change(omar, true, "SpamComplaint", now_ms());
    no_zone["ChangedAt"] = "2026-11-22T09:59:00";
    expect_ok(daemon->request(post(no_zone)), "journaled");
    EXPECT_EQ(text_of(check_one(*daemon, omar, "district", "email"), "reason"), "opted_out");
    EXPECT_THAT(daemon->log_text(), HasSubstr("has no readable ChangedAt; dated at its receipt"));
}

// SPEC rule 2: ChangedAt ten minutes ahead of optgate's clock: the unsubscribe is dated by its
// receipt, Postmark's time kept beside it.
TEST_F(PostmarkWebhook, AnUnsubscribeDatedAheadOfTheClockIsDatedAtItsReceipt) {
    const auto daemon = start();
    const epoch_ms ahead = now_ms() + 10 * 60'000;
    const epoch_ms before = now_ms();
    expect_ok(daemon->request(post(subscription_change(jane, true, "SpamComplaint", ahead))),
              "journaled");
    expect_email_unsubscribed_at_receipt(*daemon, jane, "postmark", ahead, before, now_ms());
}

TEST_F(PostmarkWebhook, NotConfiguredIsNotFound) {
    const auto daemon = start_daemon();
    const auto result =
        daemon->request(post(subscription_change(jane, true, "SpamComplaint", now_ms())));
    EXPECT_TRUE(is_error(result, 404, "not_found"));
    expect_nothing_changed(*daemon);
}

}  // namespace
}  // namespace optgate::testing
