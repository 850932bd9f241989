// What the fault suites share: per test a Redis and a key prefix of their own, the daemon's
// readiness, and the verdict on a load of STOPs once the fault is over: every acknowledged
// STOP is opted out and audited exactly once (SPEC rules 3 and 5).
#pragma once

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/api_reply.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sentinel_cluster.hpp"
#include "tests/support/stop_load.hpp"

namespace optgate::testing {

class fault_test : public ::testing::Test {
  protected:
    // "fault:<suite>.<test>:".
    static std::string key_prefix();
    // default_test_config for this test's Redis and prefix.
    std::string config(const std::string& extra_yaml = {}) const;

    redis_server redis_;  // this test's own: fault tests stop it and empty it
};

struct readiness {
    int status = 0;
    json::object body;  // empty unless /readyz answered a JSON object
};
readiness readiness_of(const daemon_process& daemon);

// Waits until /readyz answers 200 with nothing journaled but not yet applied.
bool wait_until_caught_up(const daemon_process& daemon, std::chrono::milliseconds timeout);

// Ends the load and waits (30 s at most) until the daemon has applied all it acknowledged:
// the load's counts, or nullopt after a test failure that shows the daemon's state.
std::optional<stop_load_counts> finish_load(stop_load& load, const daemon_process& daemon);

// default_test_config with the Redis found through the cluster's sentinels (the URL's host
// and port are not used then: it names the master), and `extra_yaml` at the top level.
std::string sentinel_config(const sentinel_cluster& cluster, const std::string& key_prefix,
                            const std::string& extra_yaml = {});

// One /v1/check of every number on sms/district: for each, whether it is opted out; nullopt
// unless the check answered 200 with a result per number.
std::optional<std::vector<bool>> opted_out_of(const daemon_process& daemon,
                                              const std::vector<std::string>& numbers);

struct acknowledged_verdict {
    std::size_t acknowledged = 0;
    std::size_t opted_out = 0;     // by /v1/check
    std::size_t audited_once = 0;  // exactly one entry in the address's audit list in Redis
};

// Waits (up to `timeout`) until one check of every acknowledged number says opted out, then
// counts the audit entries of each in the Redis on `redis_port` (the master). What falls
// short is a test failure that names the first few numbers.
acknowledged_verdict verify_acknowledged(
    const daemon_process& daemon, std::uint16_t redis_port, const std::string& key_prefix,
    const std::vector<std::string>& acknowledged,
    std::chrono::milliseconds timeout = std::chrono::seconds(30));
inline acknowledged_verdict verify_acknowledged(
    const daemon_process& daemon, const redis_server& redis, const std::string& key_prefix,
    const std::vector<std::string>& acknowledged,
    std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    return verify_acknowledged(daemon, redis.port(), key_prefix, acknowledged, timeout);
}

}  // namespace optgate::testing
