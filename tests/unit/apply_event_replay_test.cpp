// Replays of the journal after Redis lost data, as apply_event decides them: a first delivery
// restores only what it applied, a live delivery never restores, and every comparison leans to
// the opt-out (SPEC rules 2, 3, 5 and 7).
#include <gtest/gtest.h>

#include <string>

#include "core/apply_event.hpp"
#include "tests/unit/apply_event_support.hpp"

namespace optgate {
namespace {

using namespace apply_event_testing;

// What the seen hash remembers of `e` delivered and applied.
first_delivery applied_delivery_of(const consent_event& e) {
    return {e.received_time, e.state, event_outcome::applied};
}

// An SMS or a call states no time of its own: it is dated at its receipt.
consent_event dated_at_receipt(consent_state state, epoch_ms received, std::string key) {
    auto e = make_event(state, received, std::move(key));
    e.received_time = received;
    return e;
}

constexpr auto replay = delivery::replay;

TEST(ApplyEvent, AReplayedFirstDeliveryRestoresALostRecordWithoutAnAuditEntry) {
    // The journal applies a record again after Redis lost the consent hash but kept the seen
    // hash: the record comes back, nothing is audited twice.
    for (auto state : {in, out}) {
        const auto e = make_event(state, 1000, "SM1");
        const auto r = apply_event(std::nullopt, applied_delivery_of(e), e, replay);
        EXPECT_EQ(r.outcome, event_outcome::duplicate);
        EXPECT_EQ(r.new_record, record_of(e));
        EXPECT_FALSE(r.audited);
    }
}

TEST(ApplyEvent, ALiveDeliveryOfASeenKeyNeverRestoresEvenInTheSameMillisecond) {
    // A provider's batch gives every event one receipt time: a repeated key in it is a
    // duplicate, whatever the record says.
    const auto start = make_event(in, 1000, "SM1");
    expect_unchanged(apply_event(std::nullopt, applied_delivery_of(start), start),
                     event_outcome::duplicate, false);
    expect_unchanged(apply_event(make_record(out, 900), applied_delivery_of(start), start),
                     event_outcome::duplicate, false);
}

TEST(ApplyEvent, AReplayRestoresOnlyWhatTheFirstDeliveryApplied) {
    const auto start = make_event(in, 5000, "SM1");
    for (auto outcome : {event_outcome::superseded, event_outcome::refused})
        expect_unchanged(apply_event(std::nullopt, first_delivery{start.received_time, in, outcome},
                                     start, replay),
                         event_outcome::duplicate, false);
    // A redelivery in the journal (another receipt time, or another state under the key).
    expect_unchanged(
        apply_event(std::nullopt, first_delivery{start.received_time, out, event_outcome::applied},
                    start, replay),
        event_outcome::duplicate, false);
    expect_unchanged(
        apply_event(std::nullopt,
                    first_delivery{start.received_time - 1, in, event_outcome::applied}, start,
                    replay),
        event_outcome::duplicate, false);
}

TEST(ApplyEvent, AReplayNeverDatesAnotherInstancesLaterStopBackToItsOwnReceipt) {
    // Instance A received a START at 1000, instance B the family's STOP at 2000 (both dated at
    // receipt). A replays its journal: the START must not win over the later STOP, as the live
    // rule (a record dated after this receipt counts as dated at it) would let it.
    const auto start = dated_at_receipt(in, 1000, "SMa");
    expect_unchanged(apply_event(make_record(out, 2000), applied_delivery_of(start), start, replay),
                     event_outcome::duplicate, false);
    // The same without the seen entry (evicted too): superseded, not applied.
    expect_unchanged(apply_event(make_record(out, 2000), std::nullopt, start, replay),
                     event_outcome::superseded, true);
}

TEST(ApplyEvent, AReplayAfterOptgatesClockWasAheadEndsOnTheStopAsLiveDid) {
    // optgate's clock an hour ahead received a START (dated 3,600,000), was corrected, then
    // received the family's STOP (dated 300,000). Live, the STOP won. Redis restarts empty and
    // the journal is applied again in its order: the STOP must win again.
    const auto start = dated_at_receipt(in, 3'600'000, "SMa");
    const auto stop = dated_at_receipt(out, 300'000, "SMb");
    const auto first = apply_event(std::nullopt, std::nullopt, start, replay);
    ASSERT_TRUE(first.new_record);
    const auto second = apply_event(first.new_record, std::nullopt, stop, replay);
    EXPECT_EQ(second.new_record, record_of(stop));
}

TEST(ApplyEvent, InAReplayAnOptInNeverWinsATie) {
    const auto start = dated_at_receipt(in, 2000, "SMa");
    expect_unchanged(apply_event(make_record(out, 2000), applied_delivery_of(start), start, replay),
                     event_outcome::duplicate, false);
    const auto stop = dated_at_receipt(out, 2000, "SMb");
    const auto r = apply_event(make_record(in, 2000), applied_delivery_of(stop), stop, replay);
    EXPECT_EQ(r.new_record, record_of(stop));
}

TEST(ApplyEvent, AReplayKeepsRuleSeven) {
    // An import's opt-in never restores over an opt-out, nor re-dates an opt-in...
    const auto row = make_event(in, 3000, "row-1", true);
    expect_unchanged(apply_event(make_record(out, 1000), applied_delivery_of(row), row, replay),
                     event_outcome::duplicate, false);
    expect_unchanged(apply_event(make_record(in, 1000), applied_delivery_of(row), row, replay),
                     event_outcome::duplicate, false);
    // ...and an older opt-out restores over an import's opt-in, as it applied.
    const auto stop = make_event(out, 2000, "SM1");
    const auto r =
        apply_event(make_record(in, 3000, "import"), applied_delivery_of(stop), stop, replay);
    EXPECT_EQ(r.new_record, record_of(stop));
}

// Instance b's clock is ten minutes behind a's. a received the family's START (dated
// 1,000,000); then b received its STOP, dated 400,000 by b's clock. Live, the STOP won (a STOP
// dated at its receipt is never older). Redis loses everything and each instance's journal is
// applied again, b's first: a's START must not opt the family in again.
TEST(ApplyEvent, AnotherJournalsReplayNeverOptsInWhatOneJournalsReplayOptedOut) {
    const auto start = dated_at_receipt(in, 1'000'000, "SMa");
    const auto stop = dated_at_receipt(out, 400'000, "SMb");
    const auto b_first = apply_event(std::nullopt, std::nullopt, stop, replay, "b");
    ASSERT_TRUE(b_first.new_record);
    EXPECT_EQ(b_first.new_record->replayed_by, "b");
    expect_unchanged(apply_event(b_first.new_record, std::nullopt, start, replay, "a"),
                     event_outcome::superseded, true);
    // Nor as a restore (the seen hash kept: an eviction, or a failover to a replica that missed
    // the STOP).
    expect_unchanged(
        apply_event(b_first.new_record, applied_delivery_of(start), start, replay, "a"),
        event_outcome::duplicate, false);
    // Nor over an opt-out that a live event wrote since the loss, or that Redis kept.
    expect_unchanged(apply_event(record_of(stop), std::nullopt, start, replay, "a"),
                     event_outcome::superseded, true);
    // a's journal first: b's STOP is applied over the START, as it was live.
    const auto a_first = apply_event(std::nullopt, std::nullopt, start, replay, "a");
    const auto then_b = apply_event(a_first.new_record, std::nullopt, stop, replay, "b");
    ASSERT_TRUE(then_b.new_record);
    EXPECT_EQ(then_b.new_record->state, out);
}

TEST(ApplyEvent, WithinOneJournalAndLiveAnOptInAfterAReplayedOptOutAppliesByItsTime) {
    const auto stop = dated_at_receipt(out, 400'000, "SMb");
    const auto start = dated_at_receipt(in, 500'000, "SMc");
    const auto replayed_stop = apply_event(std::nullopt, std::nullopt, stop, replay, "b");
    ASSERT_TRUE(replayed_stop.new_record);
    // The same journal's later START: the family's own order.
    const auto same_journal =
        apply_event(replayed_stop.new_record, std::nullopt, start, replay, "b");
    ASSERT_TRUE(same_journal.new_record);
    EXPECT_EQ(same_journal.new_record->state, in);
    // A START received live after the replay: a live write names no journal.
    const auto live = apply_event(replayed_stop.new_record, std::nullopt, start);
    ASSERT_TRUE(live.new_record);
    EXPECT_EQ(*live.new_record, record_of(start));
}

// A's journal holds STOP (20) then START (30). Redis loses both; the family texts STOP again,
// live through B (50). A's replayed STOP does not date the live STOP back to 20 nor claim it
// for A's journal, so A's START, dated 30, does not opt the family in.
TEST(ApplyEvent, AReplayNeverDatesBackNorClaimsALiveStopSinceTheLoss) {
    const auto first_stop = dated_at_receipt(out, 20, "SMa");
    const auto start = dated_at_receipt(in, 30, "SMb");
    const auto live_stop = dated_at_receipt(out, 50, "SMc");
    const auto kept = record_of(live_stop);
    expect_unchanged(apply_event(kept, std::nullopt, first_stop, replay, "a"),
                     event_outcome::applied, true);
    expect_unchanged(apply_event(kept, std::nullopt, start, replay, "a"), event_outcome::superseded,
                     true);
}

}  // namespace
}  // namespace optgate
