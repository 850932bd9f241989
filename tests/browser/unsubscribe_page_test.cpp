// A family's click in a real browser, end to end: the built daemon issues a link, Debian's
// chromium (driven by unsubscribe_page.mjs through playwright-core) opens its page with
// scripts off and presses the button, and the API then shows the opt-out, audited once.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/command_run.hpp"
#include "tests/support/unsubscribe_links.hpp"

namespace optgate::testing {
namespace {

const std::filesystem::path browser_dir = OPTGATE_BROWSER_TEST_DIR;

class BrowserUnsubscribe : public e2e_test {};

TEST_F(BrowserUnsubscribe, AFamilyUnsubscribesWithThePagesButton) {
    ASSERT_TRUE(std::filesystem::exists("/usr/bin/chromium"))
        << "Debian's chromium is missing: tools/install-deps installs it";
    ASSERT_TRUE(std::filesystem::exists(browser_dir / "node_modules/playwright-core"))
        << "run `npm ci` in tests/browser (tools/test does)";
    const auto daemon = start_daemon(unsubscribe_links_yaml);
    const auto path = unsubscribe_link_path(*daemon, "jane@example.org");
    ASSERT_FALSE(path.empty());
    // The link's token on the daemon's loopback address instead of its public URL.
    const std::string url = "http://127.0.0.1:" + std::to_string(daemon->port()) + path;

    std::vector<std::string> argv = {"node", (browser_dir / "unsubscribe_page.mjs").string(), url,
                                     "district", "j***@example.org"};
    // OPTGATE_SCREENSHOT_DIR=/some/dir keeps a picture of each page, to look at.
    if (const char* shots = std::getenv("OPTGATE_SCREENSHOT_DIR")) argv.emplace_back(shots);
    command_options options;
    options.timeout = std::chrono::seconds(90);
    const epoch_ms before = now_ms();
    const auto browser = run_command(argv, options);
    const epoch_ms after = now_ms();
    EXPECT_EQ(browser.status, 0) << browser.out << browser.err;
    EXPECT_NE(browser.out.find("all checks passed"), std::string::npos) << browser.out;

    // The page's button posted once: district email only, since the click's receipt.
    expect_email_unsubscribed(*daemon, "jane@example.org", "one-click", before, after);
}

}  // namespace
}  // namespace optgate::testing
