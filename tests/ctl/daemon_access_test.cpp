// optgatectl's common options: where the daemon is (--url, OPTGATE_URL, a default on the
// loopback; http:// only), where the API key comes from (OPTGATE_API_KEY or a file, never an
// argument), and the timeout.
#include "ctl/daemon_access.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "ctl/commands.hpp"

namespace optgate::ctl {
namespace {

command_line line_of(std::vector<std::string> args) {
    args.insert(args.begin(), {"get", "+16515550100"});
    return std::get<command_line>(parse_command_line(args, all_specs()));
}

environment env_of(std::map<std::string, std::string> vars) {
    return [vars](std::string_view name) -> std::optional<std::string> {
        const auto it = vars.find(std::string(name));
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

TEST(DaemonAccess, DefaultsToTheLoopbackAndTakesTheKeyFromTheEnvironment) {
    std::string problem;
    const auto access =
        resolve_daemon_access(line_of({}), env_of({{"OPTGATE_API_KEY", "k-1\n"}}), true, problem);
    ASSERT_TRUE(access) << problem;
    EXPECT_EQ(access->url.host, "127.0.0.1");
    EXPECT_EQ(access->url.port, "8080");
    EXPECT_EQ(access->api_key, "k-1");
    EXPECT_EQ(access->timeout, default_timeout);
}

TEST(DaemonAccess, UrlOptionOverridesTheEnvironment) {
    std::string problem;
    const auto env = env_of({{"OPTGATE_URL", "http://10.0.0.5:9000"}, {"OPTGATE_API_KEY", "k"}});
    auto access = resolve_daemon_access(line_of({}), env, true, problem);
    ASSERT_TRUE(access) << problem;
    EXPECT_EQ(access->url.host_header, "10.0.0.5:9000");
    access =
        resolve_daemon_access(line_of({"--url", "http://[::1]:8081/optgate/"}), env, true, problem);
    ASSERT_TRUE(access) << problem;
    EXPECT_EQ(access->url.host, "::1");
    EXPECT_EQ(access->url.port, "8081");
    EXPECT_EQ(access->url.path_prefix, "/optgate");
}

TEST(DaemonAccess, RefusesHttpsAndMalformedUrls) {
    const auto env = env_of({{"OPTGATE_API_KEY", "k"}});
    for (const char* url : {"https://optgate.example.org", "127.0.0.1:8080", "http://h:0",
                            "http://h:8080/?x=1", "http://user:pw@h:8080", "ftp://h", "http://h:",
                            "http://h:65536", "http://h:99999999999999999999", "http://h:00000"}) {
        std::string problem;
        EXPECT_FALSE(resolve_daemon_access(line_of({"--url", url}), env, true, problem)) << url;
        EXPECT_NE(problem.find("--url"), std::string::npos) << problem;
    }
    std::string problem;
    resolve_daemon_access(line_of({"--url", "https://h"}), env, true, problem);
    EXPECT_NE(problem.find("directly"), std::string::npos) << problem;
}

TEST(DaemonAccess, ReadsTheKeyFileWithoutItsTrailingNewline) {
    const auto path =
        std::filesystem::temp_directory_path() / ("optgatectl-key-" + std::to_string(::getpid()));
    std::ofstream(path) << "file-key\n";
    std::string problem;
    const auto access =
        resolve_daemon_access(line_of({"--api-key-file", path.string()}),
                              env_of({{"OPTGATE_API_KEY", "env-key"}}), true, problem);
    std::filesystem::remove(path);
    ASSERT_TRUE(access) << problem;
    EXPECT_EQ(access->api_key, "file-key");
}

TEST(DaemonAccess, WithoutAKeyItSaysWhereOneComesFrom) {
    std::string problem;
    EXPECT_FALSE(resolve_daemon_access(line_of({}), env_of({}), true, problem));
    EXPECT_NE(problem.find("OPTGATE_API_KEY"), std::string::npos);
    EXPECT_FALSE(resolve_daemon_access(line_of({"--api-key-file", "/nonexistent/key"}), env_of({}),
                                       true, problem));
    EXPECT_NE(problem.find("/nonexistent/key"), std::string::npos);
}

TEST(DaemonAccess, TimeoutIsAPositiveNumberOfSeconds) {
    const auto env = env_of({{"OPTGATE_API_KEY", "k"}});
    std::string problem;
    const auto access = resolve_daemon_access(line_of({"--timeout", "2.5"}), env, true, problem);
    ASSERT_TRUE(access) << problem;
    EXPECT_EQ(access->timeout, std::chrono::milliseconds(2500));
    for (const char* bad : {"0", "-1", "soon", "", "5s"})
        EXPECT_FALSE(resolve_daemon_access(line_of({"--timeout", bad}), env, true, problem)) << bad;
}

TEST(DaemonAccess, AddressesArePercentEncodedAsOnePathSegment) {
    EXPECT_EQ(path_segment("+16515550100"), "%2B16515550100");
    EXPECT_EQ(path_segment("jane.doe@example.org"), "jane.doe%40example.org");
    EXPECT_EQ(path_segment("a/b c"), "a%2Fb%20c");
}

}  // namespace
}  // namespace optgate::ctl
