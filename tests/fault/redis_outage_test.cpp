// Redis goes away under a load of STOPs (SPEC rules 5 and 6): stopped for 10 s, the daemon
// still acknowledges STOPs from its journal, says it is degraded and answers checks 503 with
// Retry-After, never an allow; restarted empty, the daemon notices and applies its journal
// again before it answers a check. Either way every acknowledged STOP ends up opted out and
// audited exactly once.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <thread>

#include "tests/fault/fault_fixture.hpp"
#include "tests/support/stop_load.hpp"

namespace optgate::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

class RedisOutage : public fault_test {};

TEST_F(RedisOutage, RedisStoppedTenSecondsUnderLoad) {
    constexpr auto outage = seconds(10);
    daemon_process daemon(config());
    ASSERT_TRUE(daemon.wait_until_ready()) << daemon.log_text();
    std::atomic<std::uint16_t> port{daemon.port()};
    stop_load load([&] { return port.load(); });
    ASSERT_TRUE(wait_until([&] { return load.counts().acknowledged >= 20; }, seconds(10)))
        << daemon.log_text();

    const auto outage_start = steady_clock::now();
    redis_.stop();
    ASSERT_TRUE(wait_until([&] { return readiness_of(daemon).status == 503; }, seconds(10)))
        << "the daemon did not notice that Redis stopped\n"
        << daemon.log_text();
    const auto acknowledged_at_outage = load.counts().acknowledged;
    int probes = 0;
    int allowed_during_outage = 0;
    while (steady_clock::now() < outage_start + outage) {
        const auto ready = readiness_of(daemon);
        EXPECT_EQ(ready.status, 503);
        EXPECT_EQ(value_of(ready.body, "ready"), json::value(false));
        EXPECT_EQ(value_of(ready.body, "redis"), json::value("unavailable"));
        EXPECT_EQ(value_of(ready.body, "journal"), json::value("ok"));
        // The latest acknowledged STOP is in the journal only: the check must not guess.
        const auto acknowledged = load.acknowledged();
        const auto check = post_check(daemon, "sms", "district", {acknowledged.back()});
        if (check.status == 200) ++allowed_during_outage;
        EXPECT_TRUE(is_error(check, 503, "unavailable"));
        EXPECT_FALSE(header_of(check, "retry-after").empty()) << "503 without Retry-After";
        ++probes;
        std::this_thread::sleep_for(milliseconds(250));  // part of the injected outage
    }
    const auto acknowledged_during_outage = load.counts().acknowledged - acknowledged_at_outage;
    // Journaled and fdatasync'd: STOPs are acknowledged although Redis cannot take them.
    EXPECT_GE(acknowledged_during_outage, 20u) << daemon.log_text();

    const auto redis_port = redis_.port();
    redis_.start();
    ASSERT_EQ(redis_.port(), redis_port) << "the test Redis came back on another port";
    const auto at_return = load.counts().acknowledged;
    EXPECT_TRUE(
        wait_until([&] { return load.counts().acknowledged > at_return + 20; }, seconds(10)));
    const auto counts = finish_load(load, daemon);
    ASSERT_TRUE(counts);
    const auto verdict = verify_acknowledged(daemon, redis_, key_prefix(), load.acknowledged());
    std::cout << "[fault] Redis stopped " << outage.count()
              << " s: STOPs acknowledged: " << counts->acknowledged << " ("
              << acknowledged_during_outage << " during the outage), refused: " << counts->refused
              << ", without response: " << counts->failed
              << "; checks during the outage: " << probes << " (allowed: " << allowed_during_outage
              << "); opted out: " << verdict.opted_out << ", audited once: " << verdict.audited_once
              << "\n";
}

TEST_F(RedisOutage, RedisRestartedEmpty) {
    daemon_process daemon(config());
    ASSERT_TRUE(daemon.wait_until_ready()) << daemon.log_text();
    std::atomic<std::uint16_t> port{daemon.port()};
    stop_load load([&] { return port.load(); });
    ASSERT_TRUE(wait_until([&] { return load.counts().acknowledged >= 200; }, seconds(20)))
        << daemon.log_text();
    ASSERT_TRUE(wait_until([&] { return opted_out_of(daemon, load.acknowledged()).has_value(); },
                           seconds(10)));

    // Everything acknowledged so far is in Redis, and then Redis loses it all.
    const auto before_loss = load.acknowledged();
    const std::string canary = key_prefix() + "canary";  // a key the daemon never writes
    redis_.command({"SET", canary, "1"});
    redis_.start_empty();
    ASSERT_EQ(redis_.command({"EXISTS", canary}).integer, 0) << "Redis kept its data";

    // Until the journal is applied again a check either fails closed (503) or tells the
    // truth: never "allowed" for a family that said STOP.
    int checks = 0, refused = 0, wrong = 0;
    std::size_t not_opted_out = 0;
    const auto loss = steady_clock::now();
    const bool restored = wait_until(
        [&] {
            ++checks;
            const auto opted_out = opted_out_of(daemon, before_loss);
            if (!opted_out) return ++refused, false;
            not_opted_out =
                static_cast<std::size_t>(std::count(opted_out->begin(), opted_out->end(), false));
            if (not_opted_out == 0) return true;
            ++wrong;
            return false;
        },
        seconds(30));
    const auto restore_ms =
        std::chrono::duration_cast<milliseconds>(steady_clock::now() - loss).count();
    EXPECT_TRUE(restored) << not_opted_out << " of " << before_loss.size()
                          << " acknowledged STOPs are still not opted out after 30 s\n"
                          << daemon.log_text();
    EXPECT_EQ(wrong, 0) << wrong << " of " << checks
                        << " checks after Redis lost its data answered 200 with acknowledged STOPs"
                           " not opted out (fail open)";

    const auto counts = finish_load(load, daemon);
    ASSERT_TRUE(counts);
    const auto verdict = verify_acknowledged(daemon, redis_, key_prefix(), load.acknowledged());
    std::cout << "[fault] Redis restarted empty: STOPs acknowledged: " << counts->acknowledged
              << " (" << before_loss.size() << " before the loss), refused: " << counts->refused
              << ", without response: " << counts->failed << "; restored in " << restore_ms
              << " ms; checks meanwhile: " << checks << " (503: " << refused
              << ", fail open: " << wrong << "); opted out: " << verdict.opted_out
              << ", audited once: " << verdict.audited_once << "\n";
}

}  // namespace
}  // namespace optgate::testing
