// The pre-send decision for one recipient: may this address be reached on this channel for
// this program? Rule 1 (the program's default) when there is no record.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/consent.hpp"

namespace optgate {

enum class check_reason { opted_in, opted_out, default_state, invalid_address };

// "opted_in", "opted_out", "default", "invalid_address": the wire names of SPEC.
std::string_view to_string(check_reason r);

struct check_decision {
    bool allowed = false;
    std::optional<consent_state> state;  // absent for an invalid address
    check_reason reason = check_reason::invalid_address;
    std::optional<epoch_ms> since;  // the record's event time, when there is one
    std::string source;             // the record's source, when there is one
};

check_decision decide(const std::optional<consent_record>& record, consent_state program_default);

check_decision invalid_address_decision();

}  // namespace optgate
