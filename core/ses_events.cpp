#include "core/ses_events.hpp"

#include "core/email_consent.hpp"

namespace optgate {
namespace {

// When the recipient complained, as SES reports it; else when SNS published the
// notification; else none (0), and the store dates it by its receipt. A time ahead of the
// receipt is kept as stated: the store dates the event by its receipt and audits the stated
// time (dated_event_time).
epoch_ms complaint_time(const ses_notification& n) {
    std::optional<epoch_ms> reported;
    if (n.complaint_timestamp) reported = parse_rfc3339(*n.complaint_timestamp);
    if (!reported) reported = parse_rfc3339(n.sns_timestamp);
    return reported.value_or(0);
}

}  // namespace

ses_plan plan_ses_notification(const ses_notification& n, const std::vector<std::string>& programs,
                               epoch_ms received) {
    ses_plan plan;
    if (n.kind != ses_complaint_kind) return plan;
    if (n.complaint_sub_type) {
        plan.status = ses_status::suppressed;
        return plan;
    }
    plan.status = ses_status::complaint;
    email_signal signal;
    signal.state = consent_state::opted_out;
    signal.programs = programs;
    signal.event_time = complaint_time(n);
    signal.received_time = received;
    // Dedupe keys are per address and program: one key serves every recipient.
    name_by_provider_id(signal, ses_source, n.sns_message_id);
    signal.keyword = std::string(ses_complaint_kind);
    for (const auto recipient : n.complained_recipients) {
        signal.recipient = recipient;
        auto events = email_consent_events(signal);
        if (!events) {
            ++plan.invalid_recipients;
            continue;
        }
        ++plan.valid_recipients;
        plan.events.insert(plan.events.end(), std::make_move_iterator(events->begin()),
                           std::make_move_iterator(events->end()));
    }
    return plan;
}

}  // namespace optgate
