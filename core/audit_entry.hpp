// One line of the append-only audit trail: who or what changed which consent record, from
// which state, when it happened, when it was received, and what carried it.
#pragma once

#include <optional>
#include <string>

#include "core/apply_event.hpp"
#include "core/consent.hpp"

namespace optgate {

struct audit_entry {
    std::string address;
    optgate::channel channel = optgate::channel::sms;
    std::string program;
    std::optional<consent_state> from;  // absent: there was no record (the default applied)
    consent_state to = consent_state::opted_out;  // the state the event asked for
    event_outcome outcome = event_outcome::applied;
    epoch_ms event_time = 0;  // as ordered and recorded: never after received_time
    epoch_ms received_time = 0;
    // The time the provider or operator stated, when it was not the event time: ahead of the
    // receipt (a clock ahead of optgate's), or none at all (0).
    std::optional<epoch_ms> stated_time;
    std::string source;
    std::string reference;
    std::string dedupe_key;
    std::string keyword;
    std::string match;
    std::string actor;
    std::string language;  // of the keyword that carried it, if any ("es")
    std::string scope;     // the opt_out_scope that reached this program, if it was widened
};

}  // namespace optgate
