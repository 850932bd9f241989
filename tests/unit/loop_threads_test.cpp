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

TEST(LoopThreads, IdleThreadsKeepComingBack) {
    boost::asio::io_context ioc;
    auto work = boost::asio::make_work_guard(ioc);
    loop_threads threads(2);
    std::thread a([&] { threads.run(ioc, 0, 20ms); });
    std::thread b([&] { threads.run(ioc, 1, 20ms); });
    std::this_thread::sleep_for(300ms);
    EXPECT_LT(threads.longest_stuck(), 200ms);
    work.reset();
    ioc.stop();
    a.join();
    b.join();
}

TEST(LoopThreads, AThreadStuckInAHandlerShowsWhileTheOtherServes) {
    boost::asio::io_context ioc;
    auto work = boost::asio::make_work_guard(ioc);
    loop_threads threads(2);
    std::thread a([&] { threads.run(ioc, 0, 20ms); });
    std::thread b([&] { threads.run(ioc, 1, 20ms); });
    std::promise<void> entered, release;
    auto released = release.get_future().share();
    boost::asio::post(ioc, [&] {
        entered.set_value();
        released.wait();  // a hung handler
    });
    ASSERT_EQ(entered.get_future().wait_for(10s), std::future_status::ready);
    std::this_thread::sleep_for(400ms);
    EXPECT_GE(threads.longest_stuck(), 300ms);
    std::promise<void> served;
    boost::asio::post(ioc, [&] { served.set_value(); });  // the other thread still serves
    EXPECT_EQ(served.get_future().wait_for(10s), std::future_status::ready);
    release.set_value();
    std::this_thread::sleep_for(200ms);
    EXPECT_LT(threads.longest_stuck(), 150ms);
    work.reset();
    ioc.stop();
    a.join();
    b.join();
}

}  // namespace
}  // namespace optgate
