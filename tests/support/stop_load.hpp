// A load of signed Twilio STOPs for fault tests: client threads that keep sending STOPs, each
// from its own number with its own MessageSid, to a daemon whose port may change (it is
// restarted), retrying a failed one with the same MessageSid as Twilio does; and the
// client-side log of every STOP and whether it was acknowledged.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace optgate::testing {

struct stop_load_options {
    unsigned threads = 4;
    std::size_t max_stops = 50000;                    // no STOP is started after this many
    std::chrono::milliseconds max_duration{120000};   // nor after this long
    std::chrono::milliseconds request_timeout{2000};  // of each attempt
    // Each client waits this long after a STOP is done before it starts the next: a load that
    // leaves the daemon (and the tests running beside it) some of a small machine's CPU.
    std::chrono::milliseconds pause{2};
    // A STOP is sent at most `attempts` times, always with its own MessageSid, waiting
    // `first_retry_delay` before the first retry and twice as long before each next one
    // (Twilio retries an inbound message for about 15 s).
    unsigned attempts = 5;
    std::chrono::milliseconds first_retry_delay{100};
    // From numbers are +16512000000 + first_number + i for the i-th STOP; the short code is
    // the district's.
    std::uint32_t first_number = 0;
};

// One STOP as the client saw it.
struct sent_stop {
    std::string from;
    std::string message_sid;
    std::vector<int> statuses;  // of each attempt so far; 0: no response
    bool acknowledged() const { return !statuses.empty() && statuses.back() / 100 == 2; }
};

// One attempt at a STOP, for assertions about what was answered during a time window.
struct stop_attempt {
    std::size_t stop;  // index into log()
    std::chrono::steady_clock::time_point sent;
    std::chrono::steady_clock::time_point answered;
    int status;  // 0: no response
};

struct stop_load_counts {
    std::size_t started = 0;       // STOPs
    std::size_t acknowledged = 0;  // STOPs answered 2xx, at once or on a retry
    std::size_t after_retry = 0;   // STOPs acknowledged on a retry
    std::size_t given_up = 0;      // STOPs done without a 2xx (attempts spent, or stopped)
    std::size_t refused = 0;       // attempts answered, but not 2xx
    std::size_t failed = 0;        // attempts without a response
};

// Threads: the constructor starts the client threads, which call `port` for each attempt (a
// port of 0 means no daemon: the attempt fails at once). Every public method may be called
// from any thread.
class stop_load {
  public:
    explicit stop_load(std::function<std::uint16_t()> port, stop_load_options options = {});
    ~stop_load();  // stop() and join()
    stop_load(const stop_load&) = delete;
    stop_load& operator=(const stop_load&) = delete;

    // No new STOP and no further retry; the attempts under way finish.
    void stop();
    // Waits for the client threads, which end by themselves after max_stops or max_duration.
    void join();

    stop_load_counts counts() const;
    std::vector<sent_stop> log() const;
    std::vector<stop_attempt> attempts() const;
    // The From numbers of the acknowledged STOPs, in the order they were started.
    std::vector<std::string> acknowledged() const;

  private:
    void run_client();
    // False once stop() was called before `delay` passed.
    bool wait_unless_stopped(std::chrono::milliseconds delay);

    const std::function<std::uint16_t()> port_;
    const stop_load_options options_;
    const std::uint32_t sid_tag_;  // keeps MessageSids distinct across loads
    const std::chrono::steady_clock::time_point deadline_;

    mutable std::mutex mutex_;  // guards everything below but the threads
    std::condition_variable stopped_;
    bool stopping_ = false;
    std::vector<sent_stop> log_;
    std::vector<stop_attempt> attempts_;
    stop_load_counts counts_;

    std::vector<std::thread> threads_;  // last: started once everything above is initialised
};

}  // namespace optgate::testing
