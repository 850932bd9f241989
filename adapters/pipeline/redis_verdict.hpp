// Whether checks may be answered from Redis, decided from what Redis says of itself and what
// optgate remembers of it: the data-loss decision, pure (no I/O, no clock), so that each way
// Redis can lose or hide data is tested without a redis-server. data_loss_watch asks Redis,
// keeps the memory and carries the verdict out.
#pragma once

#include <set>
#include <string>

#include "adapters/redis/consent_store.hpp"

namespace optgate {

// What optgate remembers of the Redis it writes to.
struct redis_memory {
    std::string instance;           // this instance's id
    std::string known_run_id;       // the server Redis was last complete on (empty: unknown)
    std::string replaying_for;      // the run id a replay is under way for, if any
    bool may_have_evicted = false;  // the policy allowed evictions since the last re-apply
    // The other instances known to write to this Redis (state_dir/peers): after Redis lost
    // data, each one's journal must be applied again before any instance answers.
    std::set<std::string> peers;
    // Redis evicted keys, and no operator has said since that it was restored or that none
    // was optgate's (state_dir/redis-evictions): kept across restarts of Redis and optgate,
    // which reset INFO stats evicted_keys and this instance's memory.
    bool evictions_unreviewed = false;
    long long evictions_counted = 0;  // evicted_keys when last judged (new ones: more)
    std::string review_consumed;      // the review key's value last acted on
};

struct redis_verdict {
    enum class kind {
        answer,              // Redis holds everything: checks are answered
        hold,                // answers are held for `reason` until a later verification
        hold_may_evict,      // held; and what it evicts meanwhile must be re-applied later
        reconnect_reads,     // held; the reads connection is on another server: reconnect it
        hold_for_peers,      // held until each peer in `reason` has applied its journal here
        hold_evicted,        // held: Redis evicted keys; remember it until an operator reviews
        evictions_reviewed,  // the operator reviewed the evictions: apply the journal again
        replay,              // Redis may have lost data (`reason`): apply the journal again
        already_replaying,   // a replay for this server is under way: nothing new
    };
    kind what;
    std::string reason;  // for the log and /readyz; empty for answer and already_replaying
    bool operator==(const redis_verdict&) const = default;
};

// A peer's marker that says its journal is complete on the server `run_id`: its value is the
// run id of the server it was last applied to in full ("replaying" while it is being applied),
// or "forgotten", set by an operator for an instance whose journal is gone for good.
bool peer_is_complete(const std::string& marker, const std::string& run_id);

redis_verdict judge_redis(const consent_store::server_identity& id, const redis_memory& memory);

}  // namespace optgate
