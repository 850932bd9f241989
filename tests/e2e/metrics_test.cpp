// GET /metrics on the built daemon: a signed STOP and a check move the request, event and
// recipient counters and the latency histograms (SPEC: HTTP interface, metrics).
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>

#include "tests/e2e/e2e_fixture.hpp"

namespace optgate::testing {
namespace {

constexpr const char* family = "+16515550100";

// Every sample line, "name{labels}" -> value; comments skipped.
std::map<std::string, double> samples_of(const std::string& text) {
    std::map<std::string, double> samples;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.rfind(' ');
        if (space == std::string::npos) {
            ADD_FAILURE() << "not a sample line: " << line;
            continue;
        }
        samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return samples;
}

std::map<std::string, double> scrape(const daemon_process& daemon) {
    const auto result = daemon.request(api_call("GET", "/metrics", ""));  // no key needed
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(header_of(result, "content-type"), "text/plain; version=0.0.4; charset=utf-8");
    return samples_of(result.body);
}

double sample(const std::map<std::string, double>& samples, const std::string& key) {
    const auto it = samples.find(key);
    return it == samples.end() ? -1 : it->second;
}

class Metrics : public e2e_test {};

TEST_F(Metrics, StopAndCheckMoveTheCounters) {
    const auto daemon = start_daemon();
    const auto before = scrape(*daemon);
    EXPECT_EQ(sample(before, "optgate_redis_connected"), 1);
    EXPECT_EQ(sample(before, "optgate_consent_answering"), 1);
    EXPECT_EQ(sample(before, "optgate_journal_durable_seq"), 0);
    EXPECT_GT(sample(before, "process_open_fds"), 0);
    EXPECT_GT(sample(before, "process_resident_memory_bytes"), 0);
    EXPECT_GT(sample(before, "process_start_time_seconds"), 0);
    EXPECT_GE(sample(before, "process_cpu_seconds_total"), 0);

    const auto stop = send_sms(*daemon, family, district_code, "STOP", message_sid(1));
    ASSERT_EQ(stop.status, 200) << stop.body;
    const auto result = check_one(*daemon, family, "district");
    EXPECT_EQ(value_of(result, "allowed"), json::value(false));
    EXPECT_EQ(daemon->request(api_call("GET", "/no/such/path", "")).status, 404);

    // A request is counted once its response is written, just after the client has it.
    std::map<std::string, double> after;
    EXPECT_TRUE(wait_until(
        [&] {
            after = scrape(*daemon);
            return sample(after, R"(optgate_http_requests_total{route="other",status="404"})") ==
                       1 &&
                   sample(after,
                          R"(optgate_http_requests_total{route="/v1/check",status="200"})") == 1 &&
                   sample(
                       after,
                       R"(optgate_http_request_duration_seconds_count{route="/webhooks/twilio/sms"})") ==
                       1;
        },
        std::chrono::seconds(5)));
    EXPECT_EQ(
        sample(after, R"(optgate_http_requests_total{route="/webhooks/twilio/sms",status="200"})"),
        1);
    EXPECT_EQ(sample(after, R"(optgate_http_requests_total{route="/v1/check",status="200"})"), 1);
    // The scrapes that waited count too.
    EXPECT_GE(sample(after, R"(optgate_http_requests_total{route="/metrics",status="200"})"), 1);
    EXPECT_EQ(
        sample(after,
               R"(optgate_http_request_duration_seconds_count{route="/webhooks/twilio/sms"})"),
        1);
    EXPECT_EQ(
        sample(after,
               R"(optgate_http_request_duration_seconds_bucket{route="/v1/check",le="+Inf"})"),
        1);
    EXPECT_GE(sample(after, R"(optgate_http_request_duration_seconds_sum{route="/v1/check"})"), 0);
    EXPECT_EQ(
        sample(after,
               R"(optgate_events_total{source="twilio-sms",kind="opt_out",outcome="applied"})"),
        1);
    EXPECT_EQ(
        sample(after, R"(optgate_check_recipients_total{decision="denied",reason="opted_out"})"),
        1);
    EXPECT_EQ(sample(after, "optgate_journal_durable_seq"), 1);
    EXPECT_EQ(sample(after, "optgate_journal_applied_seq"), 1);
    EXPECT_EQ(sample(after, "optgate_journal_lag_records"), 0);
    EXPECT_GT(sample(after, "optgate_journal_bytes"), 0);
    EXPECT_GE(sample(after, "optgate_http_open_connections"), 1);  // the scrape's own
}

}  // namespace
}  // namespace optgate::testing
