// Nothing acknowledged is lost when the daemon dies (SPEC rules 3 and 5): the daemon is
// killed with SIGKILL again and again while a load of STOPs runs and retries as Twilio does;
// at the end every STOP it answered 2xx is opted out and audited exactly once.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <random>
#include <thread>

#include "tests/fault/fault_fixture.hpp"
#include "tests/support/stop_load.hpp"

namespace optgate::testing {
namespace {

class DaemonCrash : public fault_test {};

TEST_F(DaemonCrash, KillNineCyclesUnderLoad) {
    constexpr int cycles = 20;
    daemon_process daemon(config());
    ASSERT_TRUE(daemon.wait_until_ready()) << daemon.log_text();
    std::atomic<std::uint16_t> port{daemon.port()};
    stop_load load([&] { return port.load(); });

    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> kill_delay_ms(100, 400);
    std::size_t acknowledged_between_kills = 0;  // cycles in which some STOP was acknowledged
    for (int cycle = 0; cycle < cycles; ++cycle) {
        const auto before = load.counts().acknowledged;
        std::this_thread::sleep_for(std::chrono::milliseconds(kill_delay_ms(random)));
        if (load.counts().acknowledged > before) ++acknowledged_between_kills;
        port = 0;        // no attempt may reach whatever binds the dead daemon's port next
        daemon.kill9();  // mid-request, mid-fdatasync, mid-apply: wherever it is
        daemon.start();  // the same journal and Redis; a new port
        port = daemon.port();
    }
    // Let the last daemon take what the clients are still retrying, then end the load.
    const auto at_last_start = load.counts().acknowledged;
    EXPECT_TRUE(wait_until([&] { return load.counts().acknowledged > at_last_start + 20; },
                           std::chrono::seconds(10)))
        << daemon.log_text();
    const auto counts = finish_load(load, daemon);
    ASSERT_TRUE(counts);
    const auto verdict = verify_acknowledged(daemon, redis_, key_prefix(), load.acknowledged());
    std::cout << "[fault] kill -9 cycles: " << cycles
              << ", STOPs acknowledged: " << counts->acknowledged << " (" << counts->after_retry
              << " on a retry), given up: " << counts->given_up
              << ", attempts refused: " << counts->refused
              << ", attempts without response: " << counts->failed
              << "; opted out: " << verdict.opted_out << ", audited once: " << verdict.audited_once
              << "\n";
    EXPECT_GE(acknowledged_between_kills, std::size_t(cycles / 2))
        << "the daemon barely acknowledged anything between kills";
}

}  // namespace
}  // namespace optgate::testing
