// The change feed's webhook through a Redis Sentinel failover and a receiver that fails:
// under a load of STOPs the replica is promoted while the receiver answers 500, and in the
// end the receiver has every acknowledged STOP at least once (replication is asynchronous:
// the new master may hold an older cursor, or lack the newest changes until the journal is
// applied again; either way delivery goes on from what Redis holds, never skipping).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <iostream>
#include <set>
#include <string>

#include "tests/fault/fault_fixture.hpp"
#include "tests/support/https_receiver.hpp"
#include "tests/support/temp_dir.hpp"

namespace optgate::testing {
namespace {

using std::chrono::seconds;

class WebhookFailover : public fault_test {};

TEST_F(WebhookFailover, EveryAcknowledgedStopReachesTheReceiverAcrossAFailover) {
    sentinel_cluster cluster;
    const test_tls_authority authority;
    const temp_dir dir("webhook-failover");
    https_receiver receiver(authority, test_webhook_secret);
    const auto ca = authority.write_ca(dir.path() / "ca.pem").string();
    daemon_process daemon(
        sentinel_config(cluster, key_prefix(), test_webhook_yaml(receiver.port(), ca, 100)));
    ASSERT_TRUE(daemon.wait_until_ready(seconds(20))) << daemon.log_text();
    stop_load_options options;
    options.max_stops = 600;
    options.pause = std::chrono::milliseconds(5);
    std::atomic<std::uint16_t> port{daemon.port()};
    stop_load load([&] { return port.load(); }, options);
    ASSERT_TRUE(wait_until([&] { return receiver.taken_changes().size() >= 50; }, seconds(20)))
        << daemon.log_text();

    receiver.behave(https_receiver::behaviour::fail);
    const auto new_master = cluster.failover();
    EXPECT_NE(new_master, 0);
    std::this_thread::sleep_for(seconds(2));
    receiver.behave(https_receiver::behaviour::take);
    const auto counts = finish_load(load, daemon);
    ASSERT_TRUE(counts);

    const auto acknowledged = load.acknowledged();
    std::set<std::string> missing(acknowledged.begin(), acknowledged.end());
    const bool all = wait_until(
        [&] {
            for (const auto& change : receiver.taken_changes())
                if (text_of(change, "to") == "opted_out") missing.erase(text_of(change, "address"));
            return missing.empty();
        },
        seconds(60));
    EXPECT_TRUE(all) << missing.size() << " acknowledged STOPs never delivered\n"
                     << daemon.log_text();
    std::size_t posts = 0, taken = 0, gaps = 0;
    for (const auto& d : receiver.deliveries()) {
        ++posts;
        EXPECT_TRUE(d.signature_ok);
        if (d.answered == 200) taken += d.changes.size();
        if (d.gap) ++gaps;
    }
    std::cout << "[fault] webhook across a failover: STOPs acknowledged " << acknowledged.size()
              << ", POSTs " << posts << ", changes taken " << taken << " (duplicates "
              << taken - acknowledged.size() << "), batches saying gap " << gaps << "\n";
}

}  // namespace
}  // namespace optgate::testing
