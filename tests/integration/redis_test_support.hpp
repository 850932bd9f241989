// What the Redis integration tests share: an io_context on its own thread, a redis-server per
// suite, a key prefix per test, and synchronous wrappers with deadlines over the async calls.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/redis/consent_codec.hpp"
#include "adapters/redis/consent_keys.hpp"
#include "adapters/redis/consent_store.hpp"
#include "adapters/redis/redis_connection.hpp"
#include "adapters/redis/redis_error.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/redis_server.hpp"

namespace optgate::testing {

using namespace std::chrono_literals;

// How long a test waits for a handler that must come; past it, the test fails, never hangs.
inline constexpr auto handler_deadline = std::chrono::milliseconds(10000);

// Waits for `future` until `deadline`; a missing result fails the test and gives nullopt.
template <class T>
std::optional<T> wait_for_result(std::future<T>& future,
                                 std::chrono::milliseconds deadline = handler_deadline) {
    if (future.wait_for(deadline) != std::future_status::ready) {
        ADD_FAILURE() << "handler not called within " << deadline.count() << " ms";
        return std::nullopt;
    }
    return future.get();
}
inline bool wait_for_result(std::future<void>& future,
                            std::chrono::milliseconds deadline = handler_deadline) {
    if (future.wait_for(deadline) != std::future_status::ready) {
        ADD_FAILURE() << "handler not called within " << deadline.count() << " ms";
        return false;
    }
    return true;
}

// One io_context run by one thread. join() lets run() return once every handler has run: a
// component that leaves work behind after stop() fails the test instead of hanging it.
class io_thread {
  public:
    io_thread() : guard_(boost::asio::make_work_guard(io_)) {
        thread_ = std::thread([this] {
            io_.run();
            finished_.set_value();
        });
    }
    ~io_thread() { join(); }
    io_thread(const io_thread&) = delete;
    io_thread& operator=(const io_thread&) = delete;

    boost::asio::any_io_executor executor() { return io_.get_executor(); }

    void join() {
        if (!thread_.joinable()) return;
        guard_.reset();
        auto finished = finished_.get_future();
        if (finished.wait_for(5s) != std::future_status::ready) {
            ADD_FAILURE() << "the io_context still had work 5 s after everything was stopped";
            io_.stop();
        }
        thread_.join();
    }

  private:
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    std::promise<void> finished_;
    std::thread thread_;
};

// The outcomes of the store's results, without the states before them.
inline std::vector<event_outcome> outcomes_of(const std::vector<event_result>& results) {
    std::vector<event_outcome> outcomes;
    for (const auto& r : results) outcomes.push_back(r.outcome);
    return outcomes;
}

// Reconnects fast, so that outage tests stay short.
inline redis_connection_options fast_reconnect() {
    redis_connection_options o;
    o.connect_timeout = 1000ms;
    o.backoff_min = 20ms;
    o.backoff_max = 200ms;
    return o;
}

inline std::shared_ptr<redis_connection> make_connection(
    boost::asio::any_io_executor executor, std::uint16_t port,
    redis_connection_options options = fast_reconnect()) {
    redis_endpoint endpoint;
    endpoint.port = port;
    auto c = redis_connection::create(std::move(executor), endpoint, options);
    c->start();
    return c;
}

inline bool wait_connected(const redis_connection& c, bool connected = true,
                           std::chrono::milliseconds timeout = handler_deadline) {
    return wait_until([&] { return c.connected() == connected; }, timeout);
}

struct batch_result {
    std::error_code ec;
    std::vector<redis_reply> replies;
};

inline std::future<batch_result> execute_async(redis_connection& c,
                                               std::vector<redis_connection::command> commands,
                                               std::chrono::milliseconds deadline = 5000ms) {
    auto promise = std::make_shared<std::promise<batch_result>>();
    auto future = promise->get_future();
    c.execute(std::move(commands), deadline,
              [promise](std::error_code ec, std::vector<redis_reply> replies) {
                  promise->set_value({ec, std::move(replies)});
              });
    return future;
}

inline batch_result execute_and_wait(redis_connection& c,
                                     std::vector<redis_connection::command> commands,
                                     std::chrono::milliseconds deadline = 5000ms) {
    auto future = execute_async(c, std::move(commands), deadline);
    auto result = wait_for_result(future, deadline + handler_deadline);
    return result ? std::move(*result)
                  : batch_result{std::make_error_code(std::errc::timed_out), {}};
}

// "optgate-test:<suite>.<test>:", so that tests sharing a server never see each other's keys.
inline std::string unique_key_prefix() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return std::string("optgate-test:") + info->test_suite_name() + "." + info->name() + ":";
}

