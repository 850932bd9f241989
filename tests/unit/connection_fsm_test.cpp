// What a Redis connection must pass before it is used, without a redis-server: the set-up
// commands, their refusals (a wrong password, an ACL), the role check with Sentinel, and a
// READONLY reply once connected; as events in and the actions redis_connection carries out.
#include <gtest/gtest.h>

#include "adapters/redis/redis_error.hpp"
#include "tests/unit/connection_fsm_harness.hpp"

namespace optgate::testing {
namespace {

TEST(ConnectionFsm, DirectStartOpensTheServerUnderAConnectDeadlineThenSetsUp) {
    harness h(with_password());
    EXPECT_EQ(h.on(ev::start{}),
              (script{"open_context #1 127.0.0.1:6379", "start_timer connect_deadline 2000ms"}));
    EXPECT_EQ(h.on(ev::context_connected{1}),
              (script{"send_setup #1 [AUTH app s3cret-pass] [SELECT 3] within 2000ms"}));
    EXPECT_FALSE(h.fsm.connected()) << "usable only once set up";
    EXPECT_EQ(h.on(ev::setup_replied{1, {}, {h.ok(), h.ok()}}),
              (script{"cancel_timer connect_deadline", "mark_connected"}));
    EXPECT_TRUE(h.fsm.connected());
}

TEST(ConnectionFsm, WithoutAPasswordSetUpIsSelectAlone) {
    harness h(direct());
    h.on(ev::start{});
    EXPECT_EQ(h.on(ev::context_connected{1}), (script{"send_setup #1 [SELECT 0] within 2000ms"}));
}

TEST(ConnectionFsm, AWrongPasswordIsLoggedWithoutItClosedAndRetriedAfterTheBackoff) {
    harness h(with_password());
    h.on(ev::start{});
    h.on(ev::context_connected{1});
    const auto refused = h.on(
        ev::setup_replied{1,
                          {},
                          {h.error("WRONGPASS invalid username-password pair or user is disabled."),
                           h.error("NOAUTH Authentication required.")}});
    EXPECT_EQ(refused, (script{"error: redis 127.0.0.1:6379/3: set-up refused: WRONGPASS invalid "
                               "username-password pair or user is disabled.",
                               "error: redis 127.0.0.1:6379/3: set-up refused: NOAUTH "
                               "Authentication required.",
                               "close_context #1"}));
    for (const auto& line : refused) EXPECT_EQ(line.find("s3cret"), std::string::npos) << line;
    EXPECT_FALSE(h.fsm.connected());
    EXPECT_EQ(h.fire(connection_timer::connect_deadline), script{})
        << "the attempt is already being closed: no second reason for it";
    EXPECT_EQ(h.on(ev::context_gone{1}),
              (script{"cancel_timer connect_deadline", "start_timer backoff 100ms"}));
    EXPECT_EQ(h.fire(connection_timer::backoff),
              (script{"open_context #2 127.0.0.1:6379", "start_timer connect_deadline 2000ms"}));
}

TEST(ConnectionFsm, AnAclThatRefusesSelectRefusesTheSetUpAtEveryAttempt) {
    harness h(with_password());
    for (context_id id = 1; id <= 2; ++id) {
        id == 1 ? h.on(ev::start{}) : h.fire(connection_timer::backoff);
        h.on(ev::context_connected{id});
        EXPECT_EQ(h.on(ev::setup_replied{
                      id, {}, {h.ok(), h.error("NOPERM this user has no permissions")}}),
                  (script{"error: redis 127.0.0.1:6379/3: set-up refused: NOPERM this user has "
                          "no permissions",
                          "close_context #" + std::to_string(id)}))
            << "attempt " << id;
        h.on(ev::context_gone{id});
    }
    EXPECT_FALSE(h.fsm.connected());
}

TEST(ConnectionFsm, ASetUpBatchThatFailedClosesTheContextWithoutALine) {
    harness h(with_password());
    h.on(ev::start{});
    h.on(ev::context_connected{1});
    EXPECT_EQ(h.on(ev::setup_replied{1, make_error_code(redis_error::connection_lost), {}}),
              (script{"close_context #1"}));
}

TEST(ConnectionFsm, WithSentinelEachAttemptAsksForTheMasterAndChecksItsRole) {
    harness h(with_sentinel());
    EXPECT_EQ(h.on(ev::start{}), (script{"resolve_master"}));
    EXPECT_EQ(h.on(ev::master_named{master_a}),
              (script{"info: redis sentinel:mymaster/0: the sentinels name 10.0.0.5:6379 as master",
                      "open_context #1 10.0.0.5:6379", "start_timer connect_deadline 2000ms"}));
    EXPECT_EQ(h.on(ev::context_connected{1}),
              (script{"send_setup #1 [SELECT 0] [ROLE] within 2000ms"}));
    EXPECT_EQ(h.on(ev::setup_replied{1, {}, {h.ok(), h.role("master")}}),
              (script{"cancel_timer connect_deadline", "mark_connected"}));
}

TEST(ConnectionFsm, AReplicaNamedAsMasterIsDroppedAndTheSentinelsAskedAgain) {
    harness h(with_sentinel());
    h.on(ev::start{});
    h.on(ev::master_named{master_a});
    h.on(ev::context_connected{1});
    EXPECT_EQ(h.on(ev::setup_replied{1, {}, {h.ok(), h.role("slave")}}),
              (script{"warn: redis sentinel:mymaster/0 (10.0.0.5:6379): the server is a slave, "
                      "not a master; asking the sentinels again",
                      "close_context #1"}));
    EXPECT_FALSE(h.fsm.connected());
    EXPECT_EQ(h.on(ev::context_gone{1}),
              (script{"cancel_timer connect_deadline", "start_timer backoff 100ms"}));
    EXPECT_EQ(h.fire(connection_timer::backoff), (script{"resolve_master"}));
    // The same replica again: the outage is already reported, so no second line.
    h.on(ev::master_named{master_a});
    h.on(ev::context_connected{2});
    EXPECT_EQ(h.on(ev::setup_replied{2, {}, {h.ok(), h.role("slave")}}),
              (script{"close_context #2"}));
}

TEST(ConnectionFsm, ARoleRefusedByTheAclIsTrustedButAnyOtherRoleErrorIsNot) {
    harness trusting(with_sentinel());
    trusting.on(ev::start{});
    trusting.on(ev::master_named{master_a});
    trusting.on(ev::context_connected{1});
    EXPECT_EQ(trusting.on(ev::setup_replied{1, {}, {trusting.ok(), trusting.error("NOPERM no")}}),
              (script{"cancel_timer connect_deadline", "mark_connected"}));

    harness refusing(with_sentinel());
    refusing.on(ev::start{});
    refusing.on(ev::master_named{master_a});
    refusing.on(ev::context_connected{1});
    EXPECT_EQ(refusing.on(ev::setup_replied{1, {}, {refusing.ok(), refusing.error("ERR unknown")}}),
              (script{"warn: redis sentinel:mymaster/0 (10.0.0.5:6379): ROLE refused: ERR "
                      "unknown; asking the sentinels again",
                      "close_context #1"}));
}

TEST(ConnectionFsm, AReadonlyReplyClosesTheConnectionAndTheNextAttemptAsksTheSentinels) {
    harness h(with_sentinel());
    h.on(ev::start{});
    h.on(ev::master_named{master_a});
    h.on(ev::context_connected{1});
    h.on(ev::setup_replied{1, {}, {h.ok(), h.role("master")}});
    EXPECT_EQ(h.on(ev::readonly_replied{1}),
              (script{"warn: redis sentinel:mymaster/0 (10.0.0.5:6379): READONLY: no longer the "
                      "master; connecting again",
                      "mark_disconnected", "close_context #1"}));
    EXPECT_FALSE(h.fsm.connected());
    EXPECT_EQ(h.on(ev::readonly_replied{1}), script{}) << "one close per context";
    // Already reported by the line above: no "connection lost" on top.
    EXPECT_EQ(h.on(ev::context_gone{1}),
              (script{"cancel_timer connect_deadline", "start_timer backoff 100ms"}));
    EXPECT_EQ(h.fire(connection_timer::backoff), (script{"resolve_master"}));
    EXPECT_EQ(h.on(ev::master_named{master_b}),
              (script{"warn: redis sentinel:mymaster/0: the sentinels name 10.0.0.6:6379 as "
                      "master (it was 10.0.0.5:6379)",
                      "open_context #2 10.0.0.6:6379", "start_timer connect_deadline 2000ms"}));
    h.on(ev::context_connected{2});
    EXPECT_EQ(
        h.on(ev::setup_replied{2, {}, {h.ok(), h.role("master")}}),
        (script{"cancel_timer connect_deadline",
                "info: redis sentinel:mymaster/0 (10.0.0.6:6379): connected", "mark_connected"}));
}

TEST(ConnectionFsm, WithoutSentinelAReadonlyReplyKeepsTheConnection) {
    harness h(direct());
    h.on(ev::start{});
    h.connect(1);
    EXPECT_EQ(h.on(ev::readonly_replied{1}), script{});
    EXPECT_TRUE(h.fsm.connected());
}

TEST(ConnectionFsm, DescribesTheEndpointAndWithSentinelTheServer) {
    harness h(with_sentinel());
    EXPECT_EQ(h.fsm.describe(), "sentinel:mymaster/0");
    EXPECT_EQ(h.fsm.where(), "sentinel:mymaster/0");
    h.on(ev::start{});
    h.on(ev::master_named{redis_address{"::1", 6380}});
    EXPECT_EQ(h.fsm.where(), "sentinel:mymaster/0 ([::1]:6380)");
    EXPECT_EQ(harness(with_password()).fsm.where(), "127.0.0.1:6379/3");
}

}  // namespace
}  // namespace optgate::testing
