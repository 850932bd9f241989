// The invariants every email provider's plan keeps, whatever the payload: its events are on
// `email` for a normalised address and a configured program, named by the provider, and each
// batch is written to the journal and read back unchanged (a journaled STOP that cannot be
// decoded never reaches Redis).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/pipeline/event_codec.hpp"
#include "core/address.hpp"
#include "core/consent.hpp"
#include "fuzz/fuzz_invariant.hpp"

namespace optgate::fuzz {

// The programs the targets configure, as email.unsubscribe_programs and email.groups do.
inline const std::vector<std::string> unsubscribe_programs{"district", "athletics"};

// A fixed receipt time (2026-01-05T10:00:00Z): the targets stay deterministic.
inline constexpr epoch_ms received_at = 1'767'607'200'000;

inline void check_email_events(const std::vector<consent_event>& events, std::string_view source,
                               const std::vector<std::string>& programs) {
    for (const auto& e : events) {
        FUZZ_INVARIANT(!e.address.empty() && normalize_email(e.address) == e.address);
        FUZZ_INVARIANT(e.channel == channel::email);
        FUZZ_INVARIANT(std::find(programs.begin(), programs.end(), e.program) != programs.end());
        FUZZ_INVARIANT(e.source == source);
        FUZZ_INVARIANT(e.dedupe_key.starts_with(std::string(source) + ":"));
        FUZZ_INVARIANT(e.received_time == received_at);
        // However the provider dates it, the store never dates it after its receipt.
        FUZZ_INVARIANT(dated_event_time(e) > 0 && dated_event_time(e) <= e.received_time);
        FUZZ_INVARIANT(!e.bulk_import && e.actor.empty());
    }
    const auto decoded = decode_events(encode_events(events));
    FUZZ_INVARIANT(decoded && *decoded == events);
}

}  // namespace optgate::fuzz
