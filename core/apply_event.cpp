#include "core/apply_event.hpp"

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

apply_result apply_event(const std::optional<consent_record>& current, bool dedupe_key_seen,
                         const consent_event& event) {
    if (dedupe_key_seen) return {event_outcome::duplicate, std::nullopt, false};
    if (current && event.event_time < current->event_time)
        return {event_outcome::superseded, std::nullopt, true};
    if (event.bulk_import && event.state == consent_state::opted_in && current &&
        current->state == consent_state::opted_out)
        return {event_outcome::refused, std::nullopt, true};
    return {event_outcome::applied,
            consent_record{event.state, event.event_time, event.source, event.reference}, true};
}

}  // namespace optgate
