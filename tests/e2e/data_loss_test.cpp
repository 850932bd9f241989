// A Redis that has lost what optgate wrote (flushed in place, restarted without persistence),
// or may lose it (an evicting maxmemory-policy), is never answered from: a check gets 503 at
// once, never the default "allowed" of a record that is gone (SPEC rule 6; issue "No false
// allow", item 3).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/serialize.hpp>

#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/raw_connection.hpp"

namespace optgate::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* family = "+16515550100";

json::object readiness(const daemon_process& daemon) {
    const auto ready = daemon.request(api_call("GET", "/readyz", ""));
    const auto body = parse_json(ready.body);
    return body.is_object() ? body.as_object() : json::object{};
}

class DataLoss : public e2e_test {
  protected:
    void TearDown() override {
        redis().command({"CONFIG", "SET", "maxmemory-policy", "noeviction"});
        redis().command({"CONFIG", "SET", "maxmemory", "0"});
        redis().command({"CONFIG", "RESETSTAT"});  // the next test's Redis has evicted nothing
    }

    // Sets an evicting policy (optgate then holds answers), makes Redis evict the family's keys
    // named by `suffixes` (nothing else of optgate's: volatile-lru may only evict keys with a time
    // to live, and only those are given one), and sets noeviction again.
    static void evict_family_keys(const daemon_process& daemon,
                                  const std::vector<std::string>& suffixes) {
        ASSERT_EQ(redis().command({"CONFIG", "SET", "maxmemory-policy", "volatile-lru"}).str, "OK");
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < deadline &&
               !readiness(daemon).contains("consent_reason"))
            std::this_thread::sleep_for(20ms);
        ASSERT_EQ(post_check(daemon, "sms", "district", {family}).status, 503);

        std::vector<std::string> evicted{"EXISTS"};
        for (const auto& suffix : suffixes) {
            evicted.push_back(key_prefix() + "{" + family + "}" + suffix);
            ASSERT_EQ(redis().command({"EXPIRE", evicted.back(), "3600"}).integer, 1) << suffix;
        }
        const auto markers = redis().command({"KEYS", key_prefix() + "{meta}:complete:*"});
        ASSERT_EQ(markers.elements.size(), 1u);
        const std::string marker = markers.elements[0].str;
        const auto info = redis().command({"INFO", "memory"}).str;
        const auto at = info.find("used_memory:") + std::string("used_memory:").size();
        const auto used = std::stoull(info.substr(at, info.find('\r', at) - at));
        ASSERT_EQ(
            redis().command({"CONFIG", "SET", "maxmemory", std::to_string(used + 256 * 1024)}).str,
            "OK");
        const std::string filler(1024, 'x');
        for (int batch = 0; batch < 100 && redis().command(evicted).integer != 0; ++batch) {
            std::vector<std::vector<std::string>> sets;
            for (int i = 0; i < 100; ++i)
                sets.push_back({"SET", "filler:" + std::to_string(batch * 100 + i), filler});
            redis().commands(sets);  // once nothing is left to evict: OOM errors, ignored
        }
        ASSERT_EQ(redis().command(evicted).integer, 0) << "not everything was evicted";
        ASSERT_EQ(redis().command({"EXISTS", marker}).integer, 1);
        const auto stats = redis().command({"INFO", "stats"}).str;
        ASSERT_EQ(stats.find("evicted_keys:0\r"), std::string::npos) << "not evicted";
        redis().command({"CONFIG", "SET", "maxmemory", "0"});
        ASSERT_EQ(redis().command({"CONFIG", "SET", "maxmemory-policy", "noeviction"}).str, "OK");
        redis().command({"EVAL",
                         "for _, k in ipairs(redis.call('KEYS', 'filler:*')) do "
                         "redis.call('DEL', k) end",
                         "0"});
    }

    // What Redis evicted may be older than the journal's retention: no answer until the operator
    // says Redis was restored or none of optgate's keys was evicted (/readyz says how), not even
    // after Redis's own count of evictions is reset; then the journal is applied again.
    static void review_evictions(const daemon_process& daemon) {
        json::object ready;
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < deadline &&
               text_of(ready, "consent_reason").find("has evicted") == std::string::npos) {
            std::this_thread::sleep_for(50ms);
            ready = readiness(daemon);
        }
        const std::string review_key = key_prefix() + "{meta}:evictions-reviewed";
        EXPECT_NE(text_of(ready, "consent_reason").find("INCR '" + review_key + "'"),
                  std::string::npos)
            << json::serialize(ready);
        ASSERT_EQ(redis().command({"CONFIG", "RESETSTAT"}).str, "OK");
        // Past the next verification (every 5 s); a held check answers 503 after its wait.
        for (const auto until = std::chrono::steady_clock::now() + 6s;
             std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(200ms))
            ASSERT_EQ(post_check(daemon, "sms", "district", {family}).status, 503);
        ASSERT_EQ(redis().command({"INCR", review_key}).integer, 1);
    }

    // Until the journal is applied again every answer is 503 or the STOP, never an allow; then
    // the STOP.
    static void expect_the_stop_back(const daemon_process& daemon) {
        const auto deadline = std::chrono::steady_clock::now() + 15s;
        bool answered = false;
        while (!answered && std::chrono::steady_clock::now() < deadline) {
            const auto result = post_check(daemon, "sms", "district", {family});
            if (result.status == 200) {
                EXPECT_EQ(result.body.find("\"allowed\":true"), std::string::npos) << result.body;
                answered = true;
            } else {
                EXPECT_EQ(result.status, 503) << result.body;
                std::this_thread::sleep_for(50ms);
            }
        }
        EXPECT_TRUE(answered) << daemon.log_text();
        EXPECT_EQ(text_of(check_one(daemon, family), "reason"), "opted_out");
    }
};

