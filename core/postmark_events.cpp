#include "core/postmark_events.hpp"

#include <algorithm>

#include "core/email_consent.hpp"

namespace optgate {
namespace {

// Postmark records an unsubscribe through its link as a ManualSuppression; one made by the
// district in Postmark's UI is one too, and stopping mail is the safe reading of it.
bool is_opt_out_reason(std::string_view reason) {
    return reason == "SpamComplaint" || reason == "ManualSuppression";
}

}  // namespace

postmark_plan plan_postmark_subscription_change(const postmark_subscription_change& change,
                                                const std::vector<std::string>& programs,
                                                epoch_ms received) {
    postmark_plan plan;
    const auto changed_at = parse_rfc3339(change.changed_at);
    if (!changed_at || change.message_id.value_or("").size() > max_provider_id) {
        plan.status = postmark_status::malformed;
        return plan;
    }
    if (change.suppress_sending) {
        const auto reason = change.suppression_reason.value_or("");
        if (!is_opt_out_reason(reason)) {
            plan.status = postmark_status::not_consent;
            plan.kind = std::string(reason);
            return plan;
        }
        plan.kind = std::string(reason);
    } else {
        plan.kind = "Reactivated";
    }
    email_signal signal;
    signal.recipient = change.recipient;
    signal.state = change.suppress_sending ? consent_state::opted_out : consent_state::opted_in;
    signal.programs = programs;
    // A provider clock ahead of ours must not date an event into the future, where it would
    // outrank every later one.
    signal.event_time = std::min(*changed_at, received);
    signal.received_time = received;
    signal.source = std::string(postmark_source);
    signal.reference = std::string(change.message_id.value_or(""));
    // The message id alone is null for reactivations and repeats across changes of one
    // message: the time and the direction make the change itself unique and stable.
    signal.dedupe_key = std::string(postmark_source) + ":" + signal.reference + ":" +
                        format_rfc3339(*changed_at) + ":" +
                        (change.suppress_sending ? "suppressed" : "reactivated");
    signal.keyword = plan.kind;
    auto events = email_consent_events(signal);
    if (!events) {
        plan.status = postmark_status::invalid_recipient;
        return plan;
    }
    plan.status = postmark_status::changed;
    plan.events = std::move(*events);
    return plan;
}

}  // namespace optgate
