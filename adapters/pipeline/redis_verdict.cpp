#include "adapters/pipeline/redis_verdict.hpp"

namespace optgate {

redis_verdict judge_redis(const consent_store::server_identity& id, const redis_memory& memory) {
    using kind = redis_verdict::kind;
    // Without INFO (server, memory) and EXISTS nothing tells whether Redis lost data or may
    // evict it: answered from, a lost STOP would read as the default.
    if (!id.refused.empty())
        return {kind::hold, "Redis refuses what verifies it (" + id.refused +
                                "); allow INFO server, INFO memory and EXISTS to optgate's user"};
    // A Redis that may evict keys can drop any consent record, and the marker only perhaps:
    // nothing it answers can be trusted, so nothing is answered until it is set right.
    if (!id.maxmemory_policy.empty() && id.maxmemory_policy != "noeviction")
        return {kind::hold_may_evict, "Redis's maxmemory-policy is " + id.maxmemory_policy +
                                          ": it may evict consent records; set it to noeviction"};
    if (!memory.replaying_for.empty() && memory.replaying_for == id.run_id)
        return {kind::already_replaying, {}};
    if (!id.complete_marker)
        return {kind::replay,
                "Redis does not hold the marker of a complete journal (new, restarted empty or "
                "flushed)"};
    if (memory.may_have_evicted)
        return {kind::replay,
                "Redis's maxmemory-policy allowed evictions: it may have evicted consent records"};
    if (memory.known_run_id.empty())
        return {kind::replay,
                "it is not known whether Redis holds the whole journal (first start, or a "
                "re-apply was cut short)"};
    if (id.run_id != memory.known_run_id)
        return {kind::replay,
                "Redis is a different server than before (restart or failover: it may have "
                "missed writes)"};
    // A master demoted under the reads connection still answers reads, with what it had.
    if (id.reads_run_id != id.run_id)
        return {kind::reconnect_reads,
                "the connection that reads for checks is on another Redis server than the one "
                "written to; reconnecting it"};
    return {kind::answer, {}};
}

}  // namespace optgate
