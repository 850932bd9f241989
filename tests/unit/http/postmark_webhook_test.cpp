// Postmark's SubscriptionChange webhook in process: a reactivation never undoes an unsubscribe,
// redeliveries are audited once, bounces and other records change nothing, requests without
// the right credentials or malformed are refused, and how an unsubscribe is dated (SPEC
// "Email"). A spam complaint end to end: tests/e2e/postmark_test.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

#include "core/timestamp.hpp"
#include "tests/support/api_reply.hpp"
#include "tests/support/postmark_webhook.hpp"
#include "tests/unit/http/route_harness.hpp"

namespace optgate::testing {
namespace {

using postmark::message_id;
using postmark::password;
using postmark::post;
using postmark::subscription_change;
using postmark::username;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* jane = "jane.doe@example.org";
constexpr const char* omar = "omar@example.org";

class PostmarkWebhook : public ::testing::Test {
  protected:
    void expect_nothing_changed() const { expect_email_unchanged(api, {jane}); }

    route_harness api{{}, postmark::provider_yaml()};
};

TEST_F(PostmarkWebhook, AReactivationNeverUndoesAnUnsubscribe) {
    const epoch_ms unsubscribed = api.now - 180'000;
    // Postmark records an unsubscribe through its link as a ManualSuppression.
    expect_webhook_status(
        api.request(post(subscription_change(jane, true, "ManualSuppression", unsubscribed))),
        "journaled");
    EXPECT_EQ(text_of(check_one(api, jane, "district", "email"), "reason"), "opted_out");

    // The district's staff lift the suppression (as after a bounce was dealt with), then the
    // recipient takes the unsubscribe back on Postmark's page: neither opts in, both are 200.
    expect_webhook_status(
        api.request(post(subscription_change(jane, false, "HardBounce", unsubscribed + 60'000,
                                             nullptr, "Customer"))),
        "ignored");
    expect_webhook_status(api.request(post(subscription_change(jane, false, nullptr,
                                                               unsubscribed + 120'000, nullptr))),
                          "ignored");
    expect_email_unsubscribed(api, jane, "postmark", unsubscribed);  // one audit entry

    const std::string log = api.log_text();
    EXPECT_THAT(log, HasSubstr("postmark: reactivation after HardBounce by Customer of "
                               "j***@example.org; not an opt-in, no change"));
    EXPECT_THAT(log, HasSubstr("postmark: reactivation by Recipient of j***@example.org"));
    EXPECT_THAT(log, Not(HasSubstr(jane)));
    const auto metrics = api.request(http_call{"GET", "/metrics", {}, {}});
    EXPECT_THAT(metrics.body, HasSubstr("optgate_opt_ins_not_applied_total{provider=\"postmark\","
                                        "reason=\"reactivation\"} 2\n"));
}

TEST_F(PostmarkWebhook, ARedeliveredChangeIsAuditedOnce) {
    const epoch_ms changed = api.now - 60'000;
    const auto change = subscription_change(jane, true, "SpamComplaint", changed);
    for (int delivery = 1; delivery <= 3; ++delivery)
        expect_webhook_status(api.request(post(change)), "journaled");
    expect_email_unsubscribed(api, jane, "postmark", changed);
}

TEST_F(PostmarkWebhook, BouncesAndOtherRecordsChangeNothing) {
    expect_webhook_status(
        api.request(post(subscription_change(jane, true, "HardBounce", api.now - 60'000))),
        "ignored");
    const json::object bounce{{"RecordType", "Bounce"}, {"ID", 4323372036854775807},
                              {"Type", "HardBounce"},   {"MessageID", message_id},
                              {"Email", jane},          {"BouncedAt", "2026-11-22T09:59:00Z"}};
    expect_webhook_status(api.request(post(bounce)), "ignored");
    const json::object delivery{{"RecordType", "Delivery"},
                                {"MessageID", message_id},
                                {"Recipient", jane},
                                {"DeliveredAt", "2026-11-22T09:59:00Z"}};
    expect_webhook_status(api.request(post(delivery)), "ignored");
    expect_nothing_changed();
}

TEST_F(PostmarkWebhook, WithoutTheRightCredentialsNothingChanges) {
    const auto body =
        json::serialize(subscription_change(jane, true, "SpamComplaint", api.now - 60'000));
    auto no_credentials = post(body);
    no_credentials.headers.erase("Authorization");
    for (const auto& call : {no_credentials, post(body, username, "wrong-password"),
                             post(body, "someone-else", password), post(body, "", "")}) {
        const auto result = api.request(call);
        EXPECT_TRUE(is_error(result, 401, "unauthorized"));
        // The challenge, for clients that send credentials only when asked.
        EXPECT_EQ(header_of(result, "www-authenticate"), "Basic realm=\"optgate\"");
    }
    auto bearer = post(body);
    bearer.headers["Authorization"] = std::string("Bearer ") + password;
    EXPECT_TRUE(is_error(api.request(bearer), 401, "unauthorized"));
    expect_nothing_changed();
    EXPECT_THAT(api.log_text(), HasSubstr("postmark: missing or wrong basic auth"));
}

TEST_F(PostmarkWebhook, MalformedRequestsAreRefusedAndChangeNothing) {
    const epoch_ms changed = api.now - 60'000;
    EXPECT_TRUE(is_error(api.request(post("{\"RecordType\":")), 400, "malformed_json"));
    EXPECT_TRUE(is_error(api.request(post("[]")), 400, "malformed_json"));
    EXPECT_TRUE(
        is_error(api.request(post(json::object{{"Recipient", jane}})), 400, "missing_fields"));
    for (const char* field : {"Recipient", "SuppressSending"}) {
        auto record = subscription_change(jane, true, "SpamComplaint", changed);
        record.erase(field);
        EXPECT_TRUE(is_error(api.request(post(record)), 400, "missing_fields")) << field;
    }
    auto as_text = subscription_change(jane, true, "SpamComplaint", changed);
    as_text["SuppressSending"] = "true";
    EXPECT_TRUE(is_error(api.request(post(as_text)), 400, "missing_fields"));
    auto long_id = subscription_change(jane, true, "SpamComplaint", changed);
    long_id["MessageID"] = std::string(101, 'a');
    EXPECT_TRUE(is_error(api.request(post(long_id)), 400, "malformed_fields"));
    auto form = post(subscription_change(jane, true, "SpamComplaint", changed));
    form.headers["Content-Type"] = "application/x-www-form-urlencoded";
    EXPECT_TRUE(is_error(api.request(form), 415, "unsupported_media_type"));
    expect_nothing_changed();
}

TEST_F(PostmarkWebhook, AnUnsubscribeWithoutAReadableChangedAtIsDatedAtItsReceipt) {
    auto no_time = subscription_change(jane, true, "ManualSuppression", api.now);
    no_time.erase("ChangedAt");
    const epoch_ms before = api.now;
    expect_webhook_status(api.request(post(no_time)), "journaled");
    const epoch_ms after = api.now;
    expect_email_unsubscribed(api, jane, "postmark", before, after);
    // A time without a zone is not one either: the receipt again.
    auto no_zone = subscription_change(omar, true, "SpamComplaint", api.now);
    no_zone["ChangedAt"] = "2026-11-22T09:59:00";
    expect_webhook_status(api.request(post(no_zone)), "journaled");
    EXPECT_EQ(text_of(check_one(api, omar, "district", "email"), "reason"), "opted_out");
    EXPECT_THAT(api.log_text(), HasSubstr("has no readable ChangedAt; dated at its receipt"));
}

// SPEC rule 2: ChangedAt ten minutes ahead of optgate's clock: the unsubscribe is dated by its
// receipt, Postmark's time kept beside it.
TEST_F(PostmarkWebhook, AnUnsubscribeDatedAheadOfTheClockIsDatedAtItsReceipt) {
    const epoch_ms ahead = api.now + 10 * 60'000;
    const epoch_ms before = api.now;
    expect_webhook_status(
        api.request(post(subscription_change(jane, true, "SpamComplaint", ahead))), "journaled");
    expect_email_unsubscribed_at_receipt(api, jane, "postmark", ahead, before, api.now);
}

TEST_F(PostmarkWebhook, NotConfiguredIsNotFound) {
    api.reload({});
    const auto result =
        api.request(post(subscription_change(jane, true, "SpamComplaint", api.now)));
    EXPECT_TRUE(is_error(result, 404, "not_found"));
    expect_nothing_changed();
}

}  // namespace
}  // namespace optgate::testing