std::string instance_id(const daemon_process& daemon) {
    std::string id;
    std::getline(std::ifstream(daemon.journal_dir() / "instance-id"), id);
    return id;
}

TEST_F(DataLoss, AFlushedRedisIsNeverAnsweredFromNotEvenOnce) {
    const auto daemon = start_daemon();
    ASSERT_EQ(send_sms(*daemon, family, district_code, "STOP", message_sid(1)).status, 200);
    ASSERT_EQ(text_of(check_one(*daemon, family), "reason"), "opted_out");

    ASSERT_EQ(redis().command({"FLUSHALL"}).str, "OK");
    // The very next check reads the marker in the same pipeline: gone, so 503, not "default".
    const auto first = post_check(*daemon, "sms", "district", {family});
    EXPECT_TRUE(is_error(first, 503, "unavailable")) << first.status << " " << first.body;
    EXPECT_NE(first.body.find("lost data"), std::string::npos) << first.body;
    EXPECT_EQ(header_of(first, "retry-after"), "5");

    // Until the journal is applied again every answer is 503 or the STOP, never an allow.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    bool restored = false;
    while (!restored && std::chrono::steady_clock::now() < deadline) {
        const auto result = post_check(*daemon, "sms", "district", {family});
        if (result.status == 200) {
            EXPECT_EQ(result.body.find("\"allowed\":true"), std::string::npos) << result.body;
            restored = result.body.find("\"reason\":\"opted_out\"") != std::string::npos;
        } else {
            EXPECT_EQ(result.status, 503) << result.body;
            std::this_thread::sleep_for(20ms);
        }
    }
    EXPECT_TRUE(restored) << "the journal was not applied again:\n" << daemon->log_text();
    // The record the replay wrote names this instance's journal: another instance's replay
    // will not opt it in again (core/apply_event.hpp).
    const auto record =
        redis().command({"HGET", key_prefix() + "{" + family + "}:consent", "sms/district"}).str;
    EXPECT_NE(record.find("\"by\":\"" + instance_id(*daemon) + "\""), std::string::npos) << record;
}

