// Whether checks may be answered from Redis, decided from what Redis says of itself and what
// optgate remembers of it: the data-loss decision, pure (no I/O, no clock), so that each way
// Redis can lose or hide data is tested without a redis-server. data_loss_watch asks Redis,
// keeps the memory and carries the verdict out.
#pragma once

#include <string>

#include "adapters/redis/consent_store.hpp"

namespace optgate {

// What optgate remembers of the Redis it writes to.
struct redis_memory {
    std::string known_run_id;       // the server Redis was last complete on (empty: unknown)
    std::string replaying_for;      // the run id a replay is under way for, if any
    bool may_have_evicted = false;  // the policy allowed evictions since the last re-apply
};

struct redis_verdict {
    enum class kind {
        answer,             // Redis holds everything: checks are answered
        hold,               // answers are held for `reason` until a later verification
        hold_may_evict,     // held; and what it evicts meanwhile must be re-applied later
        reconnect_reads,    // held; the reads connection is on another server: reconnect it
        replay,             // Redis may have lost data (`reason`): apply the journal again
        already_replaying,  // a replay for this server is under way: nothing new
    };
    kind what;
    std::string reason;  // for the log and /readyz; empty for answer and already_replaying
    bool operator==(const redis_verdict&) const = default;
};

redis_verdict judge_redis(const consent_store::server_identity& id, const redis_memory& memory);

}  // namespace optgate
