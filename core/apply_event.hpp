// The rules of consent 1-4 and 7 as one pure decision (events dated by dated_event_time): given the
// current record (if any), the first delivery of the event's dedupe key (if it was seen), and the
// event, what changes and what is audited. The Redis store runs the same rules atomically in Lua;
// tests hold the two to agreement.
#pragma once

#include <optional>
#include <string_view>

#include "core/consent.hpp"

namespace optgate {

enum class event_outcome {
    applied,     // the record now reflects the event
    duplicate,   // the dedupe key was seen: nothing changes, nothing is audited again
    superseded,  // older than the record: audited, changes nothing (rule 2)
    refused,     // a bulk import that would re-opt-in an opted_out record (rule 7): audited
};

std::string_view to_string(event_outcome o);
std::optional<event_outcome> parse_event_outcome(std::string_view text);

// What applying one event did, as the store reports it: the outcome, and the state the record
// had before the event (none: there was no record). For a duplicate, the state before the
// event's first delivery, and that delivery's receipt time.
struct event_result {
    event_outcome outcome;
    std::optional<consent_state> from;
    // A duplicate: when its first delivery was received (another time: a redelivery).
    std::optional<epoch_ms> first_received;
    bool operator==(const event_result&) const = default;
};

struct apply_result {
    event_outcome outcome;
    // The record to write: set when applied, except for an import row that the record already
    // says (kept as it is, with the date and source of whoever set it).
    std::optional<consent_record> new_record;
    bool audited;  // an audit entry is appended (all but duplicate)
};

// What the store remembers of a dedupe key's first delivery (its audit entry).
struct first_delivery {
    epoch_ms received_time;
    consent_state state;
    event_outcome outcome;
};

// How an event reaches the store: delivered (a request, or the journal applying what it
// acknowledged), or replayed from the journal after Redis lost data.
enum class delivery { live, replay };

// A seen dedupe key is a duplicate: nothing is audited again, nothing changes. Except in a
// replay, for the first delivery itself (its receipt time and state are those remembered) that
// was applied: it restores the record it wrote, if the record was lost while the dedupe keys
// stayed (an evicting Redis, a deleted key), without an audit entry. Every comparison leans
// to the opt-out: an opt-in never wins a tie nor has a clock corrected in its favour; a live
// opt-out counts a record dated after its receipt as dated at it; a restored one compares
// times as dated (the record may be another instance's later event). Rule 7 holds.
//
// A replay names its journal (the instance id): the records it writes add it to the journals
// whose replays wrote them since the last live write. Journals are applied again one after
// another in no set order, their instances' clocks may disagree, and live events go on
// meanwhile, so the opt-out stands, whatever the times say: a replayed opt-in never opts in
// an opt-out unless only its own journal's replay wrote it (superseded, or for a seen key
// nothing), and a replayed opt-out not seen before always opts out an opt-in that names
// another journal. A restored opt-out (its key seen) still compares times as dated.
// Within one journal, receipt order holds. A live write names none.
apply_result apply_event(const std::optional<consent_record>& current,
                         const std::optional<first_delivery>& seen, const consent_event& event,
                         delivery how = delivery::live, std::string_view journal = {});

}  // namespace optgate
