#include "core/sendgrid_events.hpp"

#include "core/email_consent.hpp"

namespace optgate {

std::string_view to_string(sendgrid_event_status status) {
    switch (status) {
        case sendgrid_event_status::consent:
            return "consent";
        case sendgrid_event_status::ignored:
            return "ignored";
        case sendgrid_event_status::unmapped_group:
            return "unmapped group";
        case sendgrid_event_status::missing_fields:
            return "missing fields";
        case sendgrid_event_status::invalid_email:
            return "invalid email";
    }
    return "unknown";
}

sendgrid_event_plan plan_sendgrid_event(const sendgrid_event& event,
                                        const std::vector<std::string>& unsubscribe_programs,
                                        const std::map<std::string, std::string>& groups,
                                        epoch_ms received) {
    email_signal signal;
    const bool group_event = event.type == "group_unsubscribe" || event.type == "group_resubscribe";
    if (event.type == "unsubscribe" || event.type == "spamreport") {
        signal.programs = unsubscribe_programs;
    } else if (!group_event) {
        return {sendgrid_event_status::ignored, {}};
    }
    if (event.sg_event_id.empty() || event.sg_event_id.size() > max_provider_id || !event.time ||
        (group_event && !event.asm_group_id))
        return {sendgrid_event_status::missing_fields, {}};
    if (group_event) {
        const auto program = groups.find(*event.asm_group_id);
        if (program == groups.end()) return {sendgrid_event_status::unmapped_group, {}};
        signal.programs = {program->second};
        if (event.type == "group_resubscribe") signal.state = consent_state::opted_in;
    }
    signal.recipient = event.email;
    signal.event_time = *event.time;
    signal.received_time = received;
    name_by_provider_id(signal, sendgrid_source, event.sg_event_id);
    signal.keyword = std::string(event.type);
    auto events = email_consent_events(signal);
    if (!events) return {sendgrid_event_status::invalid_email, {}};
    return {sendgrid_event_status::consent, std::move(*events)};
}

}  // namespace optgate
