// What a Postmark SubscriptionChange webhook means for consent (SPEC "Email"): a spam
// complaint or an unsubscribe (ManualSuppression) opts the recipient out of
// email.unsubscribe_programs; a bounce and a reactivation change nothing (a reactivation is
// never an opt-in: see postmark_events.cpp). Decided from the fields the HTTP route has
// already read from the JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/consent.hpp"

namespace optgate {

constexpr std::string_view postmark_source = "postmark";
// The one RecordType that carries consent; every other record type changes nothing.
constexpr std::string_view postmark_subscription_change_type = "SubscriptionChange";

struct postmark_subscription_change {
    std::optional<std::string_view> message_id;  // null for reactivations, manual suppressions
    // ISO 8601, e.g. 2020-02-01T10:53:34.416071Z; empty when absent.
    std::string_view changed_at;
    std::string_view recipient;
    bool suppress_sending = true;  // false: the recipient was reactivated
    // HardBounce, SpamComplaint or ManualSuppression; null on most reactivations, the
    // suppression lifted on others.
    std::optional<std::string_view> suppression_reason;
    std::optional<std::string_view> origin;  // who made the change: Recipient, Customer, Admin
};

enum class postmark_status {
    changed,            // `events` opt the recipient out of the programs
    not_consent,        // a suppression for a hard bounce or other reason that is not the
                        // family's act: nothing changes
    reactivation,       // SuppressSending false: never an opt-in, nothing changes
    malformed,          // MessageID is oversized
    invalid_recipient,  // Recipient is not an email address: nothing changes
};

struct postmark_plan {
    postmark_status status = postmark_status::not_consent;
    // What the change is. For `changed`, the audit keyword (SpamComplaint, ManualSuppression);
    // for a reactivation, what was lifted and by whom, from Postmark's known words only
    // ("reactivation after HardBounce by Customer"); for not_consent, the reason given.
    std::string kind;
    std::vector<consent_event> events;  // one per program; empty unless `changed`
    bool dated_at_receipt = false;      // no readable ChangedAt: `events` are dated `received`
};

// A change without a readable ChangedAt is dated at its receipt, `received`, rather than
// refused: Postmark would retry it in vain, and the family's unsubscribe would be lost.
postmark_plan plan_postmark_subscription_change(const postmark_subscription_change& change,
                                                const std::vector<std::string>& programs,
                                                epoch_ms received);

}  // namespace optgate
