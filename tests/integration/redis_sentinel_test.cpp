// redis_connection with Redis Sentinel against real sentinels: it finds the master, follows a
// failover without being recreated, skips dead and hung sentinels, waits out a sentinel outage,
// refuses a server that is not a master, and resets on READONLY.
#include <gtest/gtest.h>

#include <atomic>

#include "adapters/redis/connection_fsm.hpp"
#include "adapters/redis/sentinel_resolver.hpp"
#include "tests/integration/redis_test_support.hpp"
#include "tests/support/sentinel_cluster.hpp"

namespace optgate::testing {
namespace {

using clock_type = std::chrono::steady_clock;

// The port the server behind the connection listens on, asked through the connection.
std::uint16_t port_behind(redis_connection& c) {
    const auto r = execute_and_wait(c, {{"CONFIG", "GET", "port"}}, 1000ms);
    if (r.ec || r.replies.size() != 1 || r.replies[0].elements.size() != 2) return 0;
    return static_cast<std::uint16_t>(std::stoi(r.replies[0].elements[1].str));
}

class redis_sentinel_test : public ::testing::Test {
  protected:
    // One group per test process; ctest runs every test case in a process of its own.
    static void SetUpTestSuite() { cluster_ = std::make_unique<sentinel_cluster>(); }
    static void TearDownTestSuite() { cluster_.reset(); }
    static sentinel_cluster& cluster() { return *cluster_; }

    void TearDown() override {
        for (auto& c : connections_) c->stop();
        io_.join();
    }

    redis_endpoint sentinel_endpoint(std::vector<std::uint16_t> extra_first = {},
                                     std::string master = "") const {
        redis_endpoint e;
        e.host = "192.0.2.1";  // never used with sentinels: a connection there would hang
        e.sentinel_master = master.empty() ? cluster().master_name() : master;
        for (auto port : extra_first) e.sentinels.push_back({"127.0.0.1", port});
        for (auto port : cluster().sentinel_ports()) e.sentinels.push_back({"127.0.0.1", port});
        return e;
    }
    std::shared_ptr<redis_connection> connect(redis_endpoint endpoint) {
        auto options = fast_reconnect();
        options.sentinel_timeout = 300ms;
        auto c = redis_connection::create(io_.executor(), std::move(endpoint), options);
        c->set_connected_handler([this] { ++connections_made_; });
        c->start();
        connections_.push_back(c);
        return c;
    }

