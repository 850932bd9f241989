#include "core/consent.hpp"

namespace optgate {

std::string_view to_string(channel c) {
    switch (c) {
        case channel::sms:
            return "sms";
        case channel::voice:
            return "voice";
        case channel::email:
            return "email";
    }
    return "sms";
}

std::string_view to_string(consent_state s) {
    return s == consent_state::opted_in ? "opted_in" : "opted_out";
}

std::optional<channel> parse_channel(std::string_view text) {
    if (text == "sms") return channel::sms;
    if (text == "voice") return channel::voice;
    if (text == "email") return channel::email;
    return std::nullopt;
}

std::optional<consent_state> parse_consent_state(std::string_view text) {
    if (text == "opted_in") return consent_state::opted_in;
    if (text == "opted_out") return consent_state::opted_out;
    return std::nullopt;
}

epoch_ms dated_event_time(const consent_event& e) {
    return e.event_time <= 0 || e.event_time > e.received_time ? e.received_time : e.event_time;
}

}  // namespace optgate
