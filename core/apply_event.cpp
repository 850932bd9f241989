#include "core/apply_event.hpp"

#include <algorithm>

namespace optgate {

std::string_view to_string(event_outcome o) {
    switch (o) {
        case event_outcome::applied:
            return "applied";
        case event_outcome::duplicate:
            return "duplicate";
        case event_outcome::superseded:
            return "superseded";
        case event_outcome::refused:
            return "refused";
    }
    return "applied";
}

std::optional<event_outcome> parse_event_outcome(std::string_view text) {
    for (auto o : {event_outcome::applied, event_outcome::duplicate, event_outcome::superseded,
                   event_outcome::refused})
        if (to_string(o) == text) return o;
    return std::nullopt;
}

namespace {

// A record an import opted in is no one's choice, only the district's form: it must not
// make a family's opt-out that providers deliver late (hours, for email) look older than it,
// nor an older opt-out of an earlier import. Those still apply, as they would have had they
// arrived in event-time order (the import's opt-in would then have been refused, rule 7).
bool yields_to_older(const consent_record& record, const consent_event& event) {
    return record.source == bulk_import_source && record.state == consent_state::opted_in &&
           (!event.bulk_import || event.state == consent_state::opted_out);
}

// Whether the event is older than the record, which then stays. Leaning to the opt-out:
// - an opt-in is older when dated at or before the record: it never wins a tie, and no clock
//   is corrected in its favour (a record dated after its receipt may be another instance's
//   later STOP, or one an instance applies from its backlog);
// - a live opt-out is older only when dated before the record and before its own receipt: a
//   record dated after it was dated by a clock ahead (optgate's own, since corrected, or
//   another instance's), so that a clock set back can never make a family's STOP older than
//   what it answers;
// - a restored opt-out (delivery::replay) is older when dated before the record, which the
//   events since have made.
bool older_than_record(const consent_record& record, const consent_event& event, epoch_ms at,
                       delivery how) {
    if (event.state == consent_state::opted_in) return at <= record.event_time;
    if (how == delivery::live) return at < std::min(record.event_time, event.received_time);
    return at < record.event_time;
}

// `dates_ignored`: a replayed opt-out over an opt-in another journal's replay wrote, which
// applies whatever the dates say.
apply_result apply_to_record(const std::optional<consent_record>& current,
                             const consent_event& event, delivery how, bool dates_ignored) {
    const epoch_ms at = dated_event_time(event);
    if (current && !dates_ignored && older_than_record(*current, event, at, how) &&
        !yields_to_older(*current, event))
        return {event_outcome::superseded, std::nullopt, true};
    if (event.bulk_import && current) {
        if (event.state == consent_state::opted_in && current->state == consent_state::opted_out)
            return {event_outcome::refused, std::nullopt, true};
        // Opted in already: the record keeps its date and source, or a nightly re-dating
        // would supersede a family's opt-out that is older than the import but delivered
        // after it. (An opt-out is re-dated: it must supersede the family's older opt-in.)
        if (event.state == consent_state::opted_in && current->state == consent_state::opted_in)
            return {event_outcome::applied, std::nullopt, true};
    }
    // The record keeps the family's language: the event's, else the one it had.
    std::string language = !event.language.empty() ? event.language
                           : current               ? current->language
                                                   : std::string();
    return {event_outcome::applied,
            consent_record{event.state, at, event.source, event.reference, std::move(language)},
            true};
}

// Whether `journals` (comma-separated; empty names skipped) names `journal`, or (`other`) any
// journal but it.
bool names_journal(std::string_view journals, std::string_view journal, bool other) {
    while (!journals.empty()) {
        const auto comma = journals.find(',');
        const auto id = journals.substr(0, comma);
        if (!id.empty() && (id == journal) != other) return true;
        journals.remove_prefix(comma == std::string_view::npos ? journals.size() : comma + 1);
    }
    return false;
}

// Whether a replayed opt-in is held back from an opt-out: one that only this journal's replay
// wrote it may follow (the journal's own order); any other is another journal's, whose order
// with this one no clock can tell, or one Redis kept or a live event wrote since the loss,
// newer than the journal.
bool opt_in_held_back(const std::optional<consent_record>& current, const consent_event& event,
                      delivery how, std::string_view journal) {
    return how == delivery::replay && event.state == consent_state::opted_in && current &&
           current->state == consent_state::opted_out && current->replayed_by != journal;
}

// Whether a replayed opt-out meets an opt-in that another journal's replay wrote (or that
// replays wrote over since): it applies whatever the dates say.
bool opts_out_another_journals(const std::optional<consent_record>& current,
                               const consent_event& event, delivery how, std::string_view journal) {
    return how == delivery::replay && event.state == consent_state::opted_out && current &&
           current->state == consent_state::opted_in &&
           names_journal(current->replayed_by, journal, true);
}

// Whether a replayed opt-out meets an opt-out dated after it: the record stays as it is (a
// replay never dates an opt-out back, nor claims one a live event wrote or Redis kept).
bool opts_out_an_opt_out_dated_later(const std::optional<consent_record>& current,
                                     const consent_event& event, delivery how) {
    return how == delivery::replay && event.state == consent_state::opted_out && current &&
           current->state == consent_state::opted_out &&
           current->event_time > dated_event_time(event);
}

// The record a replay writes names every journal whose replay wrote it since the last live
// write: the one it had, and this one.
apply_result replayed(apply_result result, const std::optional<consent_record>& current,
                      std::string_view journal) {
    if (!result.new_record) return result;
    std::string journals = current ? current->replayed_by : std::string();
    if (!journal.empty() && !names_journal(journals, journal, false))
        journals += (journals.empty() ? "" : ",") + std::string(journal);
    result.new_record->replayed_by = std::move(journals);
    return result;
}

}  // namespace

apply_result apply_event(const std::optional<consent_record>& current,
                         const std::optional<first_delivery>& seen, const consent_event& event,
                         delivery how, std::string_view journal) {
    if (opt_in_held_back(current, event, how, journal))
        return seen ? apply_result{event_outcome::duplicate, std::nullopt, false}
                    : apply_result{event_outcome::superseded, std::nullopt, true};
    if (opts_out_an_opt_out_dated_later(current, event, how))
        return seen ? apply_result{event_outcome::duplicate, std::nullopt, false}
                    : apply_result{event_outcome::applied, std::nullopt, true};
    // An event not seen before is applied as it was live, in a replay too: the journal's order
    // is the order it was received in; between journals, the opt-out stands.
    if (!seen) {
        auto result = apply_to_record(current, event, delivery::live,
                                      opts_out_another_journals(current, event, how, journal));
        return how == delivery::replay ? replayed(std::move(result), current, journal) : result;
    }
    const bool restores = how == delivery::replay && seen->received_time == event.received_time &&
                          seen->state == event.state && seen->outcome == event_outcome::applied;
    if (!restores) return {event_outcome::duplicate, std::nullopt, false};
    // A restore (Redis kept the dedupe keys: an eviction, or a record it kept and only the
    // marker was lost) of an opt-out compares times as dated, between journals too: another
    // journal's older STOP must not undo a later START Redis kept. Over a record only this
    // journal's replay wrote (applied again, by an instance restarted meanwhile), as live:
    // the journal's order is the order it received them in.
    const bool own = current && !journal.empty() && current->replayed_by == journal;
    auto again =
        replayed(apply_to_record(current, event, own ? delivery::live : delivery::replay, false),
                 current, journal);
    return {event_outcome::duplicate,
            again.outcome == event_outcome::applied ? std::move(again.new_record) : std::nullopt,
            false};
}

}  // namespace optgate
