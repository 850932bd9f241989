// The apply script's ARGV by name: which position carries what, and the one function that
// builds them from an event, so that the script and the store cannot drift apart unseen.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "adapters/redis/consent_keys.hpp"
#include "core/consent.hpp"

namespace optgate {

// Positions as the script reads them (ARGV[n], counted from 1). The script spells them as
// numbers; tests/unit/apply_script_test.cpp reads its text and holds the two equal.
namespace apply_arg {
inline constexpr std::size_t record_field = 1;  // "channel/program" in the consent hash
inline constexpr std::size_t seen_field = 2;    // "channel/program/dedupe key" in the seen hash
inline constexpr std::size_t state = 3;
inline constexpr std::size_t stated_time = 4;    // ms; 0 or less: none stated
inline constexpr std::size_t received_time = 5;  // ms
inline constexpr std::size_t source = 6;
inline constexpr std::size_t reference = 7;
inline constexpr std::size_t keyword = 8;
inline constexpr std::size_t match = 9;
inline constexpr std::size_t actor = 10;
inline constexpr std::size_t bulk_import = 11;  // "1" / "0"
inline constexpr std::size_t address = 12;
inline constexpr std::size_t channel = 13;
inline constexpr std::size_t program = 14;
inline constexpr std::size_t dedupe_key = 15;
// "1": the journal applies it again after Redis lost data (delivery::replay); "0": live.
inline constexpr std::size_t replay = 16;
inline constexpr std::size_t language = 17;  // "" when the event has none
inline constexpr std::size_t scope = 18;     // "" when the event named its program
// How long the change feed keeps an entry (ms), counted on Redis's clock, which dates them.
inline constexpr std::size_t feed_retention = 19;
// The journal (its instance id) a replay applies; "" when live. The records it writes name it.
inline constexpr std::size_t replayed_by = 20;
inline constexpr std::size_t count = 20;
}  // namespace apply_arg

// ARGV[1..apply_arg::count] of the apply script for `e`, in order, a replay of `journal`'s
// or live; the change feed keeps `feed_retention_ms` of changes.
inline std::vector<std::string> apply_script_arguments(const consent_event& e, bool replay,
                                                       epoch_ms feed_retention_ms,
                                                       const std::string& journal = {}) {
    std::vector<std::string> argv(apply_arg::count);
    auto at = [&](std::size_t position) -> std::string& { return argv[position - 1]; };
    at(apply_arg::record_field) = consent_keys::record_field(e.channel, e.program);
    at(apply_arg::seen_field) = consent_keys::seen_field(e.channel, e.program, e.dedupe_key);
    at(apply_arg::state) = to_string(e.state);
    at(apply_arg::stated_time) = std::to_string(e.event_time);
    at(apply_arg::received_time) = std::to_string(e.received_time);
    at(apply_arg::source) = e.source;
    at(apply_arg::reference) = e.reference;
    at(apply_arg::keyword) = e.keyword;
    at(apply_arg::match) = e.match;
    at(apply_arg::actor) = e.actor;
    at(apply_arg::bulk_import) = e.bulk_import ? "1" : "0";
    at(apply_arg::address) = e.address;
    at(apply_arg::channel) = to_string(e.channel);
    at(apply_arg::program) = e.program;
    at(apply_arg::dedupe_key) = e.dedupe_key;
    at(apply_arg::replay) = replay ? "1" : "0";
    at(apply_arg::language) = e.language;
    at(apply_arg::scope) = e.scope;
    at(apply_arg::feed_retention) = std::to_string(feed_retention_ms);
    at(apply_arg::replayed_by) = replay ? journal : std::string();
    return argv;
}

}  // namespace optgate
