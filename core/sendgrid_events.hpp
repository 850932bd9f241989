// What one event of SendGrid's Event Webhook means for consent, decided from its already
// parsed fields: an unsubscribe or spam report opts out of email.unsubscribe_programs, a
// group unsubscribe/resubscribe changes the program email.groups maps its group to (a group
// unsubscribe that cannot be mapped stops email.unsubscribe_programs, a resubscribe that
// cannot be mapped changes nothing), and every other event type (delivered, open, bounce,
// ...) changes nothing.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/consent.hpp"

namespace optgate {

// One element of the webhook's array, as the adapter read it from the JSON.
struct sendgrid_event {
    std::string_view type;                    // `event`
    std::string_view email;                   // as SendGrid wrote it
    std::optional<epoch_ms> time;             // `timestamp`: when the recipient acted, if read
    std::string_view sg_event_id;             // stable across SendGrid's redeliveries
    std::optional<std::string> asm_group_id;  // `asm_group_id` in decimal, if present
};

enum class sendgrid_event_status {
    consent,  // an unsubscribe, spam report or group change: `events` to journal
    ignored,  // any other event type: nothing changes
    // A group_unsubscribe whose asm_group_id email.groups does not map (or that has none):
    // `events` opt out of email.unsubscribe_programs, since the family asked to stop something.
    unmapped_unsubscribe,
    // A group_resubscribe whose group email.groups does not map (or that has none): nothing
    // changes, since an opt-in into programs the family did not name is no one's wish.
    unmapped_resubscribe,
    missing_fields,  // a consent event without sg_event_id, or with an id too long to be
                     // SendGrid's: skipped (there is nothing to deduplicate its retries on)
    invalid_email,   // a consent event whose email is not a valid address: skipped
};

std::string_view to_string(sendgrid_event_status status);

struct sendgrid_event_plan {
    sendgrid_event_status status = sendgrid_event_status::ignored;
    std::vector<consent_event> events;  // one per program; empty unless consent or
                                        // unmapped_unsubscribe
};

constexpr std::string_view sendgrid_source = "sendgrid";

// `unsubscribe_programs` and `groups` are email.unsubscribe_programs and email.groups. An
// event without a readable `timestamp` is dated at its receipt, `received`: skipped, it would
// be acknowledged with its batch and the family's unsubscribe lost for good.
sendgrid_event_plan plan_sendgrid_event(const sendgrid_event& event,
                                        const std::vector<std::string>& unsubscribe_programs,
                                        const std::map<std::string, std::string>& groups,
                                        epoch_ms received);

}  // namespace optgate
