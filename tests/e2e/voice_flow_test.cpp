// A family's calls to the hotline, end to end: signed Twilio Voice webhooks into the built
// daemon, the TwiML it answers, what /v1/check then says on the voice channel, and what the
// audit trail keeps (SPEC: Voice).
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
constexpr const char* hotline = "+18555027867";

// The hotline of this suite: both programs, short texts to compare, one that needs escaping.
const std::string voice_yaml = R"(voice:
  hotlines: ["855-502-7867"]
  programs: [district, emergency]
  prompts:
    menu: "Test district calls: press 1 to get them, 2 to stop them."
    opted_in: "Test district: calls again."
    opted_out: "Test district: no more calls."
    invalid_caller: "Your number is hidden: call from your line without hiding it."
    invalid_digit: "Not a choice."
    goodbye: "Nothing changed & goodbye."
)";

constexpr const char* menu_text = "Test district calls: press 1 to get them, 2 to stop them.";
constexpr const char* goodbye_xml = "<Say>Nothing changed &amp; goodbye.</Say>";
constexpr const char* invalid_digit_xml = "<Say>Not a choice.</Say>";

std::string twiml(const std::string& verbs) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>" + verbs + "</Response>";
}

// The menu whose digit Twilio posts to `action`, then goodbye if nothing is pressed.
std::string menu_verbs(const std::string& action, const std::string& text = menu_text) {
    return "<Gather numDigits=\"1\" action=\"" + action + "\" method=\"POST\"><Say>" + text +
           "</Say></Gather>" + goodbye_xml + "<Hangup/>";
}

const std::string menu_action = std::string(test_public_url) + voice_menu_path;

// The path and query of the first <Gather>'s action, as Twilio would call it.
std::string action_target(const std::string& twiml_body) {
    const std::string attribute = "action=\"" + std::string(test_public_url);
    const auto begin = twiml_body.find(attribute);
    if (begin == std::string::npos) {
        ADD_FAILURE() << "no action under the public URL in " << twiml_body;
        return voice_menu_path;
    }
    const auto start = begin + attribute.size();
    return twiml_body.substr(start, twiml_body.find('"', start) - start);
}

// A call that comes in and presses `digits` at the menu's action: the answer to the digits.
http_result call_and_press(const daemon_process& daemon, const std::string& sid,
                           const std::string& digits, const std::string& from = family) {
    const auto menu = daemon.request(voice_call(from, hotline, sid));
    EXPECT_EQ(menu.status, 200) << menu.body;
    return daemon.request(voice_digits_call(action_target(menu.body), from, hotline, sid, digits));
}

void expect_voice(const daemon_process& daemon, const char* state, const char* reason) {
    for (const char* program : {"district", "emergency"}) {
        const auto result = check_one(daemon, family, program, "voice");
        EXPECT_EQ(text_of(result, "state"), state) << program;
        EXPECT_EQ(text_of(result, "reason"), reason) << program;
        EXPECT_EQ(value_of(result, "allowed"), json::value(std::string(state) == "opted_in"))
            << program;
    }
}

// Nothing recorded: every channel at its default, nothing audited.
void expect_nothing_changed(const daemon_process& daemon) {
    for (const char* channel : {"voice", "sms"})
        for (const char* program : {"district", "emergency"})
            EXPECT_EQ(text_of(check_one(daemon, family, program, channel), "reason"), "default")
                << channel << " " << program;
    EXPECT_TRUE(audit_entries(daemon).empty());
}

class VoiceFlow : public e2e_test {
  protected:
    static std::unique_ptr<daemon_process> start() { return start_daemon(voice_yaml); }
};

TEST_F(VoiceFlow, ACallToTheHotlineGetsTheMenuWithTheMenuActionUrl) {
    const auto daemon = start();
    expect_twiml(daemon->request(voice_call(family, hotline, call_sid(1))),
                 twiml(menu_verbs(menu_action)));
    // The number as the hotline list wrote it, in another form: the same hotline.
    expect_twiml(daemon->request(voice_call(family, "+1 (855) 502-7867", call_sid(2))),
                 twiml(menu_verbs(menu_action)));
    expect_nothing_changed(*daemon);
}

