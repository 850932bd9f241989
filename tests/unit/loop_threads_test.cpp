// The event loop's threads as systemd's watchdog sees them: idle or busy threads keep coming
// back from the loop; one stuck inside a handler shows as stuck while the others go on.
#include "daemon/loop_threads.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

namespace optgate {
namespace {

using namespace std::chrono_literals;

// Two loop threads on an io_context that has work, polling every 20 ms; stopped and joined
// however the test ends.
struct running_loop {
    boost::asio::io_context ioc;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{
        ioc.get_executor()};
    loop_threads threads{2};
    std::thread a{[this] { threads.run(ioc, 0, 20ms); }};
    std::thread b{[this] { threads.run(ioc, 1, 20ms); }};
    ~running_loop() {
        work.reset();
        ioc.stop();
        a.join();
        b.join();
    }
};

// Polls `done` until it holds or `limit` passes: the threads' own pace, not a fixed sleep.
template <class Condition>
bool within(std::chrono::milliseconds limit, Condition done) {
    const auto end = loop_threads::clock::now() + limit;
    while (!done()) {
        if (loop_threads::clock::now() > end) return false;
        std::this_thread::yield();
    }
    return true;
}

// Every measure is taken at one fixed moment ahead, so that only the threads' returns move it.
const auto measured_at = loop_threads::clock::now() + 1h;

TEST(LoopThreads, IdleThreadsKeepComingBack) {
    running_loop loop;
    const auto first = loop.threads.longest_stuck(measured_at);
    // Both threads come back every 20 ms while idle: the oldest return moves on.
    EXPECT_TRUE(
        within(10s, [&] { return loop.threads.longest_stuck(measured_at) < first - 60ms; }));
}

TEST(LoopThreads, AThreadStuckInAHandlerShowsWhileTheOtherServes) {
    running_loop loop;
    std::promise<void> entered, release;
    auto released = release.get_future().share();
    boost::asio::post(loop.ioc, [&] {
        entered.set_value();
        released.wait();  // a hung handler
    });
    ASSERT_EQ(entered.get_future().wait_for(10s), std::future_status::ready);
    // The other thread serves handler after handler, coming back after each; the stuck one
    // does not come back, so the oldest return is the stuck thread's and stays where it is.
    const auto serve = [&] {
        std::promise<void> served;
        boost::asio::post(loop.ioc, [&] { served.set_value(); });
        return served.get_future().wait_for(10s) == std::future_status::ready;
    };
    ASSERT_TRUE(serve());
    const auto stuck = loop.threads.longest_stuck(measured_at);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(serve());
    EXPECT_EQ(loop.threads.longest_stuck(measured_at), stuck);
    // Released, it comes back.
    release.set_value();
    EXPECT_TRUE(
        within(10s, [&] { return loop.threads.longest_stuck(measured_at) < stuck - 20ms; }));
}

}  // namespace
}  // namespace optgate
