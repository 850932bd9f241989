// Nothing acknowledged is lost (SPEC rule 5): STOPs answered 200 survive a graceful stop, a
// crash of the daemon and an outage of Redis, and are audited exactly once; while Redis is
// away the daemon fails closed (rule 6).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/e2e/e2e_fixture.hpp"

namespace optgate::testing {
namespace {

std::string family_number(unsigned i) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "+1651300%04u", i);
    return buf;
}

// STOPs from family_number(first..first+count-1), each acknowledged with the opt-out reply.
void send_stops(const daemon_process& daemon, unsigned first, unsigned count) {
    for (unsigned i = first; i < first + count; ++i) {
        const auto result =
            send_sms(daemon, family_number(i), district_code, "STOP", message_sid(i));
        ASSERT_EQ(result.status, 200) << family_number(i) << ": " << result.body;
        ASSERT_EQ(result.body, twiml_message(opt_out_reply));
    }
}

// One check of family_number(0..count-1): every one of them is opted out.
void expect_all_opted_out(const daemon_process& daemon, unsigned count) {
    std::vector<std::string> recipients;
    for (unsigned i = 0; i < count; ++i) recipients.push_back(family_number(i));
    const auto result = post_check(daemon, "sms", "district", recipients);
    ASSERT_EQ(result.status, 200) << result.body;
    const auto body = parse_json(result.body);
    ASSERT_TRUE(body.is_object());
    EXPECT_EQ(value_of(body.as_object(), "denied"), json::value(std::int64_t(count)));
    const auto& results = body.at("results").as_array();
    ASSERT_EQ(results.size(), count);
    for (unsigned i = 0; i < count; ++i)
        EXPECT_EQ(text_of(results[i].as_object(), "reason"), "opted_out") << family_number(i);
}

json::value readiness(const daemon_process& daemon) {
    return parse_json(daemon.request(api_call("GET", "/readyz", "")).body);
}

class Restart : public e2e_test {};

TEST_F(Restart, AcknowledgedStopsSurviveAGracefulStopAndACrashAndAreAuditedOnce) {
    constexpr unsigned half = 50;
    const auto daemon = start_daemon();
    ASSERT_NO_FATAL_FAILURE(send_stops(*daemon, 0, half));
    EXPECT_EQ(daemon->stop(), 0) << daemon->log_text();
    daemon->start();
    ASSERT_TRUE(daemon->wait_until_ready()) << daemon->log_text();
    expect_all_opted_out(*daemon, half);

    ASSERT_NO_FATAL_FAILURE(send_stops(*daemon, half, half));
    daemon->kill9();  // no chance to finish applying or to persist the applied cursor
    daemon->start();
    ASSERT_TRUE(daemon->wait_until_ready()) << daemon->log_text();
    expect_all_opted_out(*daemon, 2 * half);
    // The journal is replayed after the crash; a replayed event is never audited twice.
    for (unsigned i = 0; i < 2 * half; ++i) {
        const auto history = value_of(consent_of(*daemon, family_number(i)), "history");
        ASSERT_TRUE(history.is_array()) << family_number(i);
        EXPECT_EQ(history.as_array().size(), 1u) << family_number(i);
    }
    EXPECT_EQ(audit_entries(*daemon).size(), 2 * half);
}

TEST_F(Restart, StopsAcknowledgedWhileRedisIsDownAreAppliedWhenItReturns) {
    constexpr unsigned count = 10;
    redis_server own_redis;  // this test stops it: not the suite's
    daemon_process daemon(default_test_config(own_redis.url(), key_prefix()));
    ASSERT_TRUE(daemon.wait_until_ready()) << daemon.log_text();

    own_redis.stop();
    ASSERT_TRUE(
        wait_until([&] { return daemon.request(api_call("GET", "/readyz", "")).status == 503; },
                   std::chrono::seconds(10)));
    // Journaled and fdatasync'd: acknowledged although Redis cannot take them yet.
    ASSERT_NO_FATAL_FAILURE(send_stops(daemon, 0, count));
    // An admin change is journaled too; it answers 202 once it has waited for Redis in vain.
    const auto pending = daemon.request(
        api_call("PUT", "/v1/consent/" + family_number(count), test_api_key,
                 R"({"channel":"sms","program":"district","state":"opted_out","source":"office",)"
                 R"("request_id":"during-outage"})"));
    EXPECT_EQ(pending.status, 202) << pending.body;
    EXPECT_EQ(parse_json(pending.body), json::parse(R"({"outcome":"pending",
        "request_id":"during-outage",
        "message":"journaled; it is applied as soon as Redis is reachable"})"));
    const auto ready = daemon.request(api_call("GET", "/readyz", ""));
    EXPECT_EQ(ready.status, 503);
    EXPECT_EQ(parse_json(ready.body), json::parse(R"({"ready":false,"redis":"unavailable",
        "journal":"ok","consent":"ok","journaled_not_applied":11})"));
    // Fail closed: never a guess.
    const auto check = post_check(daemon, "sms", "district", {family_number(0)});
    EXPECT_TRUE(is_error(check, 503, "unavailable"));
    EXPECT_EQ(header_of(check, "retry-after"), "5");
    EXPECT_TRUE(
        is_error(daemon.request(api_call("GET", "/v1/audit", test_api_key)), 503, "unavailable"));

    const auto port = own_redis.port();
    own_redis.start();
    ASSERT_EQ(own_redis.port(), port) << "the test Redis came back on another port";
    // Back when Redis is reachable and the journal is replayed into it.
    const bool caught_up = wait_until(
        [&] {
            const auto r = readiness(daemon);
            return r.is_object() && r.as_object().contains("ready") &&
                   r.at("ready") == json::value(true) &&
                   r.at("journaled_not_applied") == json::value(0);
        },
        std::chrono::seconds(15));
    ASSERT_TRUE(caught_up) << json::serialize(readiness(daemon)) << daemon.log_text();
    expect_all_opted_out(daemon, count + 1);
    EXPECT_EQ(audit_entries(daemon).size(), count + 1);
}

}  // namespace
}  // namespace optgate::testing
