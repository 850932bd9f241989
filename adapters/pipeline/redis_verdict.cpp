#include "adapters/pipeline/redis_verdict.hpp"

#include <cstdlib>

namespace optgate {

bool peer_is_complete(const std::string& marker, const std::string& run_id) {
    return marker == run_id || marker == "forgotten";
}

redis_verdict judge_redis(const consent_store::server_identity& id, const redis_memory& memory) {
    using kind = redis_verdict::kind;
    // Without INFO (server, memory) and EXISTS nothing tells whether Redis lost data or may
    // evict it: answered from, a lost STOP would read as the default.
    if (!id.refused.empty())
        return {kind::hold, "Redis refuses what verifies it (" + id.refused +
                                "); allow INFO server, INFO memory, EXISTS, GET, MGET and SMEMBERS "
                                "to optgate's user"};
    // The apply script trims the change feed with XADD MINID (Redis 6.2) and the feed tells a
    // follower that fell behind by the stream's counters (Redis 7): on an older Redis a change
    // could fail to apply or a gap pass unseen.
    if (!id.redis_version.empty() && std::atoi(id.redis_version.c_str()) < 7)
        return {kind::hold, "Redis " + id.redis_version +
                                " is older than 7.0, which optgate needs (the change feed's "
                                "stream commands): upgrade Redis"};
    // A Redis that may evict keys can drop any consent record, and the marker only perhaps:
    // nothing it answers can be trusted, so nothing is answered until it is set right.
    if (!id.maxmemory_policy.empty() && id.maxmemory_policy != "noeviction")
        return {kind::hold_may_evict, "Redis's maxmemory-policy is " + id.maxmemory_policy +
                                          ": it may evict consent records; set it to noeviction"};
    // What it evicted is gone, and the journal holds only its retention: a STOP older than
    // that would read as the default. Neither a restart of Redis nor CONFIG RESETSTAT (both
    // zero the count) says what was lost: only an operator, after restoring Redis from a
    // backup or finding nothing of optgate's evicted, by a new value of the review key.
    if (id.evicted_keys > memory.evictions_counted || memory.evictions_unreviewed) {
        if (!id.evictions_review.empty() && id.evictions_review != memory.review_consumed)
            return {kind::evictions_reviewed,
                    "the operator reviewed Redis's evictions (" + id.evictions_review_key + ")"};
        return {kind::hold_evicted,
                "Redis has evicted keys (INFO stats evicted_keys " +
                    std::to_string(id.evicted_keys) +
                    "): consent records older than the journal's retention may be gone; "
                    "restore Redis from a backup taken before, then (or, if none was optgate's, "
                    "now) run: redis-cli INCR '" +
                    id.evictions_review_key + "'"};
    }
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
    // Another instance's journal holds what it acknowledged: a record only it wrote reads as
    // the default until it has applied that journal to this server too (after a flush, an
    // empty restart or a failover its marker is gone or names the former server).
    std::set<std::string> peers = memory.peers;
    peers.insert(id.instances.begin(), id.instances.end());
    peers.erase(memory.instance);
    std::string waiting;
    for (const auto& peer : peers) {
        const auto marker = id.peer_markers.find(peer);
        if (marker != id.peer_markers.end() && peer_is_complete(marker->second, id.run_id))
            continue;
        waiting += (waiting.empty() ? "" : ", ") + peer;
    }
    if (!waiting.empty())
        return {kind::hold_for_peers,
                "waiting for optgate instance(s) " + waiting +
                    " to apply their journals to this Redis; start them, or, for an instance "
                    "whose journal is lost for good, SET its marker key to forgotten (see "
                    "docs/operations.md)"};
    return {kind::answer, {}};
}

}  // namespace optgate
