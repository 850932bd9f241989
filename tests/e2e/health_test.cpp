// The daemon as operators meet it: liveness and readiness, its command line, and a config
// that is refused with the key and line named (SPEC: HTTP interface; Configuration).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <csignal>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/temp_dir.hpp"

namespace optgate::testing {
namespace {

struct run_result {
    std::optional<int> status;  // nullopt: it did not exit in time
    std::string output;         // stdout and stderr
};

run_result run_optgated(std::vector<std::string> args) {
    temp_dir dir("cli");
    args.insert(args.begin(), optgated_path());
    child_process process(std::move(args), dir.path() / "output.log");
    wait_until([&] { return !process.running(); }, std::chrono::seconds(10));
    run_result result;
    result.status = process.stop(SIGKILL, std::chrono::seconds(5));  // the status if it exited
    result.output = process.log_text();
    return result;
}

// A valid config in a file of `dir` (no daemon runs from it: the Redis port is never used).
std::filesystem::path write_config(const temp_dir& dir, const std::string& yaml) {
    const auto file = dir.path() / "optgate.yaml";
    std::string text = yaml;
    const std::string placeholder = "{journal_dir}";
    text.replace(text.find(placeholder), placeholder.size(), (dir.path() / "journal").string());
    std::ofstream(file) << text;
    return file;
}

std::size_t line_count(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

class Health : public e2e_test {};

TEST_F(Health, AliveAndReadyWithRedisAndJournal) {
    const auto daemon = start_daemon();
    const auto alive = daemon->request(api_call("GET", "/healthz", ""));
    EXPECT_EQ(alive.status, 200);
    EXPECT_EQ(header_of(alive, "content-type"), "application/json");
    EXPECT_EQ(parse_json(alive.body), json::parse(R"({"status":"ok"})"));
    const auto ready = daemon->request(api_call("GET", "/readyz", ""));
    EXPECT_EQ(ready.status, 200);
    EXPECT_EQ(parse_json(ready.body), json::parse(R"({"ready":true,"redis":"ok","journal":"ok",
        "consent":"ok","journaled_not_applied":0})"));
}

TEST_F(Health, ClosedRedisPortStillStartsButIsNotReadyAndFailsClosed) {
    daemon_process daemon(default_test_config(
        "redis://127.0.0.1:" + std::to_string(free_loopback_port()) + "/0", key_prefix()));
    EXPECT_EQ(daemon.request(api_call("GET", "/healthz", "")).status, 200);
    const auto ready = daemon.request(api_call("GET", "/readyz", ""));
    EXPECT_EQ(ready.status, 503);
    EXPECT_EQ(parse_json(ready.body), json::parse(R"({"ready":false,"redis":"unavailable",
        "journal":"ok","consent":"verifying","journaled_not_applied":0})"));
    const auto check = post_check(daemon, "sms", "district", {"+16515550100"});
    EXPECT_TRUE(is_error(check, 503, "unavailable"));
    EXPECT_EQ(header_of(check, "retry-after"), "5");
    EXPECT_TRUE(
        is_error(daemon.request(api_call("GET", "/v1/consent/%2B16515550100", test_api_key)), 503,
                 "unavailable"));
    // A STOP is still acknowledged: it is in the journal, waiting for Redis.
    const auto stop = send_sms(daemon, "+16515550100", district_code, "STOP", message_sid(1));
    EXPECT_EQ(stop.status, 200) << stop.body;
    EXPECT_EQ(stop.body, twiml_message(opt_out_reply));
    EXPECT_EQ(parse_json(daemon.request(api_call("GET", "/readyz", "")).body),
              json::parse(R"({"ready":false,"redis":"unavailable","journal":"ok",
        "consent":"verifying","journaled_not_applied":1})"));
}

TEST(DaemonCommandLine, VersionAndHelpExitZeroAndPrint) {
    const auto version = run_optgated({"--version"});
    EXPECT_EQ(version.status, 0);
    EXPECT_TRUE(std::regex_match(version.output, std::regex("optgated [0-9]+\\.[0-9]+\\.[0-9]+\n")))
        << version.output;
    const auto help = run_optgated({"--help"});
    EXPECT_EQ(help.status, 0);
    EXPECT_NE(help.output.find("usage: optgated --config FILE"), std::string::npos) << help.output;
    EXPECT_NE(help.output.find("--check-config"), std::string::npos) << help.output;
}

TEST(DaemonCommandLine, MissingOrUnknownArgumentsAreAUsageError) {
    const auto none = run_optgated({});
    EXPECT_EQ(none.status, 64);
    EXPECT_NE(none.output.find("--config FILE is required"), std::string::npos) << none.output;
    const auto unknown = run_optgated({"--colour"});
    EXPECT_EQ(unknown.status, 64);
    EXPECT_NE(unknown.output.find("--colour"), std::string::npos) << unknown.output;
}

TEST(DaemonCommandLine, CheckConfigAcceptsAValidConfig) {
    temp_dir dir("config");
    const auto file = write_config(dir, default_test_config("redis://127.0.0.1:1/0", "p:"));
    const auto result = run_optgated({"--config", file.string(), "--check-config"});
    EXPECT_EQ(result.status, 0) << result.output;
    EXPECT_NE(result.output.find("is valid"), std::string::npos) << result.output;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "journal")) << "a check changes nothing";
}

TEST(DaemonCommandLine, CheckConfigNamesAnUnknownKeyAndItsLine) {
    temp_dir dir("config");
    const auto base = default_test_config("redis://127.0.0.1:1/0", "p:");
    const auto file = write_config(dir, base + "colour: blue\n");
    const auto result = run_optgated({"--config", file.string(), "--check-config"});
    EXPECT_EQ(result.status, 2) << result.output;
    const auto line = "line " + std::to_string(line_count(base) + 1);
    EXPECT_NE(result.output.find("colour"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find(line), std::string::npos)
        << "expected " << line << ": " << result.output;
    EXPECT_NE(result.output.find("unknown key"), std::string::npos) << result.output;
}

TEST(DaemonCommandLine, ConfigWithANestedUnknownKeyIsRefusedAtStart) {
    temp_dir dir("config");
    auto yaml = default_test_config("redis://127.0.0.1:1/0", "p:");
    const std::string log = "log: { level: debug }";
    const auto at = yaml.find(log);
    ASSERT_NE(at, std::string::npos);
    const auto line = line_count(yaml.substr(0, at)) + 1;
    yaml.replace(at, log.size(), "log: { level: debug, colour: blue }");
    const auto file = write_config(dir, yaml);
    // Not only --check-config: the daemon itself refuses to start.
    const auto result = run_optgated({"--config", file.string()});
    EXPECT_EQ(result.status, 2) << result.output;
    EXPECT_NE(result.output.find("log.colour"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("line " + std::to_string(line)), std::string::npos)
        << result.output;
}

}  // namespace
}  // namespace optgate::testing
