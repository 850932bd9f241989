#include "core/opt_out_scope.hpp"

#include <algorithm>

namespace optgate {

std::string_view to_string(opt_out_scope scope) {
    switch (scope) {
        case opt_out_scope::channel:
            return "channel";
        case opt_out_scope::all:
            return "all";
        case opt_out_scope::program:
            break;
    }
    return "program";
}

std::optional<opt_out_scope> parse_opt_out_scope(std::string_view text) {
    if (text == "program") return opt_out_scope::program;
    if (text == "channel") return opt_out_scope::channel;
    if (text == "all") return opt_out_scope::all;
    return std::nullopt;
}

std::vector<opt_out_target> opt_out_targets(channel signal, const std::vector<std::string>& named,
                                            opt_out_scope scope,
                                            const std::vector<program_purpose>& programs) {
    std::vector<opt_out_target> targets;
    const auto add = [&](channel c, const std::string& program, std::string_view widened) {
        const bool known = std::any_of(targets.begin(), targets.end(), [&](const auto& t) {
            return t.channel == c && t.program == program;
        });
        if (!known) targets.push_back({c, program, std::string(widened)});
    };
    for (const auto& program : named) add(signal, program, "");
    if (scope == opt_out_scope::program) return targets;
    const auto widen = [&](channel c) {
        for (const auto& p : programs)
            if (!p.emergency) add(c, p.name, to_string(scope));
    };
    widen(signal);
    if (scope == opt_out_scope::all) widen(signal == channel::sms ? channel::voice : channel::sms);
    return targets;
}

}  // namespace optgate
