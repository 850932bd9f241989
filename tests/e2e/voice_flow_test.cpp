// A family's call to the hotline, end to end: signed Twilio Voice webhooks into the built
// daemon, the TwiML it answers, what /v1/check then says on the voice channel, what the audit
// trail keeps and what the log shows (SPEC: Voice). The menu's every other answer and refusal
// in process: tests/unit/http/voice_route_test.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/timestamp.hpp"
#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/voice_webhook.hpp"

namespace optgate::testing {
namespace {

using ::testing::ElementsAre;

constexpr const char* family = "+16515550100";

class VoiceFlow : public e2e_test {
  protected:
    static std::unique_ptr<daemon_process> start() { return start_daemon(test_voice_yaml); }
};

TEST_F(VoiceFlow, DigitTwoStopsVoiceForTheProgramsAndIsAuditedOnceWhenTwilioRetries) {
    const auto daemon = start();
    const epoch_ms before = now_ms();
    const auto confirmed = call_and_press(*daemon, call_sid(1), "2", family);
    expect_twiml(confirmed, twiml("<Say>Test district: no more calls.</Say><Hangup/>"));
    const epoch_ms after = now_ms();
    // Twilio retries the same digit post (same CallSid): the same answer, no second change.
    expect_twiml(
        daemon->request(voice_digits_call(voice_menu_path, family, test_hotline, call_sid(1), "2")),
        confirmed.body);

    expect_voice(*daemon, family, "opted_out", "opted_out");
    const auto district = check_one(*daemon, family, "district", "voice");
    EXPECT_EQ(text_of(district, "source"), "twilio-voice");
    const auto since = parse_rfc3339(text_of(district, "since"));
    ASSERT_TRUE(since);
    EXPECT_GE(*since, before);
    EXPECT_LE(*since, after);
    // Texts are another channel: untouched.
    for (const char* program : {"district", "emergency"})
        EXPECT_EQ(text_of(check_one(*daemon, family, program, "sms"), "reason"), "default");

    const auto audit = audit_entries(*daemon);
    ASSERT_EQ(audit.size(), 2u);  // one per program, not one per delivery
    std::vector<std::string> programs;
    for (const auto& entry : audit) {
        programs.push_back(text_of(entry, "program"));
        EXPECT_EQ(text_of(entry, "address"), family);
        EXPECT_EQ(text_of(entry, "channel"), "voice");
        EXPECT_EQ(text_of(entry, "to"), "opted_out");
        EXPECT_EQ(text_of(entry, "outcome"), "applied");
        EXPECT_EQ(text_of(entry, "source"), "twilio-voice");
        EXPECT_EQ(text_of(entry, "reference"), call_sid(1));
        EXPECT_EQ(text_of(entry, "dedupe_key"), call_sid(1));
        EXPECT_EQ(text_of(entry, "keyword"), "2");
        // Twilio states no time: dated by the receipt, nothing stated to keep.
        EXPECT_EQ(text_of(entry, "event_time"), text_of(entry, "received_time"));
        EXPECT_EQ(text_of(entry, "stated_time"), "");
    }
    std::sort(programs.begin(), programs.end());
    EXPECT_THAT(programs, ElementsAre("district", "emergency"));
}

// The whole daemon's log, not only the routes': the journal and the applier log the calls too.
TEST_F(VoiceFlow, LogsNeverShowTheCallersNumberInClear) {
    const auto daemon = start();
    call_and_press(*daemon, call_sid(1), "2", family);
    call_and_press(*daemon, call_sid(2), "5", "+16515550177");
    const auto log = daemon->log_text();
    ASSERT_NE(log.find("+1651***0100"), std::string::npos) << log;  // logged, masked
    for (const char* clear : {"6515550100", "5550100", "6515550177", "5550177"})
        EXPECT_EQ(log.find(clear), std::string::npos) << clear << " in clear:\n" << log;
}

}  // namespace
}  // namespace optgate::testing
