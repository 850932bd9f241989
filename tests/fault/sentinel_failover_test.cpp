// A Sentinel failover under a load of STOPs (SPEC rules 5 and 6): one master, one replica and
// three sentinels on loopback; the replica is promoted while STOPs keep coming. Replication
// is asynchronous, so the new master may lack what the old one acknowledged: the daemon must
// follow the new master, hold checks until it has re-applied what may be missing, and in the
// end every acknowledged STOP is opted out and audited exactly once on the new master.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <iostream>
#include <stdexcept>
#include <string>

#include "tests/fault/fault_fixture.hpp"
#include "tests/support/sentinel_cluster.hpp"
#include "tests/support/stop_load.hpp"

namespace optgate::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

// Whether the Redis on `port` is a replica whose link to its master is up.
bool is_synced_replica(std::uint16_t port) {
    try {
        const auto role = sentinel_cluster::command(port, {"ROLE"});
        return role.elements.size() >= 4 && role.elements[0].str == "slave" &&
               role.elements[3].str == "connected";
    } catch (const std::exception&) {
        return false;
    }
}

class SentinelFailover : public fault_test {};

TEST_F(SentinelFailover, FailoverUnderLoad) {
    sentinel_cluster cluster;
    daemon_process daemon(sentinel_config(cluster, key_prefix()));
    ASSERT_TRUE(daemon.wait_until_ready(seconds(20))) << daemon.log_text();
    std::atomic<std::uint16_t> port{daemon.port()};
    stop_load load([&] { return port.load(); });
    ASSERT_TRUE(wait_until([&] { return load.counts().acknowledged >= 200; }, seconds(20)))
        << daemon.log_text();

    const auto old_master = cluster.master_port();
    const auto acknowledged_before = load.counts().acknowledged;
    const auto failover_start = steady_clock::now();
    auto failover = std::async(std::launch::async, [&] { return cluster.failover(); });
    // Sentinel promotes the replica at once but demotes the old master only seconds later:
    // meanwhile both are masters and the daemon may still write to the old one, whose writes
    // are then dropped when it resyncs from the new one. Until that is over, a check either
    // fails closed (503) or tells the truth about every STOP acknowledged before it was sent:
    // never "allowed" for a family that said STOP.
    int checks = 0, refused = 0, fail_open = 0;
    std::size_t last_missing = 0;
    long long converged_ms = -1;
    const bool settled = wait_until(
        [&] {
            const bool failed_over = failover.wait_for(seconds(0)) == std::future_status::ready;
            const auto acknowledged = load.acknowledged();
            const auto opted_out = opted_out_of(daemon, acknowledged);
            ++checks;
            if (!opted_out) return ++refused, false;
            last_missing =
                static_cast<std::size_t>(std::count(opted_out->begin(), opted_out->end(), false));
            if (last_missing != 0) return ++fail_open, false;
            if (!failed_over || (converged_ms < 0 && !is_synced_replica(old_master))) return false;
            if (converged_ms < 0)
                converged_ms =
                    std::chrono::duration_cast<milliseconds>(steady_clock::now() - failover_start)
                        .count();
            return readiness_of(daemon).status == 200;
        },
        seconds(60));
    const auto new_master = failover.get();  // throws if the sentinels did not fail over
    EXPECT_NE(new_master, old_master);
    EXPECT_TRUE(settled) << "60 s after the failover: old master a synced replica: "
                         << (converged_ms >= 0) << "; the last check left " << last_missing
                         << " acknowledged STOPs not opted out\n"
                         << daemon.log_text();
    EXPECT_EQ(fail_open, 0) << fail_open << " of " << checks
                            << " checks during the failover answered 200 with acknowledged"
                               " STOPs not opted out";

    // The daemon keeps acknowledging on the new master; then the load ends.
    const auto after_failover = load.counts().acknowledged;
    EXPECT_TRUE(
        wait_until([&] { return load.counts().acknowledged > after_failover + 50; }, seconds(10)));
    const auto counts = finish_load(load, daemon);
    ASSERT_TRUE(counts);
    ASSERT_EQ(cluster.master_port(), new_master);
    const auto verdict = verify_acknowledged(daemon, new_master, key_prefix(), load.acknowledged());
    std::cout << "[fault] Sentinel failover (old master a replica after " << converged_ms
              << " ms): STOPs acknowledged: " << counts->acknowledged << " (" << acknowledged_before
              << " before the failover), "
              << "refused: " << counts->refused << ", without response: " << counts->failed
              << "; checks meanwhile: " << checks << " (503: " << refused
              << ", fail open: " << fail_open << "); opted out: " << verdict.opted_out
              << ", audited once on the new master: " << verdict.audited_once << "\n";
}

}  // namespace
}  // namespace optgate::testing
