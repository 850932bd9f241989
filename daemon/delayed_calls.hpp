// Functions run after a delay on the daemon's io_context (a long poll's next look, a
// webhook's next attempt), every one still waiting cancelled at once when the daemon stops:
// a webhook's backoff may wait minutes, and the event loop must not wait for it.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace optgate {

class delayed_calls {
  public:
    explicit delayed_calls(boost::asio::io_context& io) : io_(io) {}

    // Threads: any. After cancel_all(), does nothing.
    void after(std::chrono::milliseconds delay, std::function<void()> fn);
    // The functions still waiting are dropped without running.
    void cancel_all();

  private:
    boost::asio::io_context& io_;
    std::mutex mutex_;
    std::set<std::shared_ptr<boost::asio::steady_timer>> waiting_;
    bool cancelled_ = false;
};

}  // namespace optgate
