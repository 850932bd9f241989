// Postmark SubscriptionChange records and what they do to consent: complaints and
// unsubscribes opt out of email.unsubscribe_programs, reactivations opt back in, bounces
// change nothing; every event is deduplicated on the change itself.
#include "core/postmark_events.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace optgate {
namespace {

constexpr epoch_ms received = 1'795'341'600'000;  // 2026-11-22T10:00:00.000Z
constexpr epoch_ms changed = 1'795'341'540'416;   // 2026-11-22T09:59:00.416Z
const std::vector<std::string> programs{"district"};

postmark_subscription_change suppression(std::optional<std::string_view> reason) {
    postmark_subscription_change c;
    c.message_id = "883953f4-6105-42a2-a16a-77a8eac79483";
    c.changed_at = "2026-11-22T09:59:00.416071Z";
    c.recipient = " Parent@Example.ORG ";
    c.suppress_sending = true;
    c.suppression_reason = reason;
    return c;
}

postmark_subscription_change reactivation() {
    auto c = suppression(std::nullopt);
    c.message_id.reset();  // Postmark sends null for reactivations
    c.suppress_sending = false;
    return c;
}

TEST(PostmarkEvents, SpamComplaintOptsOutOfTheUnsubscribePrograms) {
    const auto plan =
        plan_postmark_subscription_change(suppression("SpamComplaint"), programs, received);
    ASSERT_EQ(plan.status, postmark_status::changed);
    ASSERT_EQ(plan.events.size(), 1u);
    const auto& e = plan.events[0];
    EXPECT_EQ(e.address, "parent@example.org");
    EXPECT_EQ(e.channel, channel::email);
    EXPECT_EQ(e.program, "district");
    EXPECT_EQ(e.state, consent_state::opted_out);
    EXPECT_EQ(e.event_time, changed);
    EXPECT_EQ(e.received_time, received);
    EXPECT_EQ(e.source, "postmark");
    EXPECT_EQ(e.reference, "883953f4-6105-42a2-a16a-77a8eac79483");
    EXPECT_EQ(e.dedupe_key,
              "postmark:883953f4-6105-42a2-a16a-77a8eac79483:2026-11-22T09:59:00.416Z:suppressed");
    EXPECT_EQ(e.keyword, "SpamComplaint");
    EXPECT_FALSE(e.bulk_import);
}

TEST(PostmarkEvents, AnUnsubscribeIsAManualSuppressionAndOptsOutOfEveryConfiguredProgram) {
    const std::vector<std::string> both{"district", "newsletter"};
    const auto plan =
        plan_postmark_subscription_change(suppression("ManualSuppression"), both, received);
    ASSERT_EQ(plan.status, postmark_status::changed);
    ASSERT_EQ(plan.events.size(), 2u);
    EXPECT_EQ(plan.events[0].program, "district");
    EXPECT_EQ(plan.events[1].program, "newsletter");
    EXPECT_EQ(plan.events[1].state, consent_state::opted_out);
    EXPECT_EQ(plan.events[0].dedupe_key, plan.events[1].dedupe_key);
    EXPECT_EQ(plan.kind, "ManualSuppression");
}

TEST(PostmarkEvents, AReactivationOptsBackIn) {
    const auto plan = plan_postmark_subscription_change(reactivation(), programs, received);
    ASSERT_EQ(plan.status, postmark_status::changed);
    ASSERT_EQ(plan.events.size(), 1u);
    EXPECT_EQ(plan.events[0].state, consent_state::opted_in);
    EXPECT_EQ(plan.events[0].keyword, "Reactivated");
    EXPECT_EQ(plan.events[0].reference, "");
    EXPECT_EQ(plan.events[0].dedupe_key, "postmark::2026-11-22T09:59:00.416Z:reactivated");
}

TEST(PostmarkEvents, BouncesAndUnknownReasonsAreNotConsent) {
    for (std::optional<std::string_view> reason :
         {std::optional<std::string_view>("HardBounce"), std::optional<std::string_view>("Bounce"),
          std::optional<std::string_view>(""), std::optional<std::string_view>()}) {
        const auto plan =
            plan_postmark_subscription_change(suppression(reason), programs, received);
        EXPECT_EQ(plan.status, postmark_status::not_consent) << reason.value_or("<null>");
        EXPECT_TRUE(plan.events.empty());
    }
}

TEST(PostmarkEvents, TheChangeItselfIsTheDedupeKey) {
    // The same message suppressed and later reactivated, or suppressed again at another
    // time, are different changes; a retry of one change is the same.
    const auto key = [](const postmark_subscription_change& c) {
        return plan_postmark_subscription_change(c, programs, received).events.at(0).dedupe_key;
    };
    auto first = suppression("SpamComplaint");
    auto later = first;
    later.changed_at = "2026-11-22T09:59:30Z";
    auto reactivated = first;
    reactivated.suppress_sending = false;
    EXPECT_EQ(key(first), key(suppression("SpamComplaint")));
    EXPECT_NE(key(first), key(later));
    EXPECT_NE(key(first), key(reactivated));
}

TEST(PostmarkEvents, ATimeInTheFutureIsTakenAsTheReceipt) {
    auto c = suppression("SpamComplaint");
    c.changed_at = "2027-01-01T00:00:00Z";
    const auto plan = plan_postmark_subscription_change(c, programs, received);
    ASSERT_EQ(plan.status, postmark_status::changed);
    EXPECT_EQ(plan.events.at(0).event_time, received);
}

TEST(PostmarkEvents, OffsetsAndFractionsOfIso8601AreRead) {
    auto c = suppression("SpamComplaint");
    c.changed_at = "2026-11-22T04:59:00.416-05:00";
    EXPECT_EQ(plan_postmark_subscription_change(c, programs, received).events.at(0).event_time,
              changed);
}

TEST(PostmarkEvents, MalformedTimesAndOversizedIdsAreRefused) {
    for (std::string_view bad :
         {"", "2026-11-22", "2026-11-22T09:59:00", "yesterday", "2026-13-22T09:59:00Z"}) {
        auto c = suppression("SpamComplaint");
        c.changed_at = bad;
        EXPECT_EQ(plan_postmark_subscription_change(c, programs, received).status,
                  postmark_status::malformed)
            << bad;
    }
    auto c = suppression("SpamComplaint");
    const std::string long_id(101, 'a');
    c.message_id = long_id;
    EXPECT_EQ(plan_postmark_subscription_change(c, programs, received).status,
              postmark_status::malformed);
}

TEST(PostmarkEvents, ARecipientThatIsNotAnEmailAddressChangesNothing) {
    auto c = suppression("SpamComplaint");
    c.recipient = "not an address";
    const auto plan = plan_postmark_subscription_change(c, programs, received);
    EXPECT_EQ(plan.status, postmark_status::invalid_recipient);
    EXPECT_TRUE(plan.events.empty());
}

}  // namespace
}  // namespace optgate
