// Holds the two implementations of the rules of consent equal: random event sequences (sources,
// clocks ahead of optgate's or missing, delivery orders, redeliveries) are folded through
// core::apply_event and through the store's Lua script, and must agree on every outcome and on
// the final record; and both must keep the properties no false allow rests on: no stored event
// time is ever later than its receipt, and the state is that of the latest event by (clamped)
// event time; and the journals' replays after Redis lost the record (not the dedupe keys) restore
// it, never more allowing than it was.
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "core/apply_event.hpp"
#include "tests/integration/redis_test_support.hpp"

namespace optgate::testing {
namespace {

constexpr epoch_ms t0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

// OPTGATE_SEED=<n> replays one run; the default keeps the suite deterministic.
std::uint32_t base_seed() {
    if (const char* s = std::getenv("OPTGATE_SEED"))
        return std::uint32_t(std::strtoul(s, nullptr, 10));
    return 20260101;
}

// Text a provider might send, with what JSON must escape and what cjson and Boost.JSON must
// both carry unchanged (quotes, backslashes, slashes, control characters, non-ASCII).
const std::vector<std::string> awkward_texts = {
    "",
    "plain",
    "with \"quotes\"",
    "back\\slash",
    "a/b",
    "line\nbreak\ttab",
    "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80",
    "nul\x01"
    "ctl",
};

struct generated_sequence {
    std::string description;  // for failure messages
    std::vector<consent_event> events;
    bool has_import = false;  // rule 7 then decides some outcomes
};

// What SPEC rule 2 says the state is, worked out alone: of each dedupe key's first delivery,
// the latest by dated event time; of equal times, an opt-out if there is one.
consent_state latest_by_event_time(const std::vector<consent_event>& events) {
    std::set<std::string> seen;
    std::optional<std::pair<epoch_ms, consent_state>> latest;
    for (const auto& e : events) {
        if (!seen.insert(e.dedupe_key).second) continue;
        const epoch_ms at = dated_event_time(e);
        // Ties lean to the opt-out: an opt-in never wins one.
        if (!latest || at > latest->first ||
            (at == latest->first && e.state == consent_state::opted_out))
            latest = {at, e.state};
    }
    return latest->second;
}

// 1-8 events on one (address, channel, program), received in the order generated: stated
// times from a small range (ties and out-of-order), some ahead of the receipt by up to ten
// minutes (a skewed provider or operator clock) and some missing (0); random states, sources
// and import flags, and some repeated dedupe keys.
generated_sequence generate(std::mt19937& rng, const std::string& address) {
    auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
    std::minstd_rand labels{std::mt19937(rng)()};  // from a copy: `rng` does not advance
    const channel ch = std::array{channel::sms, channel::voice, channel::email}[pick(3)];
    const std::string program = pick(2) ? "district" : "emergency";
    const int count = 1 + pick(8);
    generated_sequence out;
    std::ostringstream text;
    for (int i = 0; i < count; ++i) {
        consent_event e;
        e.address = address;
        e.channel = ch;
        e.program = program;
        e.state = pick(2) ? consent_state::opted_out : consent_state::opted_in;
        e.received_time = t0 + 10'000 + 1000 * i;
        switch (pick(8)) {
            case 0:
                e.event_time = e.received_time + 1 + pick(600'000);  // a clock ahead
                break;
            case 1:
                e.event_time = 0;  // no time given
                break;
            default:
                e.event_time = t0 + 1000 * pick(4) + 3000 * pick(4);
        }
        e.bulk_import = pick(3) == 0;
        e.source = e.bulk_import ? "import" : std::array{"twilio-sms",   "admin",    "sendgrid",
                                                         "mailgun",      "postmark", "ses",
                                                         "twilio-voice", "one-click"}[pick(8)];
        e.reference = awkward_texts[pick(int(awkward_texts.size()))] + "#" + std::to_string(i);
        e.keyword = awkward_texts[pick(int(awkward_texts.size()))];
        e.match = pick(2) ? "exact" : "";
        // The record keeps the last language known, which an event without one leaves as is.
        // Drawn from a generator of their own, so that the sequences stay those of each seed.
        e.language = std::array{"", "en", "es"}[labels() % 3];
        e.scope = std::array{"", "channel", "all"}[labels() % 3];
        // A repeat reuses an earlier key with different content: only the key may matter.
        e.dedupe_key =
            (i > 0 && pick(4) == 0) ? out.events[pick(i)].dedupe_key : "ev" + std::to_string(i);
        text << "\n  " << to_string(e.state) << " stated +" << (e.event_time - t0) << " received +"
             << (e.received_time - t0) << " " << e.source << (e.bulk_import ? " import" : "")
             << " key " << e.dedupe_key;
        out.has_import = out.has_import || e.bulk_import;
        out.events.push_back(std::move(e));
    }
    out.description = std::string(to_string(ch)) + "/" + program + ":" + text.str();
    return out;
}

// The rule docs/webhooks.md gives a receiver of the change feed ("Order and at least once"),
// as its examples write it: whether `change` replaces `last`, the change it applied last for
// the same address, channel and program.
bool receiver_replaces(const audit_entry& change, const audit_entry& last) {
    if (last.source == bulk_import_source && last.to == consent_state::opted_in) return true;
    if (change.to == consent_state::opted_in) return change.event_time > last.event_time;
    return change.event_time >= last.event_time || change.event_time >= change.received_time;
}

class redis_lua_agreement_test : public store_suite {};

TEST_F(redis_lua_agreement_test, LuaScriptAndCoreApplyEventAgreeOnRandomSequences) {
    constexpr int sequences = 300;
    const std::uint32_t seed = base_seed();
    int disagreements = 0;
    std::map<event_outcome, int> outcome_counts;
    int restored_exactly = 0;
    for (int s = 0; s < sequences && disagreements < 5; ++s) {
        std::mt19937 rng(seed + s);
        const std::string address = "+1651" + std::to_string(5000000 + s);
        const auto seq = generate(rng, address);
        SCOPED_TRACE("seed " + std::to_string(seed + s) + " (OPTGATE_SEED=" + std::to_string(seed) +
                     ", sequence " + std::to_string(s) + "): " + seq.description);

        std::map<std::string, first_delivery> seen;
        std::optional<consent_record> core_record;
        std::size_t audited = 0;
        bool agreed = true;
        // Applies one event through both; false when they disagree on its outcome.
        const auto apply_both = [&](const consent_event& e, std::size_t i,
                                    delivery how = delivery::live,
                                    const std::string& journal = {}) {
            const auto first = seen.find(e.dedupe_key);
            const auto expected = apply_event(
                core_record, first == seen.end() ? std::nullopt : std::optional(first->second), e,
                how, journal);
            store_->replays_of(journal);
            if (expected.audited)
                seen.try_emplace(e.dedupe_key,
                                 first_delivery{e.received_time, e.state, expected.outcome});
            if (expected.new_record) core_record = expected.new_record;
            if (expected.audited) ++audited;
            ++outcome_counts[expected.outcome];
            const auto actual = apply_one(e, how);
            if (actual == expected.outcome) return true;
            ADD_FAILURE() << "event " << i << ": core says " << to_string(expected.outcome)
                          << ", Lua says "
                          << (actual ? std::string(to_string(*actual)) : "an error");
            return false;
        };
        for (std::size_t i = 0; i < seq.events.size(); ++i) agreed &= apply_both(seq.events[i], i);
        const auto ch = seq.events[0].channel;
        const auto& program = seq.events[0].program;
        const auto stored = stored_record(address, ch, program);
        if (stored != core_record) {
            agreed = false;
            ADD_FAILURE() << "final record differs: core "
                          << (core_record ? std::string(to_string(core_record->state)) + " at +" +
                                                std::to_string(core_record->event_time - t0) +
                                                " ref " + core_record->reference + " language " +
                                                core_record->language
                                          : "none")
                          << ", Redis "
                          << (stored ? std::string(to_string(stored->state)) + " at +" +
                                           std::to_string(stored->event_time - t0) + " ref " +
                                           stored->reference + " language " + stored->language
                                     : "none");
        }
        if (!seq.has_import) {
            const auto latest = latest_by_event_time(seq.events);
            if (!stored || stored->state != latest) {
                agreed = false;
                ADD_FAILURE() << "the record is not the latest event's state (" << to_string(latest)
                              << ")";
            }
        }
        for (const auto& entry : stored_audit(address)) {
            if (entry.event_time > entry.received_time) {
                agreed = false;
                ADD_FAILURE() << "an audit entry is dated after its receipt: +"
                              << entry.event_time - t0 << " > +" << entry.received_time - t0;
            }
        }
        if (stored && stored->event_time > seq.events.back().received_time) {
            agreed = false;
            ADD_FAILURE() << "the record is dated after the last receipt";
        }
        if (list_length(keys_.audit(address)) != static_cast<long long>(audited)) {
            agreed = false;
            ADD_FAILURE() << "audit entries: core " << audited << ", Redis "
                          << list_length(keys_.audit(address));
        }
        // Two instances wrote these events (each its own at random) and Redis loses data: each
        // instance's journal is applied again (delivery::replay). Over an intact record that
        // changes nothing...
        std::vector<std::size_t> journal_a, journal_b;
        for (std::size_t i = 0; i < seq.events.size(); ++i)
            (rng() % 2 ? journal_a : journal_b).push_back(i);
        const auto replay = [&](const std::vector<std::size_t>& journal) {
            const std::string name = &journal == &journal_a ? "a" : "b";
            for (auto i : journal) agreed &= apply_both(seq.events[i], i, delivery::replay, name);
        };
        // A replay keeps the record's state and time; only its source may be another event's
        // of the same state and time, and, as an opt-in never wins a tie in a replay, a record
        // an opt-in set at the very time of an opt-out may become that opt-out (a replay
        // follows data loss: it must never allow more).
        const auto never_more_allowing = [&](const std::optional<consent_record>& after) {
            return after && after->event_time == stored->event_time &&
                   (after->state == stored->state || after->state == consent_state::opted_out);
        };
        replay(journal_a);
        if (!never_more_allowing(stored_record(address, ch, program))) {
            agreed = false;
            ADD_FAILURE() << "a replay changed an intact record";
        }
        // ...and a record lost while its dedupe keys stayed comes back once both replayed, in
        // either order, or stays opted out: one journal's opt-in never opts in over the other
        // journal's opt-out, as no clock orders the two.
        server().command({"DEL", keys_.records(address)});
        core_record.reset();
        const bool a_first = rng() % 2;
        replay(a_first ? journal_a : journal_b);
        replay(a_first ? journal_b : journal_a);
        const auto rebuilt = stored_record(address, ch, program);
        if (rebuilt != core_record) {
            agreed = false;
            ADD_FAILURE() << "core and Lua restored different records";
        }
        if (!never_more_allowing(rebuilt) &&
            !(rebuilt && rebuilt->state == consent_state::opted_out)) {
            agreed = false;
            ADD_FAILURE() << "the replays did not restore the lost record: "
                          << (rebuilt ? std::string(to_string(rebuilt->state)) + " at +" +
                                            std::to_string(rebuilt->event_time - t0)
                                      : "none")
                          << ", was " << to_string(stored->state) << " at +"
                          << stored->event_time - t0;
        }
        if (rebuilt && stored && rebuilt->state == stored->state &&
            rebuilt->event_time == stored->event_time && rebuilt->source == stored->source &&
            rebuilt->reference == stored->reference)
            ++restored_exactly;
        if (list_length(keys_.audit(address)) != static_cast<long long>(audited)) {
            agreed = false;
            ADD_FAILURE() << "a replay audited again";
        }
        if (!agreed) ++disagreements;
    }
    // Only records of events at the very same time, or an opt-in after the other journal's
    // opt-out, come back otherwise.
    EXPECT_GE(restored_exactly, sequences * 4 / 10);
    // The generator must reach every rule, or agreement proves little.
    for (auto o : {event_outcome::applied, event_outcome::duplicate, event_outcome::superseded,
                   event_outcome::refused})
        EXPECT_GE(outcome_counts[o], 20) << "too few " << to_string(o) << " outcomes generated";
}

// Two instances receive the events, one with its clock behind by up to ten minutes, so that
// receipts go back and forth: a STOP without a stated time that the instance behind receives
// is dated before the record another instance wrote, and optgate applies it all the same
// (apply_event: a clock set back never makes a STOP older than what it answers). A receiver
// that takes the feed by the documented rule, each change at least once, ends where optgate's
// record is, for every sequence.
TEST_F(redis_lua_agreement_test, AReceiverTakingTheFeedByTheDocumentedRuleEndsAtTheRecord) {
    constexpr int sequences = 300;
    const std::uint32_t seed = base_seed();
    int failures = 0, dated_before_the_record = 0, superseded_checked = 0;
    for (int s = 0; s < sequences && failures < 5; ++s) {
        std::mt19937 rng(seed + s);
        const std::string address = "+1651" + std::to_string(6000000 + s);
        auto seq = generate(rng, address);
        for (auto& e : seq.events)
            if (rng() % 2)
                e.received_time -= std::uniform_int_distribution<epoch_ms>(1, 600'000)(rng);
        SCOPED_TRACE("seed " + std::to_string(seed + s) + " (OPTGATE_SEED=" + std::to_string(seed) +
                     ", sequence " + std::to_string(s) + "): " + seq.description);
        std::optional<consent_record> core_record;
        std::map<std::string, first_delivery> seen;
        for (const auto& e : seq.events) {
            const auto first = seen.find(e.dedupe_key);
            const auto expected = apply_event(
                core_record, first == seen.end() ? std::nullopt : std::optional(first->second), e);
            if (expected.audited)
                seen.try_emplace(e.dedupe_key,
                                 first_delivery{e.received_time, e.state, expected.outcome});
            if (expected.new_record) {
                if (core_record && e.state == consent_state::opted_out &&
                    expected.new_record->event_time < core_record->event_time)
                    ++dated_before_the_record;
                core_record = expected.new_record;
            }
            EXPECT_EQ(apply_one(e), expected.outcome);
        }
        const auto stored = stored_record(address, seq.events[0].channel, seq.events[0].program);
        EXPECT_EQ(stored, core_record);

        std::vector<audit_entry> feed;
        for (const auto& item : server().command({"XRANGE", keys_.changes(), "-", "+"}).elements) {
            auto change = parse_audit_json(item.elements.at(1).elements.at(1).str);
            ASSERT_TRUE(change);
            if (change->address == address) feed.push_back(std::move(*change));
        }
        // At least once: after the whole feed, a random part of it comes again.
        auto deliveries = feed;
        if (!feed.empty())
            deliveries.insert(deliveries.end(), feed.begin() + rng() % feed.size(), feed.end());
        std::set<std::string> taken;
        std::optional<audit_entry> last;
        for (const auto& change : deliveries) {
            if (!taken.insert(change.dedupe_key).second) continue;
            if (!last || receiver_replaces(change, *last)) last = change;
        }
        bool same = stored ? last && last->to == stored->state : !last;
        EXPECT_TRUE(same) << "the receiver holds "
                          << (last ? std::string(to_string(last->to)) : "nothing") << ", optgate "
                          << (stored ? std::string(to_string(stored->state)) : "nothing");
        // The rule is optgate's, not merely one that takes the feed: in the order optgate
        // audited the events, it takes each change the feed holds, and none that optgate
        // superseded, over the change the feed held before it.
        std::set<std::string> in_feed;
        for (const auto& change : feed) in_feed.insert(change.dedupe_key);
        std::optional<audit_entry> before;
        for (const auto& entry : stored_audit(address)) {
            if (in_feed.count(entry.dedupe_key)) {
                if (before && !receiver_replaces(entry, *before)) {
                    same = false;
                    ADD_FAILURE() << "the rule refuses a change optgate applied: "
                                  << entry.dedupe_key;
                }
                before = entry;
            } else if (entry.outcome == event_outcome::superseded &&
                       !(entry.source == bulk_import_source &&
                         entry.to == consent_state::opted_in)) {
                // (An import's opt-in never reaches the feed over another's, which the rule
                // lets any change replace: either way the receiver holds an import's opt-in.)
                ++superseded_checked;
                if (before && receiver_replaces(entry, *before)) {
                    same = false;
                    ADD_FAILURE() << "the rule takes a change optgate superseded: "
                                  << entry.dedupe_key;
                }
            }
        }
        if (!same) ++failures;
    }
    // The generator must reach the cases the rule's clauses are for.
    EXPECT_GE(dated_before_the_record, 10);
    EXPECT_GE(superseded_checked, 20);
}

// Two instances, a and b, whose clocks disagree by up to ten minutes (b behind), receive the
// events; then Redis loses everything (records, audit, dedupe keys) and each instance's
// journal is applied again, one after the other in either order (the first sometimes twice,
// restarted meanwhile), without the events that were
// duplicates when they came (each instance's redelivery log). Core and Lua agree on every
// outcome and record, and the rebuilt record never allows more than the record live events
// made: a STOP the instance behind received is not undone by the other's opt-in.
TEST_F(redis_lua_agreement_test,
       AfterAFullLossJournalsOfInstancesWhoseClocksDisagreeNeverAllowMore) {
    constexpr int sequences = 300;
    const std::uint32_t seed = base_seed();
    int failures = 0, crossed = 0;
    for (int s = 0; s < sequences && failures < 5; ++s) {
        std::mt19937 rng(seed + s);
        const std::string address = "+1651" + std::to_string(7000000 + s);
        auto seq = generate(rng, address);
        std::vector<std::size_t> journal_a, journal_b;
        for (std::size_t i = 0; i < seq.events.size(); ++i) {
            if (rng() % 2) {
                seq.events[i].received_time -=
                    std::uniform_int_distribution<epoch_ms>(1, 600'000)(rng);
                journal_b.push_back(i);
            } else {
                journal_a.push_back(i);
            }
        }
        SCOPED_TRACE("seed " + std::to_string(seed + s) + " (OPTGATE_SEED=" + std::to_string(seed) +
                     ", sequence " + std::to_string(s) + "): " + seq.description);
        std::optional<consent_record> core_record;
        std::map<std::string, first_delivery> seen;
        bool agreed = true;
        std::set<std::size_t> redeliveries;
        const auto apply_both = [&](const consent_event& e, delivery how,
                                    const std::string& journal) -> event_outcome {
            const auto first = seen.find(e.dedupe_key);
            const auto expected = apply_event(
                core_record, first == seen.end() ? std::nullopt : std::optional(first->second), e,
                how, journal);
            if (expected.audited)
                seen.try_emplace(e.dedupe_key,
                                 first_delivery{e.received_time, e.state, expected.outcome});
            if (expected.new_record) core_record = expected.new_record;
            store_->replays_of(journal);
            const auto actual = apply_one(e, how);
            if (actual != expected.outcome) {
                agreed = false;
                ADD_FAILURE() << "core says " << to_string(expected.outcome) << ", Lua says "
                              << (actual ? std::string(to_string(*actual)) : "an error");
            }
            return expected.outcome;
        };
        std::ostringstream journals;
        for (std::size_t i = 0; i < seq.events.size(); ++i) {
            if (apply_both(seq.events[i], delivery::live, "") == event_outcome::duplicate)
                redeliveries.insert(i);
            journals << "\n  event " << i << ": journal "
                     << (std::count(journal_b.begin(), journal_b.end(), i) ? "b" : "a")
                     << ", received +" << seq.events[i].received_time - t0;
        }
        SCOPED_TRACE(journals.str());
        const auto ch = seq.events[0].channel;
        const auto& program = seq.events[0].program;
        const auto live = stored_record(address, ch, program);

        for (const auto& key : {keys_.records(address), keys_.audit(address), keys_.seen(address)})
            server().command({"DEL", key});
        core_record.reset();
        seen.clear();
        // Sometimes the family texts STOP once more before the journals are applied again: the
        // newest event of all, which no replay may undo.
        const bool stop_after_the_loss = rng() % 2;
        if (stop_after_the_loss) {
            auto stop = seq.events.back();
            stop.state = consent_state::opted_out;
            stop.bulk_import = false;
            stop.source = "twilio-sms";
            stop.event_time = 0;
            stop.received_time = t0 + 3'600'000;
            stop.dedupe_key = "after-the-loss";
            apply_both(stop, delivery::live, "");
        }
        const bool a_first = rng() % 2;
        // Sometimes the first is restarted meanwhile and applies its journal again.
        const bool first_again = rng() % 2;
        for (const auto& [journal, name] :
             {std::pair{a_first ? &journal_a : &journal_b, a_first ? "a" : "b"},
              std::pair{a_first ? &journal_b : &journal_a, a_first ? "b" : "a"},
              std::pair{first_again ? (a_first ? &journal_a : &journal_b) : &journal_a,
                        first_again ? (a_first ? "a" : "b") : ""}})
            if (*name)
                for (auto i : *journal)
                    if (!redeliveries.count(i)) apply_both(seq.events[i], delivery::replay, name);
        if (!journal_a.empty() && !journal_b.empty()) ++crossed;
        const auto rebuilt = stored_record(address, ch, program);
        if (rebuilt != core_record) {
            agreed = false;
            ADD_FAILURE() << "core and Lua rebuilt different records";
        }
        if (((live && live->state == consent_state::opted_out) || stop_after_the_loss) &&
            (!rebuilt || rebuilt->state != consent_state::opted_out)) {
            agreed = false;
            ADD_FAILURE() << "the journals' replay " << (a_first ? "a then b" : "b then a")
                          << " allows what the live events opted out";
        }
        if (!agreed) ++failures;
    }
    EXPECT_GE(crossed, sequences / 4);
}

}  // namespace
}  // namespace optgate::testing
