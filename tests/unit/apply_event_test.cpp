// The rules of consent 1-4 and 7 as apply_event decides them: latest event wins by event
// time, a seen dedupe key changes nothing, and a bulk import never re-opts-in.
#include "core/apply_event.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/unit/apply_event_support.hpp"

namespace optgate {
namespace {

using namespace apply_event_testing;

TEST(ApplyEvent, NoRecordAppliesTheEvent) {
    for (auto state : {in, out}) {
        const auto e = make_event(state, 1000, "SM1");
        expect_applied(apply_event(std::nullopt, std::nullopt, e), e);
    }
}

// The record keeps the family's language: the event's, else (an office change, an email) the
// one it had. The Lua script does the same (integration.redis_lua_agreement_test).
TEST(ApplyEvent, TheRecordKeepsTheLastLanguageKnown) {
    auto alto = make_event(out, 1000, "SM1");
    alto.language = "es";
    const auto first = apply_event(std::nullopt, std::nullopt, alto);
    ASSERT_TRUE(first.new_record);
    EXPECT_EQ(first.new_record->language, "es");
    const auto office = apply_event(first.new_record, std::nullopt, make_event(in, 2000, "A1"));
    ASSERT_TRUE(office.new_record);
    EXPECT_EQ(office.new_record->language, "es");
    auto stop = make_event(out, 3000, "SM2");
    stop.language = "en";
    EXPECT_EQ(apply_event(office.new_record, std::nullopt, stop).new_record->language, "en");
}

TEST(ApplyEvent, NewerEventReplacesTheRecord) {
    const auto e = make_event(in, 2000, "SM2");
    expect_applied(apply_event(make_record(out, 1000), std::nullopt, e), e);
    const auto e2 = make_event(out, 2000, "SM3");
    expect_applied(apply_event(make_record(in, 1999), std::nullopt, e2), e2);
}

TEST(ApplyEvent, OlderEventIsSupersededAuditedAndChangesNothing) {
    expect_unchanged(apply_event(make_record(out, 2000), std::nullopt, make_event(in, 1999, "SM1")),
                     event_outcome::superseded, true);
    expect_unchanged(apply_event(make_record(in, 2000), std::nullopt, make_event(out, 1000, "SM1")),
                     event_outcome::superseded, true);
    // Even when the state would not change.
    expect_unchanged(
        apply_event(make_record(out, 2000), std::nullopt, make_event(out, 1000, "SM1")),
        event_outcome::superseded, true);
}

TEST(ApplyEvent, AtEqualEventTimesAnOptOutAppliesAndAnOptInDoesNot) {
    // Ties lean to the opt-out (SendGrid's whole seconds make them real).
    const auto stop = make_event(out, 2000, "SM2");
    expect_applied(apply_event(make_record(in, 2000), std::nullopt, stop), stop);
    expect_applied(apply_event(make_record(out, 2000), std::nullopt, stop), stop);
    expect_unchanged(apply_event(make_record(out, 2000), std::nullopt, make_event(in, 2000, "SM3")),
                     event_outcome::superseded, true);
}

TEST(ApplyEvent, AnOptInNeverHasAClockCorrectedInItsFavour) {
    // Instance A cut off from Redis journals a START received at 100; instance B applies the
    // family's STOP received at 150; A's backlog then reaches Redis: the START is older.
    const auto start = make_event(in, 100, "SMa");
    auto at_receipt = start;
    at_receipt.received_time = 100;
    expect_unchanged(apply_event(make_record(out, 150), std::nullopt, at_receipt),
                     event_outcome::superseded, true);
    // A STOP keeps the correction: a record dated after its receipt counts as dated at it.
    auto stop = make_event(out, 100, "SMb");
    stop.received_time = 100;
    expect_applied(apply_event(make_record(in, 150), std::nullopt, stop), stop);
}

// A dedupe key first delivered long before (another receipt time): the event is a redelivery.
constexpr first_delivery earlier_delivery{100, out, event_outcome::applied};

TEST(ApplyEvent, SeenDedupeKeyIsADuplicateNotAuditedEvenIfNewer) {
    expect_unchanged(
        apply_event(make_record(out, 1000), earlier_delivery, make_event(in, 5000, "SM1")),
        event_outcome::duplicate, false);
    expect_unchanged(apply_event(std::nullopt, earlier_delivery, make_event(out, 5000, "SM1")),
                     event_outcome::duplicate, false);
    expect_unchanged(
        apply_event(make_record(out, 9000), earlier_delivery, make_event(in, 5000, "SM1")),
        event_outcome::duplicate, false);
    expect_unchanged(
        apply_event(make_record(out, 1000), earlier_delivery, make_event(in, 5000, "row-1", true)),
        event_outcome::duplicate, false);
}

TEST(ApplyEvent, BulkImportCreatesRecordsInBothStates) {
    for (auto state : {in, out}) {
        const auto e = make_event(state, 1000, "row-1", true);
        expect_applied(apply_event(std::nullopt, std::nullopt, e), e);
    }
}

TEST(ApplyEvent, BulkImportCanOptOut) {
    const auto e = make_event(out, 2000, "row-1", true);
    expect_applied(apply_event(make_record(in, 1000), std::nullopt, e), e);
}

TEST(ApplyEvent, BulkImportKeepsAnOptedInRecordWithItsDateAndSource) {
    // Applied (the record says what the row says), but not re-dated: a family's opt-out
    // delivered late (older than the import) must still be newer than the record.
    const auto r =
        apply_event(make_record(in, 1000), std::nullopt, make_event(in, 2000, "row-1", true));
    EXPECT_EQ(r.outcome, event_outcome::applied);
    EXPECT_EQ(r.new_record, std::nullopt);
    EXPECT_TRUE(r.audited);
    // An opt-out is dated by the import: it must supersede the family's older opt-in.
    const auto e = make_event(out, 2000, "row-2", true);
    expect_applied(apply_event(make_record(out, 1000), std::nullopt, e), e);
}

TEST(ApplyEvent, AnImportsOptInYieldsToOlderOptOutsAndToTheFamilysOlderEvents) {
    const auto imported = make_record(in, 4000, "import", "row-1");
    const auto family_stop = make_event(out, 3000, "SM1");
    expect_applied(apply_event(imported, std::nullopt, family_stop), family_stop);
    const auto family_start = make_event(in, 3000, "SM2");
    expect_applied(apply_event(imported, std::nullopt, family_start), family_start);
    const auto earlier_import_out = make_event(out, 3000, "row-0", true);
    expect_applied(apply_event(imported, std::nullopt, earlier_import_out), earlier_import_out);
    // An older import opt-in changes nothing; the family's records keep their precedence.
    expect_unchanged(apply_event(imported, std::nullopt, make_event(in, 3000, "row-0", true)),
                     event_outcome::superseded, true);
    expect_unchanged(apply_event(make_record(in, 4000), std::nullopt, family_stop),
                     event_outcome::superseded, true);
    expect_unchanged(
        apply_event(make_record(out, 4000, "import", "row-1"), std::nullopt, family_start),
        event_outcome::superseded, true);
}

TEST(ApplyEvent, BulkImportNeverReOptsIn) {
    expect_unchanged(
        apply_event(make_record(out, 1000), std::nullopt, make_event(in, 2000, "row-1", true)),
        event_outcome::refused, true);
    // Not even at the record's own time (where it is older: an opt-in loses a tie).
    expect_unchanged(
        apply_event(make_record(out, 1000), std::nullopt, make_event(in, 1000, "row-1", true)),
        event_outcome::superseded, true);
}

TEST(ApplyEvent, OlderBulkImportIsSuperseded) {
    expect_unchanged(
        apply_event(make_record(in, 2000), std::nullopt, make_event(out, 1000, "row-1", true)),
        event_outcome::superseded, true);
    expect_unchanged(
        apply_event(make_record(out, 2000), std::nullopt, make_event(in, 1000, "row-1", true)),
        event_outcome::superseded, true);
}

TEST(ApplyEvent, TheFamilysOwnOptInReOptsIn) {
    const auto e = make_event(in, 2000, "SM9");
    expect_applied(apply_event(make_record(out, 1000, "import", "row-7"), std::nullopt, e), e);
    auto admin = make_event(in, 2000, "req-1");
    admin.source = "admin";
    admin.actor = "district-office";
    expect_applied(apply_event(make_record(out, 1000), std::nullopt, admin), admin);
}

// Providers deliver out of order and more than once (rules 2 and 3): whatever the delivery
// order, folding the events through apply_event ends on the latest event by event time, and
// each event is audited exactly once.
TEST(ApplyEvent, AnyDeliveryOrderEndsOnTheLatestEventByEventTime) {
    const std::array events{
        make_event(out, 1000, "SM-a"), make_event(in, 2000, "SM-b"),
        make_event(out, 3000, "SM-c"), make_event(in, 4000, "row-d", true),
        make_event(in, 5000, "SM-e"),
    };
    const consent_record latest = record_of(events[4]);
    std::array<std::size_t, events.size()> order{0, 1, 2, 3, 4};
    int permutations = 0;
    do {
        ++permutations;
        std::optional<consent_record> record;
        std::map<std::string, first_delivery> seen;
        int audited = 0;
        // Every event is delivered twice: once in this order, then again in reverse, a minute
        // later (a provider's redelivery).
        std::vector<std::size_t> deliveries(order.begin(), order.end());
        deliveries.insert(deliveries.end(), order.rbegin(), order.rend());
        for (std::size_t n = 0; n < deliveries.size(); ++n) {
            auto e = events[deliveries[n]];
            if (n >= order.size()) e.received_time += 60'000;
            const auto first = seen.find(e.dedupe_key);
            const auto r = apply_event(
                record, first == seen.end() ? std::nullopt : std::optional(first->second), e);
            if (r.audited) {
                ++audited;
                seen.emplace(e.dedupe_key, first_delivery{e.received_time, e.state, r.outcome});
            }
            if (r.new_record) record = r.new_record;
        }
        SCOPED_TRACE(testing::PrintToString(order));
        ASSERT_TRUE(record.has_value());
        EXPECT_EQ(*record, latest);
        EXPECT_EQ(audited, 5);
    } while (std::next_permutation(order.begin(), order.end()));
    EXPECT_EQ(permutations, 120);
}

// Rule 7 must not depend on delivery order: email providers deliver a family's opt-out hours
// late, after the nightly import. For every set of four events (each the family's or an
// import's, opting in or out, at distinct times) and every delivery order, the state reached
// is the state of delivery in event-time order.
TEST(ApplyEvent, FamilyAndImportEventsEndInTheSameStateWhateverTheDeliveryOrder) {
    constexpr std::size_t count = 4;
    int sets = 0;
    for (int kinds = 0; kinds < (1 << (2 * count)); ++kinds) {
        std::array<consent_event, count> events;
        for (std::size_t i = 0; i < count; ++i) {
            const int kind = (kinds >> (2 * i)) & 3;
            events[i] = make_event(kind & 1 ? out : in, epoch_ms(1000 * (i + 1)),
                                   "ev" + std::to_string(i), kind & 2);
        }
        const auto fold = [&](const std::array<std::size_t, count>& order) {
            std::optional<consent_record> record;
            for (auto i : order)
                if (const auto r = apply_event(record, std::nullopt, events[i]); r.new_record)
                    record = r.new_record;
            return record ? record->state : in;  // no record: the default, opted_in
        };
        std::array<std::size_t, count> order{0, 1, 2, 3};
        const auto in_time_order = fold(order);
        ++sets;
        do {
            ASSERT_EQ(fold(order), in_time_order)
                << "events (state, time, import): " << testing::PrintToString(kinds)
                << ", delivered " << testing::PrintToString(order);
        } while (std::next_permutation(order.begin(), order.end()));
    }
    EXPECT_EQ(sets, 256);
}

// SPEC rule 2: a clock ahead of optgate's (a provider's, an operator's "at") can never date an
// event after its receipt, so it never locks a record against a STOP that arrives later.
TEST(ApplyEvent, AnEventIsNeverDatedAfterItsReceipt) {
    auto admin_opt_in = make_event(in, 1000, "admin-1");
    admin_opt_in.received_time = 1000;
    admin_opt_in.event_time = 1000 + 10 * 60 * 1000;  // ten minutes ahead
    const auto applied = apply_event(std::nullopt, std::nullopt, admin_opt_in);
    ASSERT_TRUE(applied.new_record);
    EXPECT_EQ(applied.new_record->event_time, 1000);  // dated by its receipt

    auto stop = make_event(out, 2000, "SM2");  // the family's STOP, a second later
    stop.received_time = 2000;
    expect_applied(apply_event(applied.new_record, std::nullopt, stop), stop);
}

// optgate's own clock ahead, then set back: a START received at "10:10" (really 10:00) must
// not outrank the family's STOP received at 10:01 by the corrected clock.
TEST(ApplyEvent, ARecordDatedAfterThisReceiptCountsAsDatedAtIt) {
    const auto start = make_record(in, 10 * 60 * 1000);
    auto stop = make_event(out, 60 * 1000, "SM2");
    stop.received_time = 60 * 1000;
    expect_applied(apply_event(start, std::nullopt, stop), stop);
    // An email event that states a time before its receipt still yields to a record dated
    // between the two, as rule 2 says.
    auto older = make_event(out, 30 * 1000, "SG3");
    older.received_time = 60 * 1000;
    expect_unchanged(apply_event(make_record(in, 45 * 1000), std::nullopt, older),
                     event_outcome::superseded, true);
}

TEST(ApplyEvent, AnEventWithoutATimeIsDatedByItsReceipt) {
    for (epoch_ms stated : {epoch_ms(0), epoch_ms(-5)}) {
        auto e = make_event(out, stated, "SG1");
        e.received_time = 4000;
        const auto r = apply_event(make_record(in, 3000), std::nullopt, e);
        ASSERT_TRUE(r.new_record) << stated;
        EXPECT_EQ(r.new_record->event_time, 4000);
        EXPECT_EQ(r.outcome, event_outcome::applied);
    }
}

TEST(ApplyEvent, DatedEventTime) {
    consent_event e;
    e.received_time = 5000;
    for (auto [stated, dated] : std::vector<std::pair<epoch_ms, epoch_ms>>{
             {4000, 4000}, {5000, 5000}, {5001, 5000}, {0, 5000}, {-1, 5000}, {1, 1}}) {
        e.event_time = stated;
        EXPECT_EQ(dated_event_time(e), dated) << stated;
    }
}

TEST(ApplyEvent, OutcomeWireNamesRoundTrip) {
    EXPECT_EQ(to_string(event_outcome::applied), "applied");
    EXPECT_EQ(to_string(event_outcome::duplicate), "duplicate");
    EXPECT_EQ(to_string(event_outcome::superseded), "superseded");
    EXPECT_EQ(to_string(event_outcome::refused), "refused");
    for (auto o : {event_outcome::applied, event_outcome::duplicate, event_outcome::superseded,
                   event_outcome::refused})
        EXPECT_EQ(parse_event_outcome(to_string(o)), o);
    EXPECT_EQ(parse_event_outcome("Applied"), std::nullopt);
    EXPECT_EQ(parse_event_outcome(""), std::nullopt);
}

TEST(ConsentVocabulary, ChannelAndStateWireNamesRoundTrip) {
    EXPECT_EQ(to_string(channel::sms), "sms");
    EXPECT_EQ(to_string(channel::voice), "voice");
    EXPECT_EQ(to_string(channel::email), "email");
    for (auto c : {channel::sms, channel::voice, channel::email})
        EXPECT_EQ(parse_channel(to_string(c)), c);
    EXPECT_EQ(parse_channel("SMS"), std::nullopt);
    EXPECT_EQ(parse_channel("fax"), std::nullopt);
    EXPECT_EQ(to_string(consent_state::opted_in), "opted_in");
    EXPECT_EQ(to_string(consent_state::opted_out), "opted_out");
    for (auto s : {consent_state::opted_in, consent_state::opted_out})
        EXPECT_EQ(parse_consent_state(to_string(s)), s);
    EXPECT_EQ(parse_consent_state("opted-out"), std::nullopt);
    EXPECT_EQ(parse_consent_state(""), std::nullopt);
}

}  // namespace
}  // namespace optgate
