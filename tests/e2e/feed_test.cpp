// The change feed with the real parts: the apply script adds each applied change to a Redis
// stream with the change itself, the built daemon serves it over HTTP, a long poll answers
// as soon as a change comes, and a cursor the retention trimmed is answered 410.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "tests/e2e/e2e_fixture.hpp"

namespace optgate::testing {
namespace {

constexpr const char* family = "+16515550100";

class Feed : public e2e_test {};

http_result changes(const daemon_process& daemon, const std::string& query) {
    return daemon.request(api_call("GET", "/v1/changes?" + query, test_api_key));
}

std::size_t lines_in(const std::string& body) {
    return static_cast<std::size_t>(std::count(body.begin(), body.end(), '\n'));
}

TEST_F(Feed, AppliedChangesInOrderThenALongPollWakesOnTheNext) {
    const auto daemon = start_daemon();
    expect_twiml(send_sms(*daemon, family, district_code, "STOP", message_sid(1)),
                 twiml_message(opt_out_reply));
    expect_twiml(send_sms(*daemon, family, district_code, "STOP", message_sid(1)),
                 twiml_message(opt_out_reply));  // Twilio's retry: no change
    expect_twiml(send_sms(*daemon, family, district_code, "START", message_sid(2)),
                 twiml_message(opt_in_reply));
    const auto first = changes(*daemon, "after=0");
    ASSERT_EQ(first.status, 200) << first.body;
    ASSERT_EQ(lines_in(first.body), 2u) << first.body;
    EXPECT_NE(first.body.find("\"to\":\"opted_out\""), std::string::npos);
    EXPECT_LT(first.body.find("\"to\":\"opted_out\""), first.body.find("\"to\":\"opted_in\""));
    const auto cursor = header_of(first, "optgate-next-cursor");
    ASSERT_FALSE(cursor.empty());

    // Nothing new: a long poll from the feed's end waits, and answers as soon as a STOP comes.
    auto polled =
        std::async(std::launch::async, [&] { return changes(*daemon, "after=end&wait=20"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto sent = std::chrono::steady_clock::now();
    expect_twiml(send_sms(*daemon, family, district_code, "ALTO", message_sid(3)),
                 twiml_message("Mensajes del distrito: ya no recibirá mensajes de texto de este "
                               "número. Responda INICIAR para volver a recibirlos."));
    ASSERT_EQ(polled.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    const auto woke = polled.get();
    EXPECT_LT(std::chrono::steady_clock::now() - sent, std::chrono::seconds(5));
    ASSERT_EQ(woke.status, 200);
    EXPECT_EQ(lines_in(woke.body), 1u) << woke.body;
    EXPECT_NE(woke.body.find("\"language\":\"es\""), std::string::npos);
    EXPECT_NE(header_of(woke, "optgate-next-cursor"), cursor);
}

TEST_F(Feed, ACursorTheRetentionTrimmedIsGone) {
    const auto daemon = start_daemon();
    for (int i = 1; i <= 3; ++i)
        expect_twiml(send_sms(*daemon, "+1651555010" + std::to_string(i), district_code, "STOP",
                              message_sid(i)),
                     twiml_message(opt_out_reply));
    const auto all = changes(*daemon, "after=0");
    ASSERT_EQ(lines_in(all.body), 3u);
    const auto second = all.body.substr(all.body.find('\n') + 1);
    const auto second_cursor = second.substr(11, second.find('"', 11) - 11);  // {"cursor":"
    // What the retention does when changes grow old: the stream trimmed before the second.
    redis().command({"XTRIM", key_prefix() + "{changes}:stream", "MINID", second_cursor});
    const auto first_cursor = all.body.substr(11, all.body.find('"', 11) - 11);
    EXPECT_TRUE(is_error(changes(*daemon, "after=" + first_cursor), 410, "cursor_expired"));
    const auto rest = changes(*daemon, "after=" + second_cursor);
    EXPECT_EQ(rest.status, 200);
    EXPECT_EQ(lines_in(rest.body), 1u);
    // 0 is the oldest change kept; a cursor past the feed's end is not one of this feed's
    // (Redis lost it since).
    EXPECT_EQ(lines_in(changes(*daemon, "after=0").body), 2u);
    EXPECT_TRUE(is_error(changes(*daemon, "after=99999999999999-0"), 410, "cursor_expired"));
}

// SIGTERM answers a waiting long poll at once: the daemon stops in moments, not after the
// poll's 30 s (nor the drain's 10 s limit).
TEST_F(Feed, ALongPollIsAnsweredWhenTheDaemonStops) {
    auto daemon = start_daemon();
    auto polled =
        std::async(std::launch::async, [&] { return changes(*daemon, "after=end&wait=30"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto stopping = std::chrono::steady_clock::now();
    EXPECT_EQ(daemon->stop(), 0);
    EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::seconds(3));
    ASSERT_EQ(polled.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    EXPECT_EQ(polled.get().status, 200);
}

}  // namespace
}  // namespace optgate::testing