    inline static std::unique_ptr<sentinel_cluster> cluster_;
    io_thread io_;
    const std::string key_ = unique_key_prefix() + "key";
    std::vector<std::shared_ptr<redis_connection>> connections_;
    std::atomic<int> connections_made_{0};
};

TEST_F(redis_sentinel_test, FindsTheMasterThroughTheSentinels) {
    auto c = connect(sentinel_endpoint());
    ASSERT_TRUE(wait_connected(*c)) << "no connection to " << c->describe();
    EXPECT_EQ(c->describe(), "sentinel:" + cluster().master_name() + "/0");
    const auto r = execute_and_wait(*c, {{"SET", key_, "v1"}, {"GET", key_}, {"ROLE"}});
    ASSERT_FALSE(r.ec) << r.ec.message();
    EXPECT_EQ(r.replies.at(0).str, "OK");
    EXPECT_EQ(r.replies.at(1).str, "v1");
    EXPECT_EQ(r.replies.at(2).elements.at(0).str, "master");
    EXPECT_EQ(port_behind(*c), cluster().master_port());
    EXPECT_EQ(sentinel_cluster::command(cluster().master_port(), {"GET", key_}).str, "v1");
}

TEST_F(redis_sentinel_test, FollowsAFailoverWithoutBeingRecreated) {
    auto c = connect(sentinel_endpoint());
    ASSERT_TRUE(wait_connected(*c));
    const auto old_master = cluster().master_port();
    ASSERT_EQ(port_behind(*c), old_master);
    ASSERT_EQ(execute_and_wait(*c, {{"SET", key_, "before"}}).replies.at(0).str, "OK");
    ASSERT_TRUE(cluster().wait_until_replica_synced());

    const auto new_master = cluster().failover();
    ASSERT_NE(new_master, old_master);
    // The old master keeps its clients until the sentinels turn it into a replica (and kill
    // its client connections); then the connection asks the sentinels and lands on the new one.
    batch_result last;
    const bool followed = wait_until(
        [&] {
            last = execute_and_wait(
                *c, {{"SET", key_, "after"}, {"ROLE"}, {"CONFIG", "GET", "port"}}, 1000ms);
            return !last.ec && last.replies.size() == 3 && last.replies[0].str == "OK" &&
                   !last.replies[1].elements.empty() &&
                   last.replies[1].elements[0].str == "master" &&
                   last.replies[2].elements.size() == 2 &&
                   last.replies[2].elements[1].str == std::to_string(new_master);
        },
        30s);
    ASSERT_TRUE(followed) << "last: " << last.ec.message();
    EXPECT_EQ(sentinel_cluster::command(new_master, {"GET", key_}).str, "after");
    EXPECT_GE(connections_made_.load(), 2);
}

TEST_F(redis_sentinel_test, ADeadFirstSentinelIsSkipped) {
    auto c = connect(sentinel_endpoint({free_loopback_port()}));
    ASSERT_TRUE(wait_connected(*c, true, 5000ms));
    ASSERT_EQ(execute_and_wait(*c, {{"SET", key_, "v"}}).replies.at(0).str, "OK");
    EXPECT_EQ(port_behind(*c), cluster().master_port());
}

TEST_F(redis_sentinel_test, AHungFirstSentinelIsSkippedAtItsDeadline) {
    cluster().pause_sentinel(0);  // accepts connections, answers nothing
    struct resume_at_end {
        ~resume_at_end() { cluster().resume_sentinel(0); }
    } resume;
    const auto started = clock_type::now();
    auto c = connect(sentinel_endpoint());
    ASSERT_TRUE(wait_connected(*c, true, 5000ms));
    // One sentinel deadline (300 ms) and the set-up; nowhere near connect_timeout's retries.
    EXPECT_LT(clock_type::now() - started, 2000ms);
    EXPECT_EQ(execute_and_wait(*c, {{"SET", key_, "v"}}).replies.at(0).str, "OK");
}

TEST_F(redis_sentinel_test, WithNoSentinelReachableExecuteFailsNotConnectedThenRecovers) {
    cluster().stop_sentinels();
    auto c = connect(sentinel_endpoint());
    const auto down = execute_and_wait(*c, {{"SET", key_, "v"}}, 5000ms);
    EXPECT_EQ(down.ec, make_error_code(redis_error::not_connected)) << down.ec.message();
    EXPECT_FALSE(c->connected());

    cluster().start_sentinels();
    ASSERT_TRUE(wait_connected(*c)) << "no connection once the sentinels came back";
    const auto up = execute_and_wait(*c, {{"SET", key_, "v"}, {"GET", key_}});
    ASSERT_FALSE(up.ec) << up.ec.message();
    EXPECT_EQ(up.replies.at(1).str, "v");
}

TEST_F(redis_sentinel_test, AServerThatIsNotAMasterIsDroppedAndTheSentinelsAskedAgain) {
    // A second name on every sentinel, pointing at the replica: they name a server whose
    // ROLE says slave.
    const std::string name = "optgate-test-replica-named";
    const auto replica = cluster().replica_port();
    for (auto port : cluster().sentinel_ports())
        ASSERT_EQ(sentinel_cluster::command(port, {"SENTINEL", "MONITOR", name, "127.0.0.1",
                                                   std::to_string(replica), "2"})
                      .str,
                  "OK");
    // Each attempt ends with ROLE on the replica (the sentinels themselves use INFO).
    const auto roles_asked = [&] {
        const auto info = sentinel_cluster::command(replica, {"INFO", "commandstats"}).str;
        const auto stats = info_field(info, "cmdstat_role");  // "calls=3,usec=..."
        return stats.starts_with("calls=") ? std::stoll(stats.substr(6)) : 0;
    };
    const auto before = roles_asked();
    auto c = connect(sentinel_endpoint({}, name));
    // Several attempts reach the replica, and none becomes a connection.
    ASSERT_TRUE(wait_until([&] { return roles_asked() >= before + 3; }, 10s));
    EXPECT_FALSE(c->connected());
    EXPECT_EQ(connections_made_.load(), 0);

    // The name now points at the master: the next attempt asks again and lands there.
    for (auto port : cluster().sentinel_ports()) {
        sentinel_cluster::command(port, {"SENTINEL", "REMOVE", name});
        sentinel_cluster::command(port, {"SENTINEL", "MONITOR", name, "127.0.0.1",
                                         std::to_string(cluster().master_port()), "2"});
    }
    ASSERT_TRUE(wait_connected(*c));
    EXPECT_EQ(port_behind(*c), cluster().master_port());
    for (auto port : cluster().sentinel_ports())
        sentinel_cluster::command(port, {"SENTINEL", "REMOVE", name});
}

TEST_F(redis_sentinel_test, AReadonlyReplyIsDeliveredThenTheConnectionResets) {
    auto c = connect(sentinel_endpoint());
    ASSERT_TRUE(wait_connected(*c));
    ASSERT_EQ(connections_made_.load(), 1);
    // What a demoted master answers a write, made up by a script: no failover needed.
    const std::string readonly_script =
        "return redis.error_reply('READONLY You can\\'t write against a read only replica.')";
    const auto r = execute_and_wait(*c, {{"EVAL", readonly_script, "0"}, {"PING"}});
    ASSERT_FALSE(r.ec) << "the batch's replies come first: " << r.ec.message();
    EXPECT_TRUE(r.replies.at(0).is_error());
    EXPECT_TRUE(r.replies.at(0).str.starts_with("READONLY")) << r.replies.at(0).str;
    EXPECT_EQ(r.replies.at(1).str, "PONG");
    ASSERT_TRUE(wait_until([&] { return connections_made_.load() == 2; }, handler_deadline))
        << "the connection did not reset and reconnect";
    EXPECT_TRUE(wait_connected(*c));
    EXPECT_EQ(execute_and_wait(*c, {{"PING"}}).replies.at(0).str, "PONG");
}

TEST_F(redis_sentinel_test, WithoutSentinelAReadonlyReplyKeepsTheConnection) {
    redis_endpoint direct;
    direct.port = cluster().master_port();
    auto c = connect(direct);
    ASSERT_TRUE(wait_connected(*c));
    const auto r = execute_and_wait(
        *c, {{"EVAL", "return redis.error_reply('READONLY made up')", "0"}, {"PING"}});
    ASSERT_FALSE(r.ec) << r.ec.message();
    EXPECT_TRUE(r.replies.at(0).is_error());
    // A batch behind it on the strand: a reset would have been queued before it.
    EXPECT_FALSE(execute_and_wait(*c, {{"PING"}}).ec);
    EXPECT_TRUE(c->connected());
    EXPECT_EQ(connections_made_.load(), 1);
}

TEST(sentinel_replies, MasterAddressIsReadFromAnswerOnly) {
    using kind = redis_reply::kind;
    const auto str = [](std::string s) { return redis_reply{kind::string, 0, std::move(s), {}}; };
    const redis_reply good{kind::array, 0, "", {str("10.0.0.5"), str("6380")}};
    EXPECT_EQ(master_address_from(good), (redis_address{"10.0.0.5", 6380}));
    EXPECT_FALSE(master_address_from(redis_reply{}));  // nil: an unknown master name
    EXPECT_FALSE(master_address_from(redis_reply{kind::error, 0, "ERR unknown", {}}));
    EXPECT_FALSE(master_address_from({kind::array, 0, "", {str("h"), str("0")}}));
    EXPECT_FALSE(master_address_from({kind::array, 0, "", {str("h"), str("65536")}}));
    EXPECT_FALSE(master_address_from({kind::array, 0, "", {str("h"), str("63x")}}));
    EXPECT_FALSE(master_address_from({kind::array, 0, "", {str(""), str("6379")}}));
    EXPECT_FALSE(master_address_from({kind::array, 0, "", {str("h")}}));
}

TEST(sentinel_replies, OnlyAMasterRoleIsAccepted) {
    using kind = redis_reply::kind;
    const auto role = [](std::string name) {
        return redis_reply{kind::array, 0, "", {{kind::string, 0, std::move(name), {}}}};
    };
    EXPECT_FALSE(not_a_master(role("master")));
    EXPECT_TRUE(not_a_master(role("slave")));
    EXPECT_TRUE(not_a_master(role("sentinel")));
    EXPECT_TRUE(not_a_master(redis_reply{}));
    EXPECT_TRUE(not_a_master(redis_reply{kind::error, 0, "ERR unknown command", {}}));
    // An ACL that refuses ROLE: trusted, READONLY still catches a demoted master.
    EXPECT_FALSE(
        not_a_master(redis_reply{kind::error, 0, "NOPERM this user has no permissions", {}}));
}

}  // namespace
}  // namespace optgate::testing
