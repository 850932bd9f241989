// optgate's own RFC 8058 one-click links, end to end: a broadcast system gets a link, a mail
// client's POST unsubscribes through the journal into Redis (a retry or a double click each
// their own event), and the daemon's log shows neither the address nor the token (SPEC: Email;
// HTTP interface). Pages, issuing and refusals in process:
// tests/unit/http/unsubscribe_route_test.cpp.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/timestamp.hpp"
#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/unsubscribe_links.hpp"

namespace optgate::testing {
namespace {

constexpr const char* jane = "jane@example.org";
constexpr const char* jane_masked = "j***@example.org";

class UnsubscribeLinks : public e2e_test {
  protected:
    static std::unique_ptr<daemon_process> start() { return start_daemon(unsubscribe_links_yaml); }
};

TEST_F(UnsubscribeLinks, OneClickOptsOutAndEveryClickIsItsOwnEvent) {
    const auto daemon = start();
    const auto path = unsubscribe_link_path(*daemon, jane);
    const epoch_ms before = now_ms();
    const auto first = one_click(*daemon, path);
    const epoch_ms after = now_ms();
    expect_page(first, 200, "You are unsubscribed");
    EXPECT_NE(first.body.find(jane_masked), std::string::npos);
    EXPECT_NE(first.body.find("no more district emails"), std::string::npos);
    EXPECT_EQ(first.body.find(jane), std::string::npos) << "the address in clear";
    // Only the link's program, since the receipt (the event time is the receipt).
    expect_email_unsubscribed(*daemon, jane, "one-click", before, after);

    // A mail client's retry, a second click, the RFC's multipart form: each its own event,
    // re-applying the opt-out that is there.
    EXPECT_EQ(one_click(*daemon, path).status, 200);
    const std::string multipart =
        "--b\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n"
        "--b--\r\n";
    expect_page(one_click(*daemon, path, multipart, "multipart/form-data; boundary=b"), 200,
                "You are unsubscribed");

    const auto entries = audit_entries(*daemon);
    ASSERT_EQ(entries.size(), 3u);
    std::set<std::string> keys;
    for (const auto& entry : entries) {
        EXPECT_EQ(text_of(entry, "keyword"), one_click_body);
        EXPECT_EQ(text_of(entry, "event_time"), text_of(entry, "received_time"));
        EXPECT_EQ(text_of(entry, "outcome"), "applied");
        keys.insert(text_of(entry, "dedupe_key"));
    }
    EXPECT_EQ(keys.size(), 3u) << "each click has a dedupe key of its own";
    // The reference is the link's hash; it does not show the token.
    const auto reference = text_of(entries[0], "reference");
    EXPECT_TRUE(reference.starts_with("one-click:")) << reference;
    EXPECT_TRUE(text_of(entries[0], "dedupe_key").starts_with(reference + ":"));
    const auto token = path.substr(std::string("/unsubscribe/").size());
    EXPECT_EQ(reference.find(token.substr(0, 16)), std::string::npos);

    // The log has neither the address nor the token in clear.
    const auto log = daemon->log_text();
    EXPECT_EQ(log.find(jane), std::string::npos);
    EXPECT_EQ(log.find(token.substr(0, 20)), std::string::npos);
    EXPECT_NE(log.find(jane_masked), std::string::npos);
}

}  // namespace
}  // namespace optgate::testing
