#include "core/sendgrid_events.hpp"

#include "core/email_consent.hpp"

namespace optgate {

std::string_view to_string(sendgrid_event_status status) {
    switch (status) {
        case sendgrid_event_status::consent:
            return "consent";
        case sendgrid_event_status::ignored:
            return "ignored";
        case sendgrid_event_status::unmapped_unsubscribe:
            return "unsubscribe from an unmapped group";
        case sendgrid_event_status::unmapped_resubscribe:
            return "resubscribe to an unmapped group";
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
    auto status = sendgrid_event_status::consent;
    const bool group_event = event.type == "group_unsubscribe" || event.type == "group_resubscribe";
    if (event.type == "unsubscribe" || event.type == "spamreport") {
        signal.programs = unsubscribe_programs;
    } else if (!group_event) {
        return {sendgrid_event_status::ignored, {}};
    }
    if (event.sg_event_id.empty() || event.sg_event_id.size() > max_provider_id)
        return {sendgrid_event_status::missing_fields, {}};
    if (group_event) {
        const auto program = event.asm_group_id ? groups.find(*event.asm_group_id) : groups.end();
        if (event.type == "group_resubscribe") {
            if (program == groups.end()) return {sendgrid_event_status::unmapped_resubscribe, {}};
            signal.state = consent_state::opted_in;
        }
        if (program != groups.end()) {
            signal.programs = {program->second};
        } else {
            // The family left a group the config does not know (added in SendGrid since, or a
            // typo in email.groups): it asked to stop something, and what an unsubscribe stops
            // is the reading that never sends what it refused.
            status = sendgrid_event_status::unmapped_unsubscribe;
            signal.programs = unsubscribe_programs;
            signal.match = event.asm_group_id ? "unmapped group " + *event.asm_group_id
                                              : std::string("no group");
        }
    }
    signal.recipient = event.email;
    signal.event_time = event.time.value_or(0);  // none: the store dates it by receipt
    signal.received_time = received;
    name_by_provider_id(signal, sendgrid_source, event.sg_event_id);
    signal.keyword = std::string(event.type);
    auto events = email_consent_events(signal);
    if (!events) return {sendgrid_event_status::invalid_email, {}};
    return {status, std::move(*events)};
}

}  // namespace optgate
