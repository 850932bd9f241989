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

TEST(LoopThreads, IdleThreadsKeepComingBack) {
    running_loop loop;
    std::this_thread::sleep_for(1500ms);
    EXPECT_LT(loop.threads.longest_stuck(), 1s);  // polls every 20 ms; generous for a busy CI
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
    std::this_thread::sleep_for(1500ms);
    EXPECT_GE(loop.threads.longest_stuck(), 1500ms);
    std::promise<void> served;
    boost::asio::post(loop.ioc, [&] { served.set_value(); });  // the other thread still serves
    EXPECT_EQ(served.get_future().wait_for(10s), std::future_status::ready);
    release.set_value();
    std::this_thread::sleep_for(1500ms);
    EXPECT_LT(loop.threads.longest_stuck(), 1s);
}

}  // namespace
}  // namespace optgate
