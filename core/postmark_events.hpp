// What a Postmark SubscriptionChange webhook means for consent (SPEC "Email"): a spam
// complaint or an unsubscribe (ManualSuppression) opts the recipient out of
// email.unsubscribe_programs, a reactivation opts them back in, a bounce changes nothing.
// Decided from the fields the HTTP route has already read from the JSON.
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
    std::string_view changed_at;                 // ISO 8601, e.g. 2020-02-01T10:53:34.416071Z
    std::string_view recipient;
    bool suppress_sending = true;                        // false: the recipient was reactivated
    std::optional<std::string_view> suppression_reason;  // null on reactivation
};

enum class postmark_status {
    changed,            // `events` opt the recipient out of, or back into, the programs
    not_consent,        // a hard bounce or other reason that is not the family's act
    malformed,          // ChangedAt is not ISO 8601 with a zone, or MessageID is oversized
    invalid_recipient,  // Recipient is not an email address: nothing changes
};

struct postmark_plan {
    postmark_status status = postmark_status::not_consent;
    std::string kind;  // the audit keyword: SpamComplaint, ManualSuppression or Reactivated
    std::vector<consent_event> events;  // one per program; empty unless `changed`
};

postmark_plan plan_postmark_subscription_change(const postmark_subscription_change& change,
                                                const std::vector<std::string>& programs,
                                                epoch_ms received);

}  // namespace optgate
