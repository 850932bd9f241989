#include "tests/e2e/e2e_fixture.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

namespace optgate::testing {

std::string e2e_test::key_prefix() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return "e2e:" + std::string(info->test_suite_name()) + "." + info->name() + ":";
}

std::unique_ptr<daemon_process> e2e_test::start_daemon(const std::string& extra_yaml,
                                                       const std::string& extra_providers) {
    auto daemon = std::make_unique<daemon_process>(
        default_test_config(redis().url(), key_prefix(), extra_yaml, extra_providers));
    EXPECT_TRUE(daemon->wait_until_ready()) << daemon->log_text();
    return daemon;
}

epoch_ms now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace optgate::testing
