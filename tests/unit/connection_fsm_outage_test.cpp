// A Redis connection's outages without a redis-server: backoff that doubles and starts over,
// each outage reported once, deadlines, reports about older contexts, reconnect() and stop().
#include <gtest/gtest.h>

#include "tests/unit/connection_fsm_harness.hpp"

namespace optgate::testing {
namespace {

TEST(ConnectionFsm, OutagesBackOffDoublingUpToTheMaximumAndStartOverAfterAConnection) {
    harness h(direct(), {.connect_timeout = 1000ms, .backoff_min = 100ms, .backoff_max = 500ms});
    h.on(ev::start{});
    h.connect(1);
    EXPECT_EQ(
        h.on(ev::context_gone{1}),
        (script{"cancel_timer connect_deadline", "warn: redis 127.0.0.1:6379/0: connection lost",
                "mark_disconnected", "start_timer backoff 100ms"}));
    // Each attempt that fails waits twice as long as the one before, at most 500 ms.
    for (const auto* expected : {"200ms", "400ms", "500ms", "500ms"}) {
        const auto next = h.fire(connection_timer::backoff);
        ASSERT_FALSE(next.empty());
        ASSERT_EQ(next.front().substr(0, 14), "open_context #");
        const context_id attempt = std::stoull(next.front().substr(14));
        EXPECT_EQ(h.on(ev::context_gone{attempt}),
                  (script{"cancel_timer connect_deadline",
                          std::string("start_timer backoff ") + expected}));
    }
    h.fire(connection_timer::backoff);
    h.connect(6);
    EXPECT_EQ(h.on(ev::context_gone{6}).back(), "start_timer backoff 100ms")
        << "a connection resets the backoff";
}

TEST(ConnectionFsm, ARefusedConnectIsReportedOnceAndTheRecoveryOnce) {
    harness h(direct());
    h.on(ev::start{});
    EXPECT_EQ(h.on(ev::context_refused{1, "Connection refused"}),
              (script{"cancel_timer connect_deadline",
                      "warn: redis 127.0.0.1:6379/0: cannot connect: Connection refused",
                      "start_timer backoff 100ms"}));
    h.fire(connection_timer::backoff);
    EXPECT_EQ(h.on(ev::context_refused{2, "Connection refused"}),
              (script{"cancel_timer connect_deadline", "start_timer backoff 200ms"}));
    h.fire(connection_timer::backoff);
    h.on(ev::context_connected{3});
    EXPECT_EQ(h.on(ev::setup_replied{3, {}, {h.ok()}}),
              (script{"cancel_timer connect_deadline", "info: redis 127.0.0.1:6379/0: connected",
                      "mark_connected"}));
}

TEST(ConnectionFsm, NoSentinelNamingTheMasterIsReportedOnceAndAskedAgainLater) {
    harness h(with_sentinel());
    h.on(ev::start{});
    EXPECT_EQ(h.on(ev::master_named{}),
              (script{"warn: redis sentinel:mymaster/0: no sentinel named the master; asking again",
                      "start_timer backoff 100ms"}));
    EXPECT_EQ(h.fire(connection_timer::backoff), (script{"resolve_master"}));
    EXPECT_EQ(h.on(ev::master_named{}), (script{"start_timer backoff 200ms"}));
}

TEST(ConnectionFsm, AnAttemptPastItsConnectDeadlineIsClosedAndOnlyThatAttempt) {
    harness h(direct());
    h.on(ev::start{});
    const auto stale = h.running.at(connection_timer::connect_deadline);
    EXPECT_EQ(h.fire(connection_timer::connect_deadline),
              (script{"warn: redis 127.0.0.1:6379/0: connect timed out", "close_context #1"}));
    EXPECT_EQ(h.on(ev::context_gone{1}),
              (script{"cancel_timer connect_deadline", "start_timer backoff 100ms"}));
    h.fire(connection_timer::backoff);
    // The first attempt's deadline, delivered late, must not close the second attempt.
    EXPECT_EQ(h.on(ev::timer_fired{connection_timer::connect_deadline, stale}), script{});
    const auto second = h.running.at(connection_timer::connect_deadline);
    h.connect(2);
    EXPECT_EQ(h.on(ev::timer_fired{connection_timer::connect_deadline, second}), script{})
        << "a deadline cancelled by the connection is stale";
    EXPECT_TRUE(h.fsm.connected());
}

TEST(ConnectionFsm, ReportsAboutAnOlderContextChangeNothing) {
    harness h(direct());
    h.on(ev::start{});
    h.fire(connection_timer::connect_deadline);
    h.on(ev::context_gone{1});
    h.fire(connection_timer::backoff);
    h.connect(2);
    EXPECT_EQ(h.on(ev::context_connected{1}), script{});
    EXPECT_EQ(h.on(ev::setup_replied{1, {}, {h.error("ERR old")}}), script{});
    EXPECT_EQ(h.on(ev::commands_timed_out{1}), script{});
    EXPECT_EQ(h.on(ev::context_gone{1}), script{});
    EXPECT_TRUE(h.fsm.connected());
}

TEST(ConnectionFsm, ASetUpReplyForAContextBeingClosedDoesNotConnect) {
    harness h(direct());
    h.on(ev::start{});
    h.on(ev::context_connected{1});
    h.on(ev::reconnect_asked{"wrong server"});
    EXPECT_EQ(h.on(ev::setup_replied{1, {}, {h.ok()}}), script{});
    EXPECT_FALSE(h.fsm.connected());
}

TEST(ConnectionFsm, ABatchPastItsDeadlineResetsTheConnection) {
    harness h(direct());
    h.on(ev::start{});
    h.connect(1);
    EXPECT_EQ(h.on(ev::commands_timed_out{1}),
              (script{"warn: redis 127.0.0.1:6379/0: commands timed out; resetting the connection",
                      "close_context #1"}));
    EXPECT_EQ(h.on(ev::commands_timed_out{1}), script{}) << "closed once";
    EXPECT_EQ(
        h.on(ev::context_gone{1}),
        (script{"cancel_timer connect_deadline", "warn: redis 127.0.0.1:6379/0: connection lost",
                "mark_disconnected", "start_timer backoff 100ms"}));
}

TEST(ConnectionFsm, ReconnectAskedDropsALiveConnectionAndIsIgnoredWithoutOne) {
    harness h(direct());
    EXPECT_EQ(h.on(ev::reconnect_asked{"on a replica"}), script{});
    h.on(ev::start{});
    h.connect(1);
    EXPECT_EQ(h.on(ev::reconnect_asked{"on a replica"}),
              (script{"warn: redis 127.0.0.1:6379/0: on a replica; connecting again",
                      "mark_disconnected", "close_context #1"}));
    EXPECT_EQ(h.on(ev::reconnect_asked{"again"}), script{});
    EXPECT_EQ(h.on(ev::context_gone{1}),
              (script{"cancel_timer connect_deadline", "start_timer backoff 100ms"}));
}

TEST(ConnectionFsm, StopClosesCancelsEverythingAndNothingStartsAgain) {
    harness h(with_sentinel());
    h.on(ev::start{});
    h.on(ev::master_named{master_a});
    h.on(ev::context_connected{1});
    h.on(ev::setup_replied{1, {}, {h.ok(), h.role("master")}});
    EXPECT_EQ(h.on(ev::stop{}),
              (script{"mark_disconnected", "cancel_timer connect_deadline", "cancel_timer backoff",
                      "cancel_resolve", "close_context #1"}));
    EXPECT_FALSE(h.fsm.connected());
    EXPECT_EQ(h.on(ev::context_gone{1}), (script{"cancel_timer connect_deadline"}))
        << "no line, no retry";
    EXPECT_EQ(h.on(ev::master_named{master_b}), script{});
    EXPECT_EQ(h.on(ev::start{}), script{});
    EXPECT_EQ(h.on(ev::reconnect_asked{"x"}), script{});
}

TEST(ConnectionFsm, StopDuringTheBackoffEndsIt) {
    harness h(direct());
    h.on(ev::start{});
    h.on(ev::context_refused{1, "Connection refused"});
    const auto token = h.running.at(connection_timer::backoff);
    EXPECT_EQ(h.on(ev::stop{}), (script{"cancel_timer connect_deadline", "cancel_timer backoff"}));
    EXPECT_EQ(h.on(ev::timer_fired{connection_timer::backoff, token}), script{});
}

TEST(ReconnectBackoff, DoublesFromTheMinimumUpToTheMaximumAndResets) {
    reconnect_backoff b(100ms, 350ms);
    EXPECT_EQ(b.next(), 100ms);
    EXPECT_EQ(b.next(), 200ms);
    EXPECT_EQ(b.next(), 350ms);
    EXPECT_EQ(b.next(), 350ms);
    b.reset();
    EXPECT_EQ(b.next(), 100ms);
}

}  // namespace
}  // namespace optgate::testing
