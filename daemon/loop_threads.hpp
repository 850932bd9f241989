// The threads that run the event loop, and how long each has been inside one handler: what
// systemd's watchdog needs to tell a hung thread from a busy or idle one. Each thread runs the
// loop one handler (or one idle poll) at a time and notes when it came back; a thread stuck
// in a handler stops noting, while the others go on serving (and pinging) without it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>

#include <boost/asio/io_context.hpp>

namespace optgate {

class loop_threads {
  public:
    using clock = std::chrono::steady_clock;

    explicit loop_threads(std::size_t count);

    // Runs `ioc` on the calling thread as thread `index` (< count) until it stops, coming back
    // at least every `poll` while idle.
    void run(boost::asio::io_context& ioc, std::size_t index, clock::duration poll);

    // The longest time any thread has gone without coming back from the loop.
    clock::duration longest_stuck(clock::time_point now = clock::now()) const;

  private:
    std::size_t count_;
    std::unique_ptr<std::atomic<clock::rep>[]> returned_;  // time_since_epoch().count()
};

}  // namespace optgate
