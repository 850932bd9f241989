// What one Mailgun webhook event means for consent, decided from its already parsed
// `event-data`: `unsubscribed` and `complained` (a spam complaint) opt the recipient out of
// email.unsubscribe_programs; every other event (delivered, opened, failed, ...) changes nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/consent.hpp"

namespace optgate {

// The fields of `event-data` that matter, as the adapter read them from the JSON.
struct mailgun_event {
    std::string_view type;         // `event`
    std::string_view recipient;    // as Mailgun wrote it
    std::optional<epoch_ms> time;  // `timestamp`: when the recipient acted, if read
    std::string_view id;           // `id`: stable across Mailgun's retries
};

enum class mailgun_event_status {
    consent,            // an unsubscribe or complaint: `events` to journal
    ignored,            // any other event type: nothing changes
    missing_fields,     // no event type, or a consent event without id or with an oversized
                        // one (there is nothing to deduplicate its retries on)
    invalid_recipient,  // a consent event whose recipient is not a valid email address
};

struct mailgun_event_plan {
    mailgun_event_status status = mailgun_event_status::ignored;
    std::vector<consent_event> events;  // one per program; empty unless status is consent
};

constexpr std::string_view mailgun_source = "mailgun";

// `unsubscribe_programs` is email.unsubscribe_programs. An event without a readable
// `timestamp` is dated at its receipt, `received`: refused, it would never come back (Mailgun
// does not retry a 406) and the family's unsubscribe would be lost.
mailgun_event_plan plan_mailgun_event(const mailgun_event& event,
                                      const std::vector<std::string>& unsubscribe_programs,
                                      epoch_ms received);

}  // namespace optgate