// A large check answers as it reads. Redis flushed once its first results are sent: the
// chunks read after the flush are not answered from, and the answer ends with the error and
// without its last chunk, never as a whole answer. The client reads slowly, so the daemon
// (which reads only a few chunks ahead of what the client takes) is midway at the flush.
TEST_F(DataLoss, AFlushDuringALargeCheckEndsItsAnswerWithAnErrorNeverAsWhole) {
    const auto daemon = start_daemon();
    ASSERT_EQ(send_sms(*daemon, family, district_code, "STOP", message_sid(1)).status, 200);
    ASSERT_EQ(text_of(check_one(*daemon, family), "reason"), "opted_out");
    std::string body = R"({"channel":"sms","program":"district","recipients":[")";
    body += family;
    for (int i = 0; i < 300000; ++i) body += "\",\"+1651" + std::to_string(2000000 + i);
    body += "\"]}";
    raw_connection client(daemon->port());
    ASSERT_TRUE(client.send("POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                            std::string(test_api_key) +
                            "\r\nContent-Type: application/json\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body));
    const auto start = client.read_until(R"({"input":"+16512000100")", 20s);
    ASSERT_NE(start.bytes.find("Transfer-Encoding: chunked"), std::string::npos)
        << start.bytes.substr(0, 300);
    // The first result is the family's STOP, read before the flush.
    EXPECT_NE(
        start.bytes.find(R"({"input":"+16515550100","address":"+16515550100","allowed":false)"),
        std::string::npos);

    ASSERT_EQ(redis().command({"FLUSHALL"}).str, "OK");
    const auto rest = client.read_until_closed(60s);
    const auto answer = start.bytes + rest.bytes;
    EXPECT_TRUE(rest.closed);
    EXPECT_NE(answer.find(
                  R"(],"error":{"code":"unavailable","message":"the consent store has lost data)"),
              std::string::npos)
        << answer.substr(answer.size() - std::min<std::size_t>(answer.size(), 300));
    EXPECT_FALSE(answer.ends_with("0\r\n\r\n")) << "the last chunk was sent";
    EXPECT_EQ(answer.find(R"("allowed":300001)"), std::string::npos);
    EXPECT_EQ(answer.find(R"(,"denied":)"), std::string::npos) << "the counts were sent";
    EXPECT_NE(daemon->log_text().find("the answer ends with an error"), std::string::npos);
}

TEST_F(DataLoss, ARecordLookupOfAFlushedRedisIs503Too) {
    const auto daemon = start_daemon();
    ASSERT_EQ(send_sms(*daemon, family, district_code, "STOP", message_sid(1)).status, 200);
    ASSERT_EQ(text_of(check_one(*daemon, family), "reason"), "opted_out");
    ASSERT_EQ(redis().command({"FLUSHALL"}).str, "OK");
    EXPECT_TRUE(
        is_error(daemon->request(api_call("GET", "/v1/consent/%2B16515550100", test_api_key)), 503,
                 "unavailable"));
}

// An evicting policy may drop any consent record: optgate runs (webhooks are still journaled)
// but answers no check, and /readyz says why, until the policy is noeviction again.
TEST_F(DataLoss, AnEvictingRedisIsNotReadyAndSaysWhy) {
    ASSERT_EQ(redis().command({"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"}).str, "OK");
    daemon_process daemon(default_test_config(redis().url(), key_prefix()));
    json::object ready;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    // Until its connections are up the reason may be that it cannot verify Redis yet.
    while (std::chrono::steady_clock::now() < deadline) {
        ready = readiness(daemon);
        if (text_of(ready, "consent_reason").find("maxmemory-policy") != std::string::npos) break;
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(text_of(ready, "consent"), "verifying");
    EXPECT_NE(text_of(ready, "consent_reason").find("maxmemory-policy is allkeys-lru"),
              std::string::npos)
        << text_of(ready, "consent_reason");
    EXPECT_EQ(ready.at("ready"), json::value(false));
    EXPECT_EQ(post_check(daemon, "sms", "district", {family}).status, 503);
    EXPECT_NE(daemon.log_text().find("maxmemory-policy is allkeys-lru"), std::string::npos);
    // A STOP is still acknowledged: it is journaled.
    EXPECT_EQ(send_sms(daemon, family, district_code, "STOP", message_sid(1)).status, 200);

    // Set right, optgate answers again by itself (at its next verification).
    ASSERT_EQ(redis().command({"CONFIG", "SET", "maxmemory-policy", "noeviction"}).str, "OK");
    EXPECT_TRUE(daemon.wait_until_ready()) << daemon.log_text();
    EXPECT_EQ(text_of(check_one(daemon, family), "reason"), "opted_out");
}

// What Redis evicted while its policy allowed it is gone when the policy is set right again:
// no answer until the operator reviewed the evictions (Redis restored, or none was optgate's),
// then the journal is applied again before answers resume, never the default of an evicted
// STOP.
TEST_F(DataLoss, RecordsEvictedWhileThePolicyAllowedItAreAppliedAgainBeforeAnswers) {
    const auto daemon = start_daemon();
    ASSERT_EQ(send_sms(*daemon, family, district_code, "STOP", message_sid(1)).status, 200);
    ASSERT_EQ(text_of(check_one(*daemon, family), "reason"), "opted_out");
    ASSERT_NO_FATAL_FAILURE(evict_family_keys(*daemon, {":consent", ":audit", ":seen"}));
    ASSERT_NO_FATAL_FAILURE(review_evictions(*daemon));
    expect_the_stop_back(*daemon);
}

// Eviction picks keys one by one: the record may go while the STOP's dedupe key stays. The
// journal's STOP, applied again, is then its own first delivery and rebuilds the record (a
// redelivery would not), without a second audit entry.
TEST_F(DataLoss, ARecordEvictedWithoutItsDedupeKeysIsRebuiltByTheJournal) {
    const auto daemon = start_daemon();
    ASSERT_EQ(send_sms(*daemon, family, district_code, "STOP", message_sid(1)).status, 200);
    ASSERT_EQ(text_of(check_one(*daemon, family), "reason"), "opted_out");
    ASSERT_NO_FATAL_FAILURE(evict_family_keys(*daemon, {":consent"}));
    ASSERT_NO_FATAL_FAILURE(review_evictions(*daemon));
    expect_the_stop_back(*daemon);
    EXPECT_EQ(redis().command({"LLEN", key_prefix() + "{" + family + "}:audit"}).integer, 1);
}

// Two instances behind one load balancer: a STOP only the second one journaled, Redis flushed
// while that one is down. The first re-applies its own journal, but does not answer (503, and
// /readyz names the instance it waits for) until the second has started again and applied
// its journal too: the family's STOP is back before any check is answered.
TEST_F(DataLoss, AfterAFlushNoInstanceAnswersBeforeEveryInstanceHasAppliedItsJournal) {
    const auto first = start_daemon();
    const auto second = start_daemon();
    const auto second_id = instance_id(*second);
    ASSERT_FALSE(second_id.empty());
    // The first learns of the second at its next verification (every 5 s).
    const auto known_by = std::chrono::steady_clock::now() + 12s;
    std::string peers;
    while (peers.find(second_id) == std::string::npos &&
           std::chrono::steady_clock::now() < known_by) {
        std::this_thread::sleep_for(100ms);
        std::getline(std::ifstream(first->journal_dir() / "peers"), peers);
    }
    ASSERT_NE(peers.find(second_id), std::string::npos) << first->log_text();

    ASSERT_EQ(send_sms(*second, family, district_code, "STOP", message_sid(1)).status, 200);
    ASSERT_EQ(text_of(check_one(*second, family), "reason"), "opted_out");  // applied
    ASSERT_EQ(text_of(check_one(*first, family), "reason"), "opted_out");
    ASSERT_TRUE(second->stop().has_value());
    ASSERT_EQ(redis().command({"FLUSHALL"}).str, "OK");

    // The first finds the loss at its next check, replays, then waits for the second.
    json::object ready;
    const auto waiting_by = std::chrono::steady_clock::now() + 12s;
    while (std::chrono::steady_clock::now() < waiting_by &&
           text_of(ready, "consent_reason").find(second_id) == std::string::npos) {
        const auto result = post_check(*first, "sms", "district", {family});
        ASSERT_EQ(result.status, 503) << result.body;
        std::this_thread::sleep_for(50ms);
        ready = readiness(*first);
    }
    ASSERT_NE(text_of(ready, "consent_reason").find(second_id), std::string::npos)
        << json::serialize(ready) << "\n"
        << first->log_text();
    // ...and keeps waiting past its next verifications.
    for (const auto until = std::chrono::steady_clock::now() + 6s;
         std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(200ms)) {
        const auto result = post_check(*first, "sms", "district", {family});
        ASSERT_EQ(result.status, 503) << result.body;
    }

    second->start();
    expect_the_stop_back(*first);
}

// A Redis user that may not run INFO memory (an ACL allowing INFO server only) hides the
// eviction policy: that is no "noeviction". One that may not run INFO at all hides whether
// Redis lost data. Either way optgate answers no check, and /readyz and the log say why.
TEST_F(DataLoss, ARedisThatRefusesInfoIsNeverAnsweredFromAndSaysWhy) {
    ASSERT_EQ(redis().command({"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"}).str, "OK");
    for (const std::vector<std::string>& info_rule :
         {std::vector<std::string>{"-info", "+info|server"}, std::vector<std::string>{"-info"}}) {
        SCOPED_TRACE(info_rule.size() == 2 ? "INFO server only" : "no INFO");
        std::vector<std::string> acl{"ACL",     "SETUSER", "noinfo", "reset", "on",
                                     ">secret", "~*",      "&*",     "+@all"};
        acl.insert(acl.end(), info_rule.begin(), info_rule.end());
        ASSERT_EQ(redis().command(acl).str, "OK");
        const std::string url =
            "redis://noinfo:secret@127.0.0.1:" + std::to_string(redis().port()) + "/0";
        daemon_process daemon(default_test_config(url, key_prefix()));
        json::object ready;
        const auto deadline = std::chrono::steady_clock::now() + 8s;
        // Until its connections are up the reason may be that it cannot verify Redis yet.
        while (std::chrono::steady_clock::now() < deadline) {
            ready = readiness(daemon);
            if (text_of(ready, "consent_reason").find("INFO") != std::string::npos ||
                ready.at("ready") == json::value(true))
                break;
            std::this_thread::sleep_for(20ms);
        }
        EXPECT_EQ(ready.at("ready"), json::value(false)) << json::serialize(ready);
        EXPECT_NE(text_of(ready, "consent_reason").find("INFO"), std::string::npos)
            << json::serialize(ready);
        EXPECT_EQ(post_check(daemon, "sms", "district", {family}).status, 503);
    }
    redis().command({"ACL", "DELUSER", "noinfo"});
}

}  // namespace
}  // namespace optgate::testing
