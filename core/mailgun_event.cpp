#include "core/mailgun_event.hpp"

#include "core/email_consent.hpp"

namespace optgate {
namespace {

// Mailgun's event ids are 22 characters; a longer one is not Mailgun's, and would only grow
// every dedupe key and audit entry.
constexpr std::size_t max_event_id = 100;

mailgun_event_plan with_status(mailgun_event_status status) {
    mailgun_event_plan plan;
    plan.status = status;
    return plan;
}

}  // namespace

mailgun_event_plan plan_mailgun_event(const mailgun_event& event,
                                      const std::vector<std::string>& unsubscribe_programs,
                                      epoch_ms received) {
    if (event.type.empty()) return with_status(mailgun_event_status::missing_fields);
    if (event.type != "unsubscribed" && event.type != "complained")
        return with_status(mailgun_event_status::ignored);
    if (event.id.empty() || event.id.size() > max_event_id || !event.time)
        return with_status(mailgun_event_status::missing_fields);
    email_signal signal;
    signal.recipient = event.recipient;
    signal.state = consent_state::opted_out;
    signal.programs = unsubscribe_programs;
    signal.event_time = *event.time;
    signal.received_time = received;
    signal.source = std::string(mailgun_source);
    signal.reference = std::string(event.id);
    signal.dedupe_key = "mailgun:" + signal.reference;
    signal.keyword = std::string(event.type);
    auto events = email_consent_events(signal);
    if (!events) return with_status(mailgun_event_status::invalid_recipient);
    return {mailgun_event_status::consent, std::move(*events)};
}

}  // namespace optgate
