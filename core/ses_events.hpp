// What an Amazon SES notification (the JSON inside an SNS Notification's Message) means for
// consent (SPEC "Email"): a spam complaint opts each complained recipient out of
// email.unsubscribe_programs; bounces, deliveries and every other kind change nothing.
// Decided from the fields the HTTP route has already read from the JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/consent.hpp"

namespace optgate {

constexpr std::string_view ses_source = "ses";
constexpr std::string_view ses_complaint_kind = "Complaint";

struct ses_notification {
    // notificationType (identity notifications) or eventType (configuration-set events).
    std::string_view kind;
    // complaint.complaintSubType: null for a recipient's complaint; "OnAccountSuppressionList"
    // when SES did not send at all because the address was already suppressed.
    std::optional<std::string_view> complaint_sub_type;
    std::vector<std::string_view> complained_recipients;  // complaint.complainedRecipients[]
    std::optional<std::string_view> complaint_timestamp;  // complaint.timestamp
    std::string_view sns_message_id;                      // stable across SNS retries
    std::string_view sns_timestamp;                       // when SNS published it
};

enum class ses_status {
    complaint,    // `events` opt the complained recipients out
    not_consent,  // a bounce, delivery or other kind: nothing changes
    suppressed,   // a complaint about mail SES never sent (already suppressed): nothing changes
};

struct ses_plan {
    ses_status status = ses_status::not_consent;
    std::vector<consent_event> events;  // per valid recipient, one per program
    std::size_t valid_recipients = 0;
    std::size_t invalid_recipients = 0;  // not email addresses: skipped
};

ses_plan plan_ses_notification(const ses_notification& notification,
                               const std::vector<std::string>& programs, epoch_ms received);

}  // namespace optgate
