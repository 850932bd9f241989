// What an email provider's consent signal means: one event per program it touches, on the
// `email` channel of the recipient's normalised address. Shared by every email webhook and by
// optgate's own one-click links, so that they all record consent the same way.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/consent.hpp"

namespace optgate {

struct email_signal {
    std::string_view recipient;  // as the provider wrote it
    consent_state state = consent_state::opted_out;
    std::vector<std::string> programs;  // e.g. email.unsubscribe_programs, or a group's program
    epoch_ms event_time = 0;            // when the family acted, as the provider says
    epoch_ms received_time = 0;
    std::string source;      // "sendgrid", "mailgun", "postmark", "ses", "one-click"
    std::string reference;   // the provider's id for the event
    std::string dedupe_key;  // stable across the provider's retries
    std::string keyword;     // the provider's event type ("unsubscribe", "complained", ...)
    std::string match;       // how it was read, when not plainly ("unmapped group 9999")
};

// The longest id optgate takes from an email provider. Their ids are 22 to 48 characters; a
// longer one is not the provider's, and would only grow every dedupe key and audit entry.
constexpr std::size_t max_provider_id = 100;

// Names `signal` by the provider's own id for the event, which its retries repeat: `source` as
// the source, `id` as the reference and "<source>:<id>" as the dedupe key, so that a retry is
// recognised and two providers' ids never collide.
void name_by_provider_id(email_signal& signal, std::string_view source, std::string_view id);

// The events of `signal`, or nullopt when its recipient is not a valid email address.
std::optional<std::vector<consent_event>> email_consent_events(const email_signal& signal);

}  // namespace optgate
