// Amazon SES notifications and what they do to consent: a complaint opts each complained
// recipient out of email.unsubscribe_programs, deduplicated on the SNS message; bounces,
// deliveries and complaints about mail SES never sent change nothing.
#include "core/ses_events.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace optgate {
namespace {

constexpr epoch_ms received = 1'795'341'600'000;    // 2026-11-22T10:00:00.000Z
constexpr epoch_ms complained = 1'795'341'000'237;  // 2026-11-22T09:50:00.237Z
constexpr epoch_ms published = 1'795'341'300'000;   // 2026-11-22T09:55:00.000Z
const std::vector<std::string> programs{"district"};

ses_notification complaint(std::vector<std::string_view> recipients) {
    ses_notification n;
    n.kind = "Complaint";
    n.complained_recipients = std::move(recipients);
    n.complaint_timestamp = "2026-11-22T09:50:00.237Z";
    n.sns_message_id = "f6b1d1c2-4b7e-5f2a-9a8e-0123456789ab";
    n.sns_timestamp = "2026-11-22T09:55:00.000Z";
    return n;
}

TEST(SesEvents, AComplaintOptsEachRecipientOut) {
    const auto plan = plan_ses_notification(
        complaint({"Parent@Example.org", "guardian@example.org"}), programs, received);
    ASSERT_EQ(plan.status, ses_status::complaint);
    EXPECT_EQ(plan.valid_recipients, 2u);
    ASSERT_EQ(plan.events.size(), 2u);
    EXPECT_EQ(plan.events[0].address, "parent@example.org");
    EXPECT_EQ(plan.events[1].address, "guardian@example.org");
    for (const auto& e : plan.events) {
        EXPECT_EQ(e.channel, channel::email);
        EXPECT_EQ(e.program, "district");
        EXPECT_EQ(e.state, consent_state::opted_out);
        EXPECT_EQ(e.event_time, complained);
        EXPECT_EQ(e.received_time, received);
        EXPECT_EQ(e.source, "ses");
        EXPECT_EQ(e.reference, "f6b1d1c2-4b7e-5f2a-9a8e-0123456789ab");
        EXPECT_EQ(e.dedupe_key, "ses:f6b1d1c2-4b7e-5f2a-9a8e-0123456789ab");
        EXPECT_EQ(e.keyword, "Complaint");
    }
}

TEST(SesEvents, EveryUnsubscribeProgramGetsAnEvent) {
    const std::vector<std::string> both{"district", "newsletter"};
    const auto plan = plan_ses_notification(complaint({"parent@example.org"}), both, received);
    ASSERT_EQ(plan.events.size(), 2u);
    EXPECT_EQ(plan.events[0].program, "district");
    EXPECT_EQ(plan.events[1].program, "newsletter");
}

TEST(SesEvents, WithoutAComplaintTimeTheSnsTimeThenTheReceiptIsUsed) {
    auto n = complaint({"parent@example.org"});
    n.complaint_timestamp.reset();
    EXPECT_EQ(plan_ses_notification(n, programs, received).events.at(0).event_time, published);
    n.complaint_timestamp = "not a time";
    EXPECT_EQ(plan_ses_notification(n, programs, received).events.at(0).event_time, published);
    n.sns_timestamp = "";
    EXPECT_EQ(dated_event_time(plan_ses_notification(n, programs, received).events.at(0)),
              received);
    n.complaint_timestamp = "2027-01-01T00:00:00Z";  // ahead of our clock: the store clamps it
    EXPECT_EQ(plan_ses_notification(n, programs, received).events.at(0).event_time,
              *parse_rfc3339("2027-01-01T00:00:00Z"));
}

TEST(SesEvents, InvalidRecipientsAreSkippedAndCounted) {
    const auto plan =
        plan_ses_notification(complaint({"parent@example.org", "nobody", ""}), programs, received);
    EXPECT_EQ(plan.status, ses_status::complaint);
    EXPECT_EQ(plan.valid_recipients, 1u);
    EXPECT_EQ(plan.invalid_recipients, 2u);
    ASSERT_EQ(plan.events.size(), 1u);
    EXPECT_EQ(plan.events[0].address, "parent@example.org");
}

TEST(SesEvents, BouncesDeliveriesAndOtherKindsChangeNothing) {
    for (std::string_view kind :
         {"Bounce", "Delivery", "Send", "Reject", "Open", "complaint", ""}) {
        auto n = complaint({"parent@example.org"});
        n.kind = kind;
        const auto plan = plan_ses_notification(n, programs, received);
        EXPECT_EQ(plan.status, ses_status::not_consent) << kind;
        EXPECT_TRUE(plan.events.empty()) << kind;
    }
}

TEST(SesEvents, AComplaintAboutMailNeverSentChangesNothing) {
    auto n = complaint({"parent@example.org"});
    n.complaint_sub_type = "OnAccountSuppressionList";
    const auto plan = plan_ses_notification(n, programs, received);
    EXPECT_EQ(plan.status, ses_status::suppressed);
    EXPECT_TRUE(plan.events.empty());
}

}  // namespace
}  // namespace optgate