TEST_F(VoiceFlow, DigitTwoStopsVoiceForTheProgramsAndIsAuditedOnceWhenTwilioRetries) {
    const auto daemon = start();
    const epoch_ms before = now_ms();
    const auto confirmed = call_and_press(*daemon, call_sid(1), "2");
    expect_twiml(confirmed, twiml("<Say>Test district: no more calls.</Say><Hangup/>"));
    const epoch_ms after = now_ms();
    // Twilio retries the same digit post (same CallSid): the same answer, no second change.
    expect_twiml(
        daemon->request(voice_digits_call(voice_menu_path, family, hotline, call_sid(1), "2")),
        confirmed.body);

    expect_voice(*daemon, "opted_out", "opted_out");
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

TEST_F(VoiceFlow, DigitOneOnALaterCallAllowsVoiceAgain) {
    const auto daemon = start();
    call_and_press(*daemon, call_sid(1), "2");
    expect_voice(*daemon, "opted_out", "opted_out");
    expect_twiml(call_and_press(*daemon, call_sid(2), "1"),
                 twiml("<Say>Test district: calls again.</Say><Hangup/>"));
    expect_voice(*daemon, "opted_in", "opted_in");
    const auto audit = audit_entries(*daemon);
    ASSERT_EQ(audit.size(), 4u);
    for (std::size_t i = 2; i < 4; ++i) {
        EXPECT_EQ(text_of(audit[i], "from"), "opted_out");
        EXPECT_EQ(text_of(audit[i], "to"), "opted_in");
        EXPECT_EQ(text_of(audit[i], "reference"), call_sid(2));
        EXPECT_EQ(text_of(audit[i], "keyword"), "1");
    }
}

TEST_F(VoiceFlow, AWithheldCallerIdChangesNothingAndHearsWhy) {
    const auto daemon = start();
    const auto why =
        twiml("<Say>Your number is hidden: call from your line without hiding it.</Say><Hangup/>");
    unsigned n = 0;
    for (const char* from : {"anonymous", "Restricted", "+266696687", "", "client:alice"}) {
        SCOPED_TRACE(from);
        expect_twiml(daemon->request(voice_call(from, hotline, call_sid(++n))), why);
        // Even a digit posted straight to the menu changes nothing for a hidden number.
        expect_twiml(
            daemon->request(voice_digits_call(voice_menu_path, from, hotline, call_sid(n), "2")),
            why);
    }
    expect_nothing_changed(*daemon);
}

TEST_F(VoiceFlow, AnUnknownDigitRepeatsTheMenuOnceThenSaysGoodbye) {
    const auto daemon = start();
    const auto repeated = call_and_press(*daemon, call_sid(1), "7");
    expect_twiml(repeated, twiml(invalid_digit_xml + menu_verbs(menu_action + "?attempt=2")));
    // Twilio posts the second digit to the repeated menu's action, query and all, signed.
    const std::string second = action_target(repeated.body);
    EXPECT_EQ(second, std::string(voice_menu_path) + "?attempt=2");
    expect_twiml(daemon->request(voice_digits_call(second, family, hotline, call_sid(1), "#")),
                 twiml(std::string(invalid_digit_xml) + goodbye_xml + "<Hangup/>"));
    expect_nothing_changed(*daemon);

    // A right digit on the repeated menu counts.
    const auto again = call_and_press(*daemon, call_sid(2), "0");
    expect_twiml(daemon->request(voice_digits_call(action_target(again.body), family, hotline,
                                                   call_sid(2), "2")),
                 twiml("<Say>Test district: no more calls.</Say><Hangup/>"));
    expect_voice(*daemon, "opted_out", "opted_out");
}

TEST_F(VoiceFlow, ABadSignatureIsRefusedAndChangesNothing) {
    const auto daemon = start();
    const auto fields = voice_fields(family, hotline, call_sid(1), "2");
    auto forged = twilio_post(test_public_url, voice_menu_path, "another-token", fields);
    EXPECT_TRUE(is_error(daemon->request(forged), 403, "bad_signature"));
    forged.headers.erase("X-Twilio-Signature");
    EXPECT_TRUE(is_error(daemon->request(forged), 403, "bad_signature"));
    // Signed for the first menu, sent as the repeated one: the query is part of the URL.
    auto moved = signed_twilio_call(voice_menu_path, fields);
    moved.target = std::string(voice_menu_path) + "?attempt=2";
    EXPECT_TRUE(is_error(daemon->request(moved), 403, "bad_signature"));
    // A digit changed after signing.
    auto tampered =
        signed_twilio_call(voice_menu_path, voice_fields(family, hotline, call_sid(1), "1"));
    tampered.body = form_urlencode(fields);
    EXPECT_TRUE(is_error(daemon->request(tampered), 403, "bad_signature"));
    auto call = twilio_post(test_public_url, voice_path, "another-token",
                            voice_fields(family, hotline, call_sid(1)));
    EXPECT_TRUE(is_error(daemon->request(call), 403, "bad_signature"));
    // The other checks the SMS route makes, shared.
    auto wrong_type = signed_twilio_call(voice_menu_path, fields);
    wrong_type.headers["Content-Type"] = "application/json";
    EXPECT_TRUE(is_error(daemon->request(wrong_type), 415, "unsupported_media_type"));
    auto no_sid = voice_fields(family, hotline, "", "2");
    EXPECT_TRUE(is_error(daemon->request(signed_twilio_call(voice_menu_path, no_sid)), 400,
                         "missing_fields"));
    expect_nothing_changed(*daemon);
}

TEST_F(VoiceFlow, ACallToANumberThatIsNotAHotlineIsHungUpOn) {
    const auto daemon = start();
    const auto hangup = twiml("<Hangup/>");
    expect_twiml(daemon->request(voice_call(family, "+16515559999", call_sid(1))), hangup);
    expect_twiml(daemon->request(
                     voice_digits_call(voice_menu_path, family, "+16515559999", call_sid(1), "2")),
                 hangup);
    expect_nothing_changed(*daemon);
    EXPECT_NE(daemon->log_text().find("not a hotline; hung up"), std::string::npos);
}

TEST_F(VoiceFlow, NewPromptsApplyOnReload) {
    const auto daemon = start();
    auto yaml = default_test_config(redis().url(), key_prefix(), voice_yaml);
    yaml.replace(yaml.find(menu_text), std::string(menu_text).size(), "Reloaded menu.");
    daemon->reload(yaml + "  language: es-MX\n");
    const auto reloaded =
        twiml("<Gather numDigits=\"1\" action=\"" + menu_action +
              "\" method=\"POST\"><Say language=\"es-MX\">Reloaded menu.</Say></Gather>"
              "<Say language=\"es-MX\">Nothing changed &amp; goodbye.</Say><Hangup/>");
    unsigned n = 0;
    EXPECT_TRUE(wait_until(
        [&] {
            return daemon->request(voice_call(family, hotline, call_sid(++n))).body == reloaded;
        },
        std::chrono::seconds(10)))
        << daemon->log_text();
}

TEST_F(VoiceFlow, LogsNeverShowTheCallersNumberInClear) {
    const auto daemon = start();
    call_and_press(*daemon, call_sid(1), "2");
    call_and_press(*daemon, call_sid(2), "5", "+16515550177");
    const auto log = daemon->log_text();
    ASSERT_NE(log.find("+1651***0100"), std::string::npos) << log;  // logged, masked
    for (const char* clear : {"6515550100", "5550100", "6515550177", "5550177"})
        EXPECT_EQ(log.find(clear), std::string::npos) << clear << " in clear:\n" << log;
}

}  // namespace
}  // namespace optgate::testing
