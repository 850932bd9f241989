#include "core/mailgun_event.hpp"

#include "core/email_consent.hpp"

namespace optgate {

mailgun_event_plan plan_mailgun_event(const mailgun_event& event,
                                      const std::vector<std::string>& unsubscribe_programs,
                                      epoch_ms received) {
    if (event.type.empty()) return {mailgun_event_status::missing_fields, {}};
    if (event.type != "unsubscribed" && event.type != "complained")
        return {mailgun_event_status::ignored, {}};
    if (event.id.empty() || event.id.size() > max_provider_id)
        return {mailgun_event_status::missing_fields, {}};
    email_signal signal;
    signal.recipient = event.recipient;
    signal.state = consent_state::opted_out;
    signal.programs = unsubscribe_programs;
    signal.event_time = event.time.value_or(0);  // none: the store dates it by receipt
    signal.received_time = received;
    name_by_provider_id(signal, mailgun_source, event.id);
    signal.keyword = std::string(event.type);
    auto events = email_consent_events(signal);
    if (!events) return {mailgun_event_status::invalid_recipient, {}};
    return {mailgun_event_status::consent, std::move(*events)};
}

}  // namespace optgate