// An SMS opt-out from Twilio, the shape the store sees most; tests change what they need.
inline consent_event sms_event(std::string address, std::string program, consent_state state,
                               epoch_ms at, std::string dedupe) {
    consent_event e;
    e.address = std::move(address);
    e.channel = channel::sms;
    e.program = std::move(program);
    e.state = state;
    e.event_time = at;
    e.received_time = at + 500;
    e.source = "twilio-sms";
    e.reference = "SM" + dedupe;
    e.dedupe_key = std::move(dedupe);
    e.keyword = state == consent_state::opted_out ? "STOP" : "START";
    e.match = "exact";
    return e;
}

// Every test of a derived suite shares one redis-server, started for the suite; each test
// has its own io_context thread and key prefix.
class redis_suite : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { shared_server_ = std::make_unique<redis_server>(); }
    static void TearDownTestSuite() { shared_server_.reset(); }
    static redis_server& server() { return *shared_server_; }

    // Keys of this test, for assertions with server().command().
    long long list_length(const std::string& key) const {
        return server().command({"LLEN", key}).integer;
    }

    inline static std::unique_ptr<redis_server> shared_server_;
    io_thread io_;
    const std::string prefix_ = unique_key_prefix();
    const consent_keys keys_{prefix_};
};

// A consent_store on one connection (reads and writes), with synchronous wrappers.
class store_suite : public redis_suite {
  protected:
    void SetUp() override {
        connection_ = make_connection(io_.executor(), server().port());
        ASSERT_TRUE(wait_connected(*connection_)) << "no connection to the test redis";
        store_ = std::make_unique<consent_store>(connection_, connection_, prefix_);
    }
    void TearDown() override {
        if (connection_) connection_->stop();
        io_.join();
    }

    struct apply_result {
        std::error_code ec;
        std::vector<event_result> results;
        std::vector<event_outcome> outcomes() const { return outcomes_of(results); }
    };
    // The first `replays` events as replays of the journal (delivery::replay).
    apply_result apply(std::vector<consent_event> events, std::size_t replays = 0) {
        auto promise = std::make_shared<std::promise<apply_result>>();
        auto future = promise->get_future();
        store_->apply(std::move(events), replays,
                      [promise](std::error_code ec, std::vector<event_result> results) {
                          promise->set_value({ec, std::move(results)});
                      });
        auto r = wait_for_result(future);
        return r ? std::move(*r) : apply_result{std::make_error_code(std::errc::timed_out), {}};
    }
    // The outcome of one event, or nullopt (with the test failed) on an error.
    std::optional<event_outcome> apply_one(const consent_event& e, delivery how = delivery::live) {
        auto r = apply({e}, how == delivery::replay ? 1 : 0);
        EXPECT_FALSE(r.ec) << r.ec.message();
        if (r.ec || r.results.size() != 1) {
            ADD_FAILURE() << "expected one outcome, got " << r.results.size();
            return std::nullopt;
        }
        return r.results[0].outcome;
    }

    // The record as stored, read straight from Redis (not through the store).
    std::optional<consent_record> stored_record(const std::string& address, channel c,
                                                const std::string& program) const {
        const auto reply = server().command(
            {"HGET", keys_.records(address), consent_keys::record_field(c, program)});
        if (reply.is_nil()) return std::nullopt;
        auto record = parse_record_json(reply.str);
        EXPECT_TRUE(record) << "unreadable record: " << reply.str;
        return record;
    }
    // The address's audit list, oldest first, parsed.
    std::vector<audit_entry> stored_audit(const std::string& address) const {
        std::vector<audit_entry> out;
        for (const auto& item :
             server().command({"LRANGE", keys_.audit(address), "0", "-1"}).elements) {
            auto e = parse_audit_json(item.str);
            EXPECT_TRUE(e) << "unreadable audit entry: " << item.str;
            if (e) out.push_back(std::move(*e));
        }
        return out;
    }

    std::shared_ptr<redis_connection> connection_;
    std::unique_ptr<consent_store> store_;
};

}  // namespace optgate::testing
