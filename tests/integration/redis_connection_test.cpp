// hiredis 0.14 on Asio against a real redis-server: pipelining and reply order, error
// replies, binary safety, nested replies, deadlines against a hung server, reconnection,
// concurrent callers and stop().
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <set>
#include <thread>

#include "tests/integration/redis_test_support.hpp"

namespace optgate::testing {
namespace {

using clock_type = std::chrono::steady_clock;

// A string literal with its embedded NULs, all but the terminating one.
template <std::size_t n>
std::string bytes(const char (&literal)[n]) {
    return std::string(literal, n - 1);
}

class redis_connection_test : public redis_suite {
  protected:
    void TearDown() override {
        for (auto& c : connections_) c->stop();
        io_.join();
    }
    std::shared_ptr<redis_connection> connect_to(std::uint16_t port) {
        connections_.push_back(make_connection(io_.executor(), port));
        return connections_.back();
    }
    std::shared_ptr<redis_connection> connected_to_shared_server() {
        auto c = connect_to(server().port());
        EXPECT_TRUE(wait_connected(*c)) << "no connection to " << c->describe();
        return c;
    }
    std::vector<std::shared_ptr<redis_connection>> connections_;
};

// A redis-server of the test's own, for tests that stop or pause it; resumed (then stopped)
// when the test body ends, even when an assertion failed while it was paused.
struct own_server {
    redis_server server;
    ~own_server() { server.resume(); }
};

TEST_F(redis_connection_test, PipelinedBatchGetsEveryReplyInCommandOrder) {
    auto c = connected_to_shared_server();
    constexpr int n = 300;
    std::vector<redis_connection::command> commands;
    for (int i = 0; i < n; ++i) {
        const auto key = prefix_ + "k" + std::to_string(i);
        commands.push_back({"SET", key, "v" + std::to_string(i)});
        commands.push_back({"GET", key});
        commands.push_back({"INCR", prefix_ + "counter"});
    }
    const auto r = execute_and_wait(*c, commands);
    ASSERT_FALSE(r.ec) << r.ec.message();
    ASSERT_EQ(r.replies.size(), std::size_t(3 * n));
    for (int i = 0; i < n; ++i) {
        const auto& set = r.replies[3 * i];
        const auto& get = r.replies[3 * i + 1];
        const auto& incr = r.replies[3 * i + 2];
        EXPECT_EQ(set.type, redis_reply::kind::status);
        EXPECT_EQ(set.str, "OK");
        EXPECT_EQ(get.type, redis_reply::kind::string);
        EXPECT_EQ(get.str, "v" + std::to_string(i));
        EXPECT_EQ(incr.type, redis_reply::kind::integer);
        EXPECT_EQ(incr.integer, i + 1);
    }
}

TEST_F(redis_connection_test, ServerErrorForOneCommandIsAnErrorReplyAndTheOthersSucceed) {
    auto c = connected_to_shared_server();
    const auto key = prefix_ + "text";
    const auto r =
        execute_and_wait(*c, {{"SET", key, "not a number"}, {"INCR", key}, {"GET"}, {"GET", key}});
    ASSERT_FALSE(r.ec) << "an error reply must not fail the batch: " << r.ec.message();
    ASSERT_EQ(r.replies.size(), 4u);
    EXPECT_EQ(r.replies[0].str, "OK");
    EXPECT_TRUE(r.replies[1].is_error());
    EXPECT_EQ(r.replies[1].str, "ERR value is not an integer or out of range");
    EXPECT_TRUE(r.replies[2].is_error());
    EXPECT_TRUE(r.replies[2].str.starts_with("ERR wrong number of arguments")) << r.replies[2].str;
    EXPECT_EQ(r.replies[3].type, redis_reply::kind::string);
    EXPECT_EQ(r.replies[3].str, "not a number");
}

TEST_F(redis_connection_test, NothingListeningGivesNotConnectedAtOnce) {
    auto c = connect_to(free_loopback_port());
    const auto started = clock_type::now();
    const auto r = execute_and_wait(*c, {{"PING"}}, 5000ms);
    EXPECT_EQ(r.ec, make_error_code(redis_error::not_connected)) << r.ec.message();
    EXPECT_TRUE(r.replies.empty());
    EXPECT_LT(clock_type::now() - started, 500ms) << "must not wait for the deadline";
    EXPECT_FALSE(c->connected());
}

TEST_F(redis_connection_test, ReconnectsAfterTheServerIsStoppedAndStartedAgain) {
    own_server own;
    auto c = connect_to(own.server.port());
    ASSERT_TRUE(wait_connected(*c));
    ASSERT_EQ(execute_and_wait(*c, {{"SET", prefix_ + "kept", "yes"}}).replies.at(0).str, "OK");

    own.server.stop();
    ASSERT_TRUE(wait_connected(*c, false)) << "connected() must turn false when Redis goes away";
    const auto down = execute_and_wait(*c, {{"GET", prefix_ + "kept"}});
    EXPECT_EQ(down.ec, make_error_code(redis_error::not_connected)) << down.ec.message();

    own.server.start();
    ASSERT_TRUE(wait_connected(*c)) << "connected() must turn true again by itself";
    const auto up = execute_and_wait(*c, {{"GET", prefix_ + "kept"}, {"PING"}});
    ASSERT_FALSE(up.ec) << up.ec.message();
    EXPECT_EQ(up.replies.at(0).str, "yes");  // appendonly: the data came back with the server
    EXPECT_EQ(up.replies.at(1).str, "PONG");
}

TEST_F(redis_connection_test, HungServerFailsTheBatchAtItsDeadlineAndTheConnectionRecovers) {
    own_server own;
    auto c = connect_to(own.server.port());
    ASSERT_TRUE(wait_connected(*c));
    ASSERT_GT(own.server.pid(), 0);

    own.server.pause();
    const auto started = clock_type::now();
    auto short_batch = execute_async(*c, {{"PING"}}, 300ms);
    auto long_batch = execute_async(*c, {{"SET", prefix_ + "late", "1"}}, 10000ms);
    const auto timed_out = wait_for_result(short_batch, 2000ms);
    const auto elapsed = clock_type::now() - started;
    ASSERT_TRUE(timed_out);
    EXPECT_EQ(timed_out->ec, make_error_code(redis_error::timeout)) << timed_out->ec.message();
    EXPECT_TRUE(timed_out->replies.empty());
    EXPECT_GE(elapsed, 300ms);
    EXPECT_LT(elapsed, 1000ms);
    // The timeout resets the connection: what else was in flight fails with it, at once.
    const auto lost = wait_for_result(long_batch, 1000ms);
    ASSERT_TRUE(lost);
    EXPECT_EQ(lost->ec, make_error_code(redis_error::connection_lost)) << lost->ec.message();
    // The reset is reported on the strand just after the failed batches' handlers; the
    // paused server cannot complete a new connection's set-up meanwhile.
    EXPECT_TRUE(wait_connected(*c, false, 1000ms));

    own.server.resume();
    ASSERT_TRUE(wait_connected(*c)) << "no reconnection after SIGCONT";
    const auto after = execute_and_wait(*c, {{"PING"}}, 1000ms);
    ASSERT_FALSE(after.ec) << after.ec.message();
    EXPECT_EQ(after.replies.at(0).str, "PONG");
}

TEST_F(redis_connection_test, BinaryArgumentsRoundTripUnchanged) {
    auto c = connected_to_shared_server();
    const std::string value = bytes("nul\0in the middle\r\n*1\r\n$4\r\nPING\r\n") +
                              "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80 \xFF\xFE" + bytes("\0");
    const std::string key = prefix_ + bytes("key\0with\r\nbreaks");
    ASSERT_EQ(value.find('\0'), 3u);
    ASSERT_EQ(value.back(), '\0');
    const auto r = execute_and_wait(*c, {{"SET", key, value}, {"GET", key}, {"STRLEN", key}});
    ASSERT_FALSE(r.ec) << r.ec.message();
    EXPECT_EQ(r.replies.at(0).str, "OK");
    EXPECT_EQ(r.replies.at(1).type, redis_reply::kind::string);
    EXPECT_EQ(r.replies.at(1).str, value);
    EXPECT_EQ(r.replies.at(2).integer, static_cast<long long>(value.size()));
}

TEST_F(redis_connection_test, NestedArrayReplyIsCopiedWhole) {
    auto c = connected_to_shared_server();
    const auto r = execute_and_wait(
        *c, {{"EVAL", "return {1, {2, {'a', 'b\\0c'}, {}}, 'x', false, {ok='fine'}}", "0"}});
    ASSERT_FALSE(r.ec) << r.ec.message();
    const auto& top = r.replies.at(0);
    ASSERT_EQ(top.type, redis_reply::kind::array);
    ASSERT_EQ(top.elements.size(), 5u);
    EXPECT_EQ(top.elements[0].type, redis_reply::kind::integer);
    EXPECT_EQ(top.elements[0].integer, 1);
    const auto& inner = top.elements[1];
    ASSERT_EQ(inner.type, redis_reply::kind::array);
    ASSERT_EQ(inner.elements.size(), 3u);
    EXPECT_EQ(inner.elements[0].integer, 2);
    ASSERT_EQ(inner.elements[1].type, redis_reply::kind::array);
    ASSERT_EQ(inner.elements[1].elements.size(), 2u);
    EXPECT_EQ(inner.elements[1].elements[0].str, "a");
    EXPECT_EQ(inner.elements[1].elements[1].str, bytes("b\0c"));
    EXPECT_EQ(inner.elements[2].type, redis_reply::kind::array);
    EXPECT_TRUE(inner.elements[2].elements.empty());
    EXPECT_EQ(top.elements[2].type, redis_reply::kind::string);
    EXPECT_EQ(top.elements[2].str, "x");
    EXPECT_TRUE(top.elements[3].is_nil());
    EXPECT_EQ(top.elements[4].type, redis_reply::kind::status);
    EXPECT_EQ(top.elements[4].str, "fine");
}

TEST_F(redis_connection_test, ConcurrentCallsFromFourThreadsEachCompleteExactlyOnce) {
    auto c = connected_to_shared_server();
    constexpr int threads = 4, per_thread = 25, total = threads * per_thread;
    // Shared with the handlers, which must not outlive it even if an assertion returns early.
    struct tally {
        std::array<std::atomic<int>, total> calls{};
        std::array<long long, total> counter_values{};
        std::atomic<int> completed{0}, failed{0};
        std::promise<void> all_done;
    };
    auto t = std::make_shared<tally>();
    std::vector<std::thread> callers;
    for (int th = 0; th < threads; ++th) {
        callers.emplace_back([&, th] {
            for (int i = 0; i < per_thread; ++i) {
                const int id = th * per_thread + i;
                const auto key = prefix_ + "call" + std::to_string(id);
                c->execute(
                    {{"INCR", prefix_ + "counter"}, {"SET", key, std::to_string(id)}, {"GET", key}},
                    5000ms, [t, id](std::error_code ec, std::vector<redis_reply> r) {
                        ++t->calls[id];
                        if (ec || r.size() != 3 || r[2].str != std::to_string(id))
                            ++t->failed;
                        else
                            t->counter_values[id] = r[0].integer;
                        if (++t->completed == total) t->all_done.set_value();
                    });
            }
        });
    }
    for (auto& caller : callers) caller.join();
    auto done = t->all_done.get_future();
    ASSERT_TRUE(wait_for_result(done)) << t->completed.load() << " of " << total << " completed";
    // A batch after all the others: had any handler been called twice, it would have been
    // by now (handlers run in order on the connection's strand).
    ASSERT_FALSE(execute_and_wait(*c, {{"PING"}}).ec);
    EXPECT_EQ(t->failed.load(), 0);
    std::set<long long> seen;
    for (int id = 0; id < total; ++id) {
        EXPECT_EQ(t->calls[id].load(), 1) << "call " << id;
        seen.insert(t->counter_values[id]);
    }
    EXPECT_EQ(t->completed.load(), total);
    EXPECT_EQ(seen.size(), std::size_t(total)) << "every INCR ran once";
    EXPECT_EQ(*seen.begin(), 1);
    EXPECT_EQ(*seen.rbegin(), total);
}

TEST_F(redis_connection_test, StopCompletesPendingBatchesWithAnError) {
    own_server own;
    auto c = connect_to(own.server.port());
    ASSERT_TRUE(wait_connected(*c));
    own.server.pause();  // nothing answers: the batches stay pending until stop()
    std::vector<std::future<batch_result>> pending;
    for (int i = 0; i < 5; ++i)
        pending.push_back(execute_async(*c, {{"PING"}, {"GET", prefix_ + "x"}}, 10000ms));
    c->stop();  // posted behind the batches on the strand: they are all submitted by then
    const auto started = clock_type::now();
    for (auto& f : pending) {
        const auto r = wait_for_result(f, 2000ms);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->ec, make_error_code(redis_error::connection_lost)) << r->ec.message();
        EXPECT_TRUE(r->replies.empty());
    }
    EXPECT_LT(clock_type::now() - started, 1000ms) << "stop() must not wait for deadlines";
    EXPECT_FALSE(c->connected());
    const auto after = execute_and_wait(*c, {{"PING"}}, 1000ms);
    EXPECT_EQ(after.ec, make_error_code(redis_error::not_connected)) << after.ec.message();
}

}  // namespace
}  // namespace optgate::testing
