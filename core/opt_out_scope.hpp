// How far one opt-out by phone reaches (config `opt_out_scope`): the program it was sent to
// (SPEC's rule), every program on its channel, or every program on both of a phone number's
// channels, sms and voice. The FCC's "revoke all" rule (47 CFR 64.1200(a)(10)) asks for the
// widest; docs/scope.md has the law and the dates. An emergency-purpose program (FCC 16-88:
// no consent needed) is reached only by an opt-out of its own: sent to its short code, a
// STOPALL, or a hotline whose programs name it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/consent.hpp"

namespace optgate {

enum class opt_out_scope { program, channel, all };

std::string_view to_string(opt_out_scope scope);
std::optional<opt_out_scope> parse_opt_out_scope(std::string_view text);

struct program_purpose {
    std::string name;
    bool emergency = false;  // emergency-purpose: reached only by its own opt-out
    friend bool operator==(const program_purpose&, const program_purpose&) = default;
};

// One record an opt-out changes. `widened` is the scope that reached it when the signal did
// not name its program itself (recorded in the audit), else empty.
struct opt_out_target {
    optgate::channel channel;
    std::string program;
    std::string widened;
    friend bool operator==(const opt_out_target&, const opt_out_target&) = default;
};

// The records an opt-out received on `signal` (sms or voice) for `named` programs changes
// under `scope`: the named ones on `signal`; with `channel`, every other non-emergency
// program on `signal` too; with `all`, every non-emergency program on the other phone
// channel as well. Each (channel, program) once, the named ones first.
std::vector<opt_out_target> opt_out_targets(channel signal, const std::vector<std::string>& named,
                                            opt_out_scope scope,
                                            const std::vector<program_purpose>& programs);

}  // namespace optgate
