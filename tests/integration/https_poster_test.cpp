// The webhook poster with real parts: TLS over loopback to the tests' receiver (or to a port
// that never answers the handshake), on an io_context of two threads. A POST is answered
// with the receiver's status; a stop ends every POST in flight at once, whatever step it is
// in, calls each handler once, and leaves the io_context no work (the daemon can exit).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "adapters/webhooks/https_poster.hpp"
#include "core/webhook_signature.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/https_receiver.hpp"
#include "tests/support/temp_dir.hpp"

namespace optgate::testing {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

class HttpsPoster : public ::testing::Test {
  protected:
    test_tls_authority authority_;
    temp_dir dir_{"https-poster"};
    https_receiver receiver_{authority_, test_webhook_secret};
    asio::io_context io_;
    std::optional<https_poster> poster_;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{
        asio::make_work_guard(io_)};
    std::vector<std::thread> threads_;

    // What the handler of one POST was called with, and how often.
    struct outcome {
        std::mutex mutex;
        std::atomic<int> calls{0};
        https_result result;
    };

    void SetUp() override {
        poster_.emplace(io_.get_executor(), authority_.write_ca(dir_.path() / "ca.pem").string());
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
    }
    void TearDown() override {
        work_.reset();
        io_.stop();
        for (auto& t : threads_) t.join();
    }

    std::shared_ptr<outcome> post_to(std::uint16_t port, std::chrono::milliseconds timeout) {
        https_request request;
        request.host = "127.0.0.1";
        request.port = std::to_string(port);
        request.target = "/optgate/changes";
        request.body = R"({"webhook":"sis","gap":false,"changes":[]})";
        request.timeout = timeout;
        // Signed as a delivery signs it: the receiver refuses anything else with a 500.
        const auto timestamp =
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count());
        request.headers = {{std::string(webhook_timestamp_header), timestamp},
                           {std::string(webhook_signature_header),
                            webhook_signature(test_webhook_secret, timestamp, request.body)},
                           {std::string(webhook_name_header), "sis"}};
        auto out = std::make_shared<outcome>();
        poster_->post(std::move(request), [out](https_result result) {
            const std::lock_guard lock(out->mutex);
            out->result = std::move(result);
            ++out->calls;
        });
        return out;
    }

    // Once the work guard is gone, the io_context's threads end as soon as nothing is in
    // flight: true if they did within `limit`.
    bool threads_end_within(std::chrono::milliseconds limit) {
        work_.reset();
        auto ended = std::async(std::launch::async, [this] {
            for (auto& t : threads_) t.join();
        });
        const bool in_time = ended.wait_for(limit) == std::future_status::ready;
        if (!in_time) io_.stop();
        ended.wait();
        threads_.clear();
        return in_time;
    }
};

TEST_F(HttpsPoster, APostIsAnsweredWithTheReceiversStatus) {
    const auto out = post_to(receiver_.port(), 5s);
    ASSERT_TRUE(wait_until([&] { return out->calls == 1; }, 10s));
    EXPECT_EQ(out->result.status, 200) << out->result.error;
    EXPECT_EQ(receiver_.posts(), 1u);
}

// The receiver read the POST and holds its answer for a minute, within the POST's timeout.
TEST_F(HttpsPoster, AStopEndsAPostWhoseAnswerIsHeld) {
    receiver_.behave(https_receiver::behaviour::slow, 60s);
    const auto out = post_to(receiver_.port(), 50s);
    ASSERT_TRUE(wait_until([&] { return receiver_.posts() == 1; }, 10s));
    poster_->stop();
    ASSERT_TRUE(threads_end_within(3s));
    EXPECT_EQ(out->calls, 1);
    EXPECT_EQ(out->result.status, 0);
    EXPECT_EQ(out->result.error, https_poster::stopped_error);
    // The receiver saw the connection closed, and answered nothing.
    ASSERT_TRUE(wait_until([&] { return receiver_.deliveries().size() == 1; }, 5s));
    EXPECT_EQ(receiver_.deliveries().front().answered, 0);
}

// A port whose listener never accepts: the kernel completes the connection, and the TLS
// handshake waits for a server that never speaks.
TEST_F(HttpsPoster, AStopEndsAPostWaitingForTheHandshake) {
    asio::io_context silent_io;
    asio::ip::tcp::acceptor silent(silent_io, {asio::ip::make_address("127.0.0.1"), 0});
    const auto out = post_to(silent.local_endpoint().port(), 50s);
    std::this_thread::sleep_for(300ms);  // connected, the ClientHello sent
    EXPECT_EQ(out->calls, 0);
    poster_->stop();
    ASSERT_TRUE(threads_end_within(3s));
    EXPECT_EQ(out->calls, 1);
    EXPECT_EQ(out->result.error, https_poster::stopped_error);
}

TEST_F(HttpsPoster, APostAfterTheStopSendsNothing) {
    poster_->stop();
    const auto out = post_to(receiver_.port(), 5s);
    ASSERT_TRUE(threads_end_within(3s));
    EXPECT_EQ(out->calls, 1);
    EXPECT_EQ(out->result.error, https_poster::stopped_error);
    EXPECT_EQ(receiver_.posts(), 0u);
}

}  // namespace
}  // namespace optgate::testing
