// The built optgated as a process for end-to-end tests: its config written from a YAML
// text, its journal in a temporary directory, its port read from its "listening on" log.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_endpoint.hpp"
#include "tests/support/temp_dir.hpp"

namespace optgate::testing {

// The dev API key (plaintext "test-key", every role) and Twilio token the default config uses.
inline constexpr const char* test_api_key = "test-key";
inline constexpr const char* test_check_only_key = "check-only-key";
inline constexpr const char* test_twilio_token = "test-twilio-token";
inline constexpr const char* test_public_url = "https://optgate.test";

// The built optgated, for tests that run it with other arguments (--version, --check-config).
const char* optgated_path();

// A complete config for a Redis at `redis_url`, with `extra` YAML appended at the top level
// and `extra_providers` (lines indented by two spaces, e.g. "  mailgun: {...}\n") added to
// the providers section, next to Twilio.
std::string default_test_config(const std::string& redis_url, const std::string& key_prefix,
                                const std::string& extra = {},
                                const std::string& extra_providers = {});

// A wall clock `offset` away from the machine's (Debian's libfaketime, preloaded): an
// instance whose clock is wrong. Its steady clock, which its timers use, is left alone.
struct skewed_clock {
    std::chrono::seconds offset;
};

class daemon_process final : public http_endpoint {
  public:
    // Writes the config ({journal_dir} in it is replaced by the journal directory) and starts
    // the daemon on 127.0.0.1:0; waits until it listens.
    explicit daemon_process(std::string config_yaml);
    // The same, with the journal in `journal_dir` (e.g. a small filesystem that fills up),
    // which the test owns: it is neither created nor removed here.
    daemon_process(std::string config_yaml, std::filesystem::path journal_dir);
    // The same, the daemon's clock skewed (kept across restarts).
    daemon_process(std::string config_yaml, skewed_clock clock);
    ~daemon_process();

    std::uint16_t port() const { return port_; }
    // Listening is not ready: Redis connects after the socket is bound. Polls /readyz until
    // it answers 200 or `timeout` passes.
    bool wait_until_ready(std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
    http_result request(const http_call& call) const override { return http_request(port_, call); }
    // SIGTERM and wait (graceful), or SIGKILL (a crash); start() again keeps the journal.
    std::optional<int> stop();
    void kill9();
    void start();
    // Rewrites the config file and sends SIGHUP (the reload is asynchronous: poll for it).
    void reload(std::string config_yaml);
    std::string log_text() const { return process_ ? process_->log_text() : std::string(); }
    const std::filesystem::path& journal_dir() const { return journal_; }

  private:
    void write_config(std::string config_yaml) const;

    temp_dir dir_{"daemon"};
    std::filesystem::path journal_;
    std::uint16_t port_ = 0;
    std::vector<std::string> environment_;
    std::unique_ptr<child_process> process_;
};

}  // namespace optgate::testing
