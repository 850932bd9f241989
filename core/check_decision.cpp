#include "core/check_decision.hpp"

namespace optgate {

std::string_view to_string(check_reason r) {
    switch (r) {
        case check_reason::opted_in:
            return "opted_in";
        case check_reason::opted_out:
            return "opted_out";
        case check_reason::default_state:
            return "default";
        case check_reason::invalid_address:
            return "invalid_address";
    }
    return "invalid_address";
}

check_decision decide(const std::optional<consent_record>& record, consent_state program_default) {
    if (!record) {
        return {program_default == consent_state::opted_in,
                program_default,
                check_reason::default_state,
                std::nullopt,
                {}};
    }
    const bool in = record->state == consent_state::opted_in;
    return {in, record->state, in ? check_reason::opted_in : check_reason::opted_out,
            record->event_time, record->source};
}

check_decision invalid_address_decision() {
    return {};
}

}  // namespace optgate
