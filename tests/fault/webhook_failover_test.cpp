// The change feed's webhook through a Redis Sentinel failover and a receiver that fails:
// under a load of STOPs the replica is promoted while the receiver answers 500 and some
// families say STOP, START, STOP; in the end the receiver has every acknowledged STOP at
// least once, and each of those families' changes in the order they happened (replication is
// asynchronous: the new master may hold an older cursor, or lack the newest changes until the
// journal is applied again; either way delivery goes on from what Redis holds, never skipping).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/fault/fault_fixture.hpp"
#include "tests/support/https_receiver.hpp"
#include "tests/support/sms_webhook.hpp"
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
    auto failover = std::async(std::launch::async, [&] { return cluster.failover(); });
    // During the failover some families change their minds: STOP, START, STOP. Each step is
    // sent until it is acknowledged (a check of the sequence, not of the load).
    const std::vector<std::string> families{"+16515550171", "+16515550172", "+16515550173"};
    unsigned sid = 0;
    for (const auto& family : families)
        for (const char* word : {"STOP", "START", "STOP"}) {
            const auto message = "SMfailover" + std::to_string(++sid);
            ASSERT_TRUE(wait_until(
                [&] {
                    return send_sms(daemon, family, district_code, word, message).status == 200;
                },
                seconds(30)))
                << family << " " << word;
        }
    const auto new_master = failover.get();
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
    // Each family's changes, first arrival of each id, in the order they happened.
    ASSERT_TRUE(wait_until(
        [&] {
            std::set<std::string> ids;
            std::map<std::string, std::vector<std::string>> states;
            for (const auto& change : receiver.taken_changes())
                if (ids.insert(text_of(change, "id")).second)
                    states[text_of(change, "address")].push_back(text_of(change, "to"));
            for (const auto& family : families)
                if (states[family] !=
                    std::vector<std::string>{"opted_out", "opted_in", "opted_out"})
                    return false;
            return true;
        },
        seconds(30)))
        << "a family's STOP, START, STOP did not arrive whole and in order";
    std::size_t posts = 0, taken = 0, gaps = 0;
    std::set<std::string> distinct;
    for (const auto& d : receiver.deliveries()) {
        ++posts;
        EXPECT_TRUE(d.signature_ok);
        if (d.answered == 200) taken += d.changes.size();
        if (d.answered == 200)
            for (const auto& change : d.changes) distinct.insert(text_of(change, "id"));
        if (d.gap) ++gaps;
    }
    std::cout << "[fault] webhook across a failover: STOPs acknowledged " << acknowledged.size()
              << ", POSTs " << posts << ", changes taken " << taken << " (duplicates "
              << taken - distinct.size() << "), batches saying gap " << gaps << "\n";
}

}  // namespace
}  // namespace optgate::testing
