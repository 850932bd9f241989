// What a Mailgun event means for consent (SPEC "Email"): `unsubscribed` and `complained` opt
// out of email.unsubscribe_programs, other events change nothing, an event without a timestamp
// is dated at its receipt, and an event that lacks its type or id or names an invalid
// recipient is told apart (the route answers 406).
#include "core/mailgun_event.hpp"

#include <gtest/gtest.h>

namespace optgate {
namespace {

constexpr epoch_ms received = 1'795'341'600'000;
constexpr epoch_ms acted = 1'795'341'599'123;
const std::vector<std::string> unsubscribe_programs{"district"};

mailgun_event event(std::string_view type) {
    return {type, "Jane.Doe@Example.org", acted, "CPgfbmQMTCKtHW6uIWtuVe"};
}

TEST(MailgunEvent, UnsubscribedAndComplainedOptOutOfTheUnsubscribePrograms) {
    for (const char* type : {"unsubscribed", "complained"}) {
        const auto plan = plan_mailgun_event(event(type), unsubscribe_programs, received);
        EXPECT_EQ(plan.status, mailgun_event_status::consent) << type;
        ASSERT_EQ(plan.events.size(), 1u) << type;
        const auto& e = plan.events[0];
        EXPECT_EQ(e.address, "jane.doe@example.org");
        EXPECT_EQ(e.channel, channel::email);
        EXPECT_EQ(e.program, "district");
        EXPECT_EQ(e.state, consent_state::opted_out);
        EXPECT_EQ(e.event_time, acted);
        EXPECT_EQ(e.received_time, received);
        EXPECT_EQ(e.source, "mailgun");
        EXPECT_EQ(e.reference, "CPgfbmQMTCKtHW6uIWtuVe");
        EXPECT_EQ(e.dedupe_key, "mailgun:CPgfbmQMTCKtHW6uIWtuVe");
        EXPECT_EQ(e.keyword, type);
    }
    const auto both = plan_mailgun_event(event("complained"), {"district", "emergency"}, received);
    ASSERT_EQ(both.events.size(), 2u);
    EXPECT_EQ(both.events[1].program, "emergency");
}

TEST(MailgunEvent, OtherEventsChangeNothing) {
    for (const char* type : {"accepted", "delivered", "opened", "clicked", "failed", "rejected",
                             "stored", "Unsubscribed"}) {
        auto e = event(type);
        e.id = "";
        const auto plan = plan_mailgun_event(e, unsubscribe_programs, received);
        EXPECT_EQ(plan.status, mailgun_event_status::ignored) << type;
        EXPECT_TRUE(plan.events.empty());
    }
}

TEST(MailgunEvent, MissingFieldsAndInvalidRecipientsAreTold) {
    auto e = event("");
    EXPECT_EQ(plan_mailgun_event(e, unsubscribe_programs, received).status,
              mailgun_event_status::missing_fields);
    e = event("unsubscribed");
    e.id = "";
    EXPECT_EQ(plan_mailgun_event(e, unsubscribe_programs, received).status,
              mailgun_event_status::missing_fields);
    const std::string long_id(101, 'x');
    e.id = long_id;
    EXPECT_EQ(plan_mailgun_event(e, unsubscribe_programs, received).status,
              mailgun_event_status::missing_fields);
    for (const char* recipient : {"", "jane", "jane@@example.org", "jane@example"}) {
        e = event("unsubscribed");
        e.recipient = recipient;
        const auto plan = plan_mailgun_event(e, unsubscribe_programs, received);
        EXPECT_EQ(plan.status, mailgun_event_status::invalid_recipient) << recipient;
        EXPECT_TRUE(plan.events.empty());
    }
}

TEST(MailgunEvent, AConsentEventWithoutATimestampIsDatedAtItsReceipt) {
    // Refused (406), Mailgun would never send it again: the unsubscribe would be lost.
    for (const char* type : {"unsubscribed", "complained"}) {
        auto e = event(type);
        e.time.reset();  // absent, or not a number of seconds
        const auto plan = plan_mailgun_event(e, unsubscribe_programs, received);
        EXPECT_EQ(plan.status, mailgun_event_status::consent) << type;
        ASSERT_EQ(plan.events.size(), 1u) << type;
        EXPECT_EQ(plan.events[0].event_time, 0) << type;  // none stated
        EXPECT_EQ(dated_event_time(plan.events[0]), received) << type;
        EXPECT_EQ(plan.events[0].state, consent_state::opted_out) << type;
        EXPECT_EQ(plan.events[0].dedupe_key, "mailgun:CPgfbmQMTCKtHW6uIWtuVe") << type;
    }
}

}  // namespace
}  // namespace optgate
