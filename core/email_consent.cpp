#include "core/email_consent.hpp"

#include "core/address.hpp"

namespace optgate {

void name_by_provider_id(email_signal& signal, std::string_view source, std::string_view id) {
    signal.source = std::string(source);
    signal.reference = std::string(id);
    signal.dedupe_key = signal.source + ":" + signal.reference;
}

std::optional<std::vector<consent_event>> email_consent_events(const email_signal& signal) {
    const auto address = normalize_email(signal.recipient);
    if (!address) return std::nullopt;
    std::vector<consent_event> events;
    events.reserve(signal.programs.size());
    for (const auto& program : signal.programs) {
        consent_event e;
        e.address = *address;
        e.channel = channel::email;
        e.program = program;
        e.state = signal.state;
        e.event_time = signal.event_time;
        e.received_time = signal.received_time;
        e.source = signal.source;
        e.reference = signal.reference;
        e.dedupe_key = signal.dedupe_key;
        e.keyword = signal.keyword;
        e.match = signal.match;
        events.push_back(std::move(e));
    }
    return events;
}

}  // namespace optgate
