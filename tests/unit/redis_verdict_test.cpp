// The data-loss decision without a redis-server: every way Redis can lose or hide what optgate
// wrote holds answers or has the journal applied again; only a Redis known to be complete, on
// the server written to, with noeviction and nothing refused, is answered from.
#include "adapters/pipeline/redis_verdict.hpp"

#include <gtest/gtest.h>

namespace optgate {
namespace {

using kind = redis_verdict::kind;

// A Redis that is complete: the marker there, the same server as before, noeviction, the
// reads connection on it.
consent_store::server_identity complete() {
    consent_store::server_identity id;
    id.run_id = "run-a";
    id.complete_marker = true;
    id.maxmemory_policy = "noeviction";
    id.reads_run_id = "run-a";
    return id;
}

// What optgate remembers: the server it was last complete on, a replay under way for one.
redis_memory memory(std::string known_run_id, std::string replaying_for = {},
                    bool may_have_evicted = false) {
    redis_memory m;
    m.known_run_id = std::move(known_run_id);
    m.replaying_for = std::move(replaying_for);
    m.may_have_evicted = may_have_evicted;
    return m;
}

const redis_memory remembered = memory("run-a");

TEST(RedisVerdict, OnlyACompleteRedisIsAnswered) {
    EXPECT_EQ(judge_redis(complete(), remembered), (redis_verdict{kind::answer, {}}));
    auto no_policy = complete();
    no_policy.maxmemory_policy.clear();  // an INFO memory without it (an old Redis)
    EXPECT_EQ(judge_redis(no_policy, remembered).what, kind::answer);
}

TEST(RedisVerdict, EveryWayOfLosingDataReplaysTheJournal) {
    auto flushed = complete();
    flushed.complete_marker = false;
    EXPECT_EQ(judge_redis(flushed, remembered).what, kind::replay);
    auto failed_over = complete();
    failed_over.run_id = failed_over.reads_run_id = "run-b";
    EXPECT_EQ(judge_redis(failed_over, remembered).what, kind::replay);
    EXPECT_EQ(judge_redis(complete(), redis_memory{}).what, kind::replay);
    EXPECT_EQ(judge_redis(complete(), memory("run-a", "", true)).what, kind::replay);
    for (const auto& id : {flushed, failed_over})
        EXPECT_FALSE(judge_redis(id, remembered).reason.empty());
}

TEST(RedisVerdict, AnEvictingPolicyHoldsAnswersAndIsRememberedForLater) {
    for (const char* policy : {"allkeys-lru", "volatile-lru", "allkeys-random", "volatile-ttl"}) {
        auto evicting = complete();
        evicting.maxmemory_policy = policy;
        const auto verdict = judge_redis(evicting, remembered);
        EXPECT_EQ(verdict.what, kind::hold_may_evict) << policy;
        EXPECT_NE(verdict.reason.find(policy), std::string::npos) << verdict.reason;
        // Even while a replay is under way, and even with the marker gone.
        evicting.complete_marker = false;
        EXPECT_EQ(judge_redis(evicting, memory("", "run-a")).what, kind::hold_may_evict);
    }
}

TEST(RedisVerdict, AfterEvictionsNothingIsAnsweredUntilAnOperatorReviewsThem) {
    auto evicted = complete();
    evicted.evicted_keys = 3;
    evicted.evictions_review_key = "optgate:{meta}:evictions-reviewed";
    for (const auto& memory_now : {remembered, memory(""), memory("", "run-a")}) {
        const auto verdict = judge_redis(evicted, memory_now);
        EXPECT_EQ(verdict.what, kind::hold_evicted);
        EXPECT_NE(verdict.reason.find("evicted_keys 3"), std::string::npos) << verdict.reason;
        EXPECT_NE(verdict.reason.find("INCR 'optgate:{meta}:evictions-reviewed'"),
                  std::string::npos)
            << verdict.reason;
    }
    evicted.complete_marker = false;  // whatever else it lost
    EXPECT_EQ(judge_redis(evicted, remembered).what, kind::hold_evicted);

    // Redis restarted (or CONFIG RESETSTAT): the count is zero, the evictions are remembered.
    auto unreviewed = remembered;
    unreviewed.evictions_unreviewed = true;
    unreviewed.evictions_counted = 3;
    EXPECT_EQ(judge_redis(complete(), unreviewed).what, kind::hold_evicted);
    // Evictions counted before, none since: nothing new to review.
    auto counted = remembered;
    counted.evictions_counted = 3;
    evicted.complete_marker = true;
    EXPECT_EQ(judge_redis(evicted, counted).what, kind::answer);

    // The operator's review (a new value of the key, once per value): the journal is applied
    // again.
    auto reviewed = complete();
    reviewed.evictions_review = "1";
    EXPECT_EQ(judge_redis(reviewed, unreviewed).what, kind::evictions_reviewed);
    unreviewed.review_consumed = "1";
    EXPECT_EQ(judge_redis(reviewed, unreviewed).what, kind::hold_evicted);
}

TEST(RedisVerdict, ARedisOlderThanSevenIsNeverAnsweredAndSaysWhy) {
    auto old = complete();
    old.redis_version = "6.2.14";
    const auto verdict = judge_redis(old, remembered);
    EXPECT_EQ(verdict.what, kind::hold);
    EXPECT_NE(verdict.reason.find("Redis 6.2.14 is older than 7.0"), std::string::npos);
    for (const char* fine : {"7.0.15", "7.2.4", "10.0.0"}) {
        old.redis_version = fine;
        EXPECT_EQ(judge_redis(old, remembered).what, kind::answer) << fine;
    }
}

TEST(RedisVerdict, ARedisThatRefusesVerificationIsNeverAnswered) {
    auto refused = complete();
    refused.refused = "NOPERM INFO";
    const auto verdict = judge_redis(refused, remembered);
    EXPECT_EQ(verdict.what, kind::hold);
    EXPECT_NE(verdict.reason.find("NOPERM INFO"), std::string::npos);
}

TEST(RedisVerdict, AReadsConnectionOnAnotherServerIsReconnectedAndHoldsAnswers) {
    auto astray = complete();
    astray.reads_run_id = "run-old-master";
    EXPECT_EQ(judge_redis(astray, remembered).what, kind::reconnect_reads);
    // Data loss comes first: the journal is applied again, then the reads are checked.
    astray.complete_marker = false;
    EXPECT_EQ(judge_redis(astray, remembered).what, kind::replay);
}

TEST(RedisVerdict, AReplayUnderWayForThisServerStartsNoOther) {
    auto flushed = complete();
    flushed.complete_marker = false;
    EXPECT_EQ(judge_redis(flushed, memory("", "run-a")).what, kind::already_replaying);
    // A replay for another server does not count: this one may have lost data too.
    EXPECT_EQ(judge_redis(flushed, memory("", "run-z")).what, kind::replay);
}

TEST(RedisVerdict, AfterALossNoInstanceAnswersUntilEveryPeerHasAppliedItsJournalHere) {
    redis_memory two_peers = remembered;
    two_peers.peers = {"peer-b", "peer-c"};
    auto id = complete();
    id.peer_markers = {{"peer-b", "run-a"}, {"peer-c", "run-a"}};
    EXPECT_EQ(judge_redis(id, two_peers).what, kind::answer);

    // peer-c's marker is gone (flushed, restarted empty: it has not replayed yet), names the
    // former server (a failover or restart it has not noticed yet), or says it is replaying.
    for (const char* marker : {"", "run-old", "replaying"}) {
        auto waiting = id;
        if (*marker)
            waiting.peer_markers["peer-c"] = marker;
        else
            waiting.peer_markers.erase("peer-c");
        const auto verdict = judge_redis(waiting, two_peers);
        EXPECT_EQ(verdict.what, kind::hold_for_peers) << marker;
        EXPECT_NE(verdict.reason.find("peer-c"), std::string::npos) << verdict.reason;
        EXPECT_EQ(verdict.reason.find("peer-b"), std::string::npos) << verdict.reason;
    }
    // A peer only the registry names (this instance started after it, or after a flush that
    // its peers' registration outlived) is waited for too; this instance never waits for itself.
    auto registered_only = id;
    registered_only.instances = {"peer-d", "instance-a"};
    auto me = two_peers;
    me.instance = "instance-a";
    EXPECT_EQ(judge_redis(registered_only, me).what, kind::hold_for_peers);
    registered_only.peer_markers["peer-d"] = "run-a";
    EXPECT_EQ(judge_redis(registered_only, me).what, kind::answer);
    // An operator's word for an instance whose journal is lost for good.
    auto forgotten = id;
    forgotten.peer_markers["peer-c"] = "forgotten";
    EXPECT_EQ(judge_redis(forgotten, two_peers).what, kind::answer);
    // Data loss of this instance's own comes first: its journal is applied again.
    auto flushed = id;
    flushed.complete_marker = false;
    flushed.peer_markers.clear();
    EXPECT_EQ(judge_redis(flushed, two_peers).what, kind::replay);
}

TEST(RedisVerdict, AMarkerIsCompleteOnlyForTheServerItNames) {
    EXPECT_TRUE(peer_is_complete("run-a", "run-a"));
    EXPECT_TRUE(peer_is_complete("forgotten", "run-a"));
    for (const char* marker : {"run-b", "replaying", "", "1", "RUN-A", "run-a "})
        EXPECT_FALSE(peer_is_complete(marker, "run-a")) << marker;
}

}  // namespace
}  // namespace optgate
