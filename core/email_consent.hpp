// What an email provider's consent signal means: one event per program it touches, on the
// `email` channel of the recipient's normalised address. Shared by every email webhook and by
// optgate's own one-click links, so that they all record consent the same way.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/consent.hpp"

namespace optgate {

struct email_signal {
    std::string_view recipient;         // as the provider wrote it
    consent_state state = consent_state::opted_out;
    std::vector<std::string> programs;  // e.g. email.unsubscribe_programs, or a group's program
    epoch_ms event_time = 0;            // when the family acted, as the provider says
    epoch_ms received_time = 0;
    std::string source;      // "sendgrid", "mailgun", "postmark", "ses", "one-click"
    std::string reference;   // the provider's id for the event
    std::string dedupe_key;  // stable across the provider's retries
    std::string keyword;     // the provider's event type ("unsubscribe", "complained", ...)
};

// The events of `signal`, or nullopt when its recipient is not a valid email address.
std::optional<std::vector<consent_event>> email_consent_events(const email_signal& signal);

}  // namespace optgate
