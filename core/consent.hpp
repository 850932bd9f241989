// Consent records and the events that change them: the vocabulary every other part of
// optgate speaks (journal, store, HTTP). Plain values, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/timestamp.hpp"

namespace optgate {

enum class channel { sms, voice, email };
enum class consent_state { opted_in, opted_out };

std::string_view to_string(channel c);
std::string_view to_string(consent_state s);
std::optional<channel> parse_channel(std::string_view text);
std::optional<consent_state> parse_consent_state(std::string_view text);

// The consent of one (address, channel, program): the latest event that changed it.
// The source of a bulk-import row (PUT /v1/consent with source "import"): rule 7 applies.
inline constexpr std::string_view bulk_import_source = "import";

struct consent_record {
    consent_state state = consent_state::opted_in;
    epoch_ms event_time = 0;  // when the family acted
    std::string source;       // "twilio-sms", "admin", "import", ...
    std::string reference;    // the provider's reference (MessageSid, request id)
    std::string language;     // the language of the keyword that set it, if any ("es")
    // The journals (instance ids, comma-separated) whose replays after Redis lost data wrote
    // it since it was last written live; empty when written live. A replay opts in an opt-out
    // only when it names that replay's journal alone (core/apply_event.hpp).
    std::string replayed_by = {};
    friend bool operator==(const consent_record&, const consent_record&) = default;
};

// One signal that may change one consent record. A keyword that touches several programs
// (STOPALL) becomes one event per program, all with the provider's dedupe key.
struct consent_event {
    std::string address;  // normalised
    optgate::channel channel = optgate::channel::sms;
    std::string program;
    consent_state state = consent_state::opted_out;
    epoch_ms event_time = 0;
    epoch_ms received_time = 0;
    std::string source;
    std::string reference;
    std::string dedupe_key;    // the provider's message/event id, or the admin's request id
    std::string keyword;       // the raw keyword or body that carried it, if any
    std::string match;         // "exact", "contained" or empty
    std::string actor;         // who made an admin change (API key name), else empty
    bool bulk_import = false;  // a row of the nightly import: rule 7 applies
    std::string language;      // the BCP 47 tag of the keyword's language, if any ("es")
    // The opt_out_scope that reached this program ("channel", "all") when the signal did not
    // name it itself; empty when it did.
    std::string scope;
    friend bool operator==(const consent_event&, const consent_event&) = default;
};

// The time an event is ordered and recorded by (SPEC rule 2): the time it states, but never
// later than its receipt, so that a provider's or an operator's clock ahead of optgate's can
// never lock a record against a STOP that arrives later; an event that states no time (0 or
// less) is dated by its receipt. The store applies this to every event from every source
// (core/apply_event and the Lua script alike); the audit keeps the stated time beside it.
epoch_ms dated_event_time(const consent_event& e);

}  // namespace optgate
