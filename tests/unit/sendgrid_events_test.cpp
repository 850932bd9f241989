// What a SendGrid event means for consent (SPEC "Email"): unsubscribes and spam reports opt
// out of email.unsubscribe_programs only, group events follow email.groups (an unsubscribe
// from a group that cannot be mapped stops email.unsubscribe_programs, a resubscribe to one
// changes nothing), other event types change nothing, an event without a timestamp is dated
// at its receipt, and consent events without an id or a valid email are skipped.
#include "core/sendgrid_events.hpp"

#include <gtest/gtest.h>

namespace optgate {
namespace {

constexpr epoch_ms received = 1'795'341'600'000;  // 2026-11-22T10:00:00.000Z
constexpr epoch_ms acted = 1'795'341'000'000;     // ten minutes earlier

const std::vector<std::string> unsubscribe_programs{"district"};
const std::map<std::string, std::string> groups{{"4101", "district"}, {"4102", "emergency"}};

sendgrid_event event(std::string_view type, std::optional<std::string> group = std::nullopt) {
    return {type, " Jane.Doe@Example.ORG ", acted, "Lm9fDaJ1Sx2zYq0oGg3Gkw", std::move(group)};
}

sendgrid_event_plan plan(const sendgrid_event& e) {
    return plan_sendgrid_event(e, unsubscribe_programs, groups, received);
}

void expect_email_event(const consent_event& e, std::string_view program, consent_state state,
                        std::string_view type) {
    EXPECT_EQ(e.address, "jane.doe@example.org");
    EXPECT_EQ(e.channel, channel::email);
    EXPECT_EQ(e.program, program);
    EXPECT_EQ(e.state, state);
    EXPECT_EQ(e.event_time, acted);
    EXPECT_EQ(e.received_time, received);
    EXPECT_EQ(e.source, "sendgrid");
    EXPECT_EQ(e.reference, "Lm9fDaJ1Sx2zYq0oGg3Gkw");
    EXPECT_EQ(e.dedupe_key, "sendgrid:Lm9fDaJ1Sx2zYq0oGg3Gkw");
    EXPECT_EQ(e.keyword, type);
    EXPECT_EQ(e.match, "");
    EXPECT_EQ(e.actor, "");
    EXPECT_FALSE(e.bulk_import);
}

TEST(SendgridEvents, UnsubscribeAndSpamReportOptOutOfTheUnsubscribeProgramsOnly) {
    for (const char* type : {"unsubscribe", "spamreport"}) {
        const auto p = plan(event(type));
        EXPECT_EQ(p.status, sendgrid_event_status::consent) << type;
        ASSERT_EQ(p.events.size(), 1u) << type;
        expect_email_event(p.events[0], "district", consent_state::opted_out, type);
    }
}

TEST(SendgridEvents, UnsubscribeReachesEveryConfiguredUnsubscribeProgram) {
    const auto p =
        plan_sendgrid_event(event("unsubscribe"), {"district", "emergency"}, groups, received);
    ASSERT_EQ(p.events.size(), 2u);
    expect_email_event(p.events[0], "district", consent_state::opted_out, "unsubscribe");
    expect_email_event(p.events[1], "emergency", consent_state::opted_out, "unsubscribe");
    // None configured: a consent event that changes nothing.
    const auto none = plan_sendgrid_event(event("unsubscribe"), {}, groups, received);
    EXPECT_EQ(none.status, sendgrid_event_status::consent);
    EXPECT_TRUE(none.events.empty());
}

TEST(SendgridEvents, GroupEventsChangeTheGroupsProgram) {
    auto p = plan(event("group_unsubscribe", "4102"));
    EXPECT_EQ(p.status, sendgrid_event_status::consent);
    ASSERT_EQ(p.events.size(), 1u);
    expect_email_event(p.events[0], "emergency", consent_state::opted_out, "group_unsubscribe");
    p = plan(event("group_resubscribe", "4101"));
    ASSERT_EQ(p.events.size(), 1u);
    expect_email_event(p.events[0], "district", consent_state::opted_in, "group_resubscribe");
}

TEST(SendgridEvents, AnUnsubscribeFromAGroupThatIsNotMappedStopsTheUnsubscribePrograms) {
    // A group added in SendGrid but not (yet) in email.groups, or an event without a readable
    // group: the family asked to stop something, never nothing.
    const std::vector<std::string> both{"district", "emergency"};
    for (const auto& [group, match] :
         {std::pair<std::optional<std::string>, std::string>{"9999", "unmapped group 9999"},
          {std::nullopt, "no group"}}) {
        const auto p =
            plan_sendgrid_event(event("group_unsubscribe", group), both, groups, received);
        EXPECT_EQ(p.status, sendgrid_event_status::unmapped_unsubscribe) << match;
        ASSERT_EQ(p.events.size(), 2u) << match;
        for (std::size_t i = 0; i < 2; ++i) {
            EXPECT_EQ(p.events[i].program, both[i]);
            EXPECT_EQ(p.events[i].state, consent_state::opted_out);
            EXPECT_EQ(p.events[i].keyword, "group_unsubscribe");
            EXPECT_EQ(p.events[i].match, match);  // the audit says why these programs
            EXPECT_EQ(p.events[i].dedupe_key, "sendgrid:Lm9fDaJ1Sx2zYq0oGg3Gkw");
        }
    }
}

TEST(SendgridEvents, AResubscribeToAGroupThatIsNotMappedOptsNothingIn) {
    for (const auto& group : {std::optional<std::string>("9999"), std::optional<std::string>()}) {
        const auto p = plan(event("group_resubscribe", group));
        EXPECT_EQ(p.status, sendgrid_event_status::unmapped_resubscribe);
        EXPECT_TRUE(p.events.empty());
    }
}

TEST(SendgridEvents, AConsentEventWithoutATimestampIsDatedAtItsReceipt) {
    for (const auto& [type, group] :
         {std::pair<const char*, std::optional<std::string>>{"unsubscribe", std::nullopt},
          {"spamreport", std::nullopt},
          {"group_unsubscribe", "4102"},
          {"group_unsubscribe", "9999"},
          {"group_resubscribe", "4101"}}) {
        auto e = event(type, group);
        e.time.reset();  // absent, or not a number SendGrid could have meant
        const auto p = plan(e);
        ASSERT_EQ(p.events.size(), 1u) << type;
        EXPECT_EQ(p.events[0].event_time, 0) << type;  // none stated
        EXPECT_EQ(dated_event_time(p.events[0]), received) << type;
        EXPECT_EQ(p.events[0].received_time, received) << type;
    }
}

TEST(SendgridEvents, OtherEventTypesChangeNothingWhateverTheirFields) {
    for (const char* type : {"processed", "delivered", "open", "click", "bounce", "dropped",
                             "deferred", "Unsubscribe", "", "group_unsubscribe "}) {
        auto e = event(type, "4101");
        const auto p = plan(e);
        EXPECT_EQ(p.status, sendgrid_event_status::ignored) << type;
        EXPECT_TRUE(p.events.empty()) << type;
        e.sg_event_id = "";  // not needed for an event that changes nothing
        EXPECT_EQ(plan(e).status, sendgrid_event_status::ignored) << type;
    }
}

TEST(SendgridEvents, ConsentEventsWithoutAnIdAreSkipped) {
    auto e = event("unsubscribe");
    e.sg_event_id = "";
    EXPECT_EQ(plan(e).status, sendgrid_event_status::missing_fields);
    const std::string long_id(101, 'a');
    e = event("spamreport");
    e.sg_event_id = long_id;
    EXPECT_EQ(plan(e).status, sendgrid_event_status::missing_fields);
    e.sg_event_id = std::string_view(long_id).substr(0, 100);
    EXPECT_EQ(plan(e).status, sendgrid_event_status::consent);
    e = event("group_unsubscribe", "4101");
    e.sg_event_id = "";
    EXPECT_EQ(plan(e).status, sendgrid_event_status::missing_fields);
}

TEST(SendgridEvents, AnInvalidEmailIsSkipped) {
    for (const char* email :
         {"", "jane", "jane@", "@example.org", "jane doe@example.org", "+16515550100"}) {
        auto e = event("unsubscribe");
        e.email = email;
        const auto p = plan(e);
        EXPECT_EQ(p.status, sendgrid_event_status::invalid_email) << email;
        EXPECT_TRUE(p.events.empty()) << email;
    }
}

}  // namespace
}  // namespace optgate
