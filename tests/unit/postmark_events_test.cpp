// Postmark SubscriptionChange records and what they do to consent: complaints and
// unsubscribes opt out of email.unsubscribe_programs; bounces and reactivations change nothing
// (a reactivation is never an opt-in, whoever made it); a change without a readable ChangedAt
// is dated at its receipt; every event is deduplicated on the change itself.
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

// Postmark sends null for a reactivation's MessageID and, mostly, its SuppressionReason.
postmark_subscription_change reactivation(std::optional<std::string_view> origin,
                                          std::optional<std::string_view> reason) {
    auto c = suppression(reason);
    c.message_id.reset();
    c.suppress_sending = false;
    c.origin = origin;
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

TEST(PostmarkEvents, AReactivationIsNeverAnOptIn) {
    // Staff lifting a bounce or a suppression, Postmark's own staff, and even a recipient
    // taking back an unsubscribe on Postmark's page: none may undo an unsubscribe the family
    // made elsewhere, and the record cannot say where it was made.
    const std::vector<std::string> both{"district", "emergency"};
    const struct {
        std::optional<std::string_view> origin, reason;
        std::string kind;
    } cases[] = {
        {"Customer", "HardBounce", "reactivation after HardBounce by Customer"},
        {"Customer", "ManualSuppression", "reactivation after ManualSuppression by Customer"},
        {"Admin", "SpamComplaint", "reactivation after SpamComplaint by Admin"},
        {"Recipient", std::nullopt, "reactivation by Recipient"},
        {std::nullopt, std::nullopt, "reactivation"},
        // Words that are not Postmark's are not repeated (they would reach the log).
        {"Someone\nelse", "Because", "reactivation"},
    };
    for (const auto& c : cases) {
        const auto plan =
            plan_postmark_subscription_change(reactivation(c.origin, c.reason), both, received);
        EXPECT_EQ(plan.status, postmark_status::reactivation) << c.kind;
        EXPECT_TRUE(plan.events.empty()) << c.kind;
        EXPECT_EQ(plan.kind, c.kind);
    }
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
    // The same message suppressed again at another time is a different change; a retry of
    // one change is the same.
    const auto key = [](const postmark_subscription_change& c) {
        return plan_postmark_subscription_change(c, programs, received).events.at(0).dedupe_key;
    };
    auto first = suppression("SpamComplaint");
    auto later = first;
    later.changed_at = "2026-11-22T09:59:30Z";
    EXPECT_EQ(key(first), key(suppression("SpamComplaint")));
    EXPECT_NE(key(first), key(later));
}

// The stated time is kept for the audit; the store dates the event by its receipt.
TEST(PostmarkEvents, ATimeInTheFutureIsKeptAsStated) {
    auto c = suppression("SpamComplaint");
    c.changed_at = "2027-01-01T00:00:00Z";
    const auto plan = plan_postmark_subscription_change(c, programs, received);
    ASSERT_EQ(plan.status, postmark_status::changed);
    EXPECT_EQ(plan.events.at(0).event_time, *parse_rfc3339("2027-01-01T00:00:00Z"));
    EXPECT_EQ(dated_event_time(plan.events.at(0)), received);
}

TEST(PostmarkEvents, OffsetsAndFractionsOfIso8601AreRead) {
    auto c = suppression("SpamComplaint");
    c.changed_at = "2026-11-22T04:59:00.416-05:00";
    EXPECT_EQ(plan_postmark_subscription_change(c, programs, received).events.at(0).event_time,
              changed);
}

TEST(PostmarkEvents, AChangeWithoutAReadableTimeIsDatedAtItsReceipt) {
    // Refused, Postmark would retry it in vain for ten hours and the unsubscribe be lost.
    for (std::string_view bad :
         {"", "2026-11-22", "2026-11-22T09:59:00", "yesterday", "2026-13-22T09:59:00Z"}) {
        auto c = suppression("ManualSuppression");
        c.changed_at = bad;
        const auto plan = plan_postmark_subscription_change(c, programs, received);
        ASSERT_EQ(plan.status, postmark_status::changed) << bad;
        EXPECT_TRUE(plan.dated_at_receipt) << bad;
        ASSERT_EQ(plan.events.size(), 1u) << bad;
        EXPECT_EQ(plan.events[0].state, consent_state::opted_out) << bad;
        EXPECT_EQ(plan.events[0].event_time, 0) << bad;  // none stated
        EXPECT_EQ(dated_event_time(plan.events[0]), received) << bad;
        // The receipt in the key: a later unsubscribe without a time is never a duplicate.
        EXPECT_EQ(plan.events[0].dedupe_key,
                  "postmark:883953f4-6105-42a2-a16a-77a8eac79483:2026-11-22T10:00:00.000Z:"
                  "suppressed")
            << bad;
    }
    EXPECT_FALSE(plan_postmark_subscription_change(suppression("SpamComplaint"), programs, received)
                     .dated_at_receipt);
}

TEST(PostmarkEvents, AnOversizedMessageIdIsRefused) {
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
