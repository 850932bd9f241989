// A family's calls to the hotline in process: signed Twilio Voice webhooks into the routes,
// the TwiML they answer, what /v1/check then says on the voice channel, and the calls they
// refuse or hang up on (SPEC: Voice). One call end to end: tests/e2e/voice_flow_test.cpp.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/api_reply.hpp"
#include "tests/support/sms_webhook.hpp"
#include "tests/support/voice_webhook.hpp"
#include "tests/unit/http/route_harness.hpp"

namespace optgate::testing {
namespace {

constexpr const char* family = "+16515550100";

const std::string menu_action = std::string(test_public_url) + voice_menu_path;

// Nothing recorded: every channel at its default, nothing audited.
void expect_nothing_changed(const http_endpoint& api) {
    for (const char* channel : {"voice", "sms"})
        for (const char* program : {"district", "emergency"})
            EXPECT_EQ(text_of(check_one(api, family, program, channel), "reason"), "default")
                << channel << " " << program;
    EXPECT_TRUE(audit_entries(api).empty());
}

class VoiceFlow : public ::testing::Test {
  protected:
    route_harness api{test_voice_yaml};
};

TEST_F(VoiceFlow, ACallToTheHotlineGetsTheMenuWithTheMenuActionUrl) {
    expect_twiml(api.request(voice_call(family, test_hotline, call_sid(1))),
                 twiml(menu_verbs(menu_action)));
    // The number as the hotline list wrote it, in another form: the same hotline.
    expect_twiml(api.request(voice_call(family, "+1 (855) 502-7867", call_sid(2))),
                 twiml(menu_verbs(menu_action)));
    expect_nothing_changed(api);
}

TEST_F(VoiceFlow, DigitOneOnALaterCallAllowsVoiceAgain) {
    call_and_press(api, call_sid(1), "2", family);
    expect_voice(api, family, "opted_out", "opted_out");
    expect_twiml(call_and_press(api, call_sid(2), "1", family),
                 twiml("<Say>Test district: calls again.</Say><Hangup/>"));
    expect_voice(api, family, "opted_in", "opted_in");
    const auto audit = audit_entries(api);
    ASSERT_EQ(audit.size(), 4u);
    for (std::size_t i = 2; i < 4; ++i) {
        EXPECT_EQ(text_of(audit[i], "from"), "opted_out");
        EXPECT_EQ(text_of(audit[i], "to"), "opted_in");
        EXPECT_EQ(text_of(audit[i], "reference"), call_sid(2));
        EXPECT_EQ(text_of(audit[i], "keyword"), "1");
    }
}

TEST_F(VoiceFlow, AWithheldCallerIdChangesNothingAndHearsWhy) {
    const auto why =
        twiml("<Say>Your number is hidden: call from your line without hiding it.</Say><Hangup/>");
    unsigned n = 0;
    for (const char* from : {"anonymous", "Restricted", "+266696687", "", "client:alice"}) {
        SCOPED_TRACE(from);
        expect_twiml(api.request(voice_call(from, test_hotline, call_sid(++n))), why);
        // Even a digit posted straight to the menu changes nothing for a hidden number.
        expect_twiml(
            api.request(voice_digits_call(voice_menu_path, from, test_hotline, call_sid(n), "2")),
            why);
    }
    expect_nothing_changed(api);
}

TEST_F(VoiceFlow, AnUnknownDigitRepeatsTheMenuOnceThenSaysGoodbye) {
    const auto repeated = call_and_press(api, call_sid(1), "7", family);
    expect_twiml(repeated,
                 twiml(test_voice_invalid_digit + menu_verbs(menu_action + "?attempt=2")));
    // Twilio posts the second digit to the repeated menu's action, query and all, signed.
    const std::string second = action_target(repeated.body);
    EXPECT_EQ(second, std::string(voice_menu_path) + "?attempt=2");
    expect_twiml(api.request(voice_digits_call(second, family, test_hotline, call_sid(1), "#")),
                 twiml(std::string(test_voice_invalid_digit) + test_voice_goodbye + "<Hangup/>"));
    expect_nothing_changed(api);

    // A right digit on the repeated menu counts.
    const auto again = call_and_press(api, call_sid(2), "0", family);
    expect_twiml(api.request(voice_digits_call(action_target(again.body), family, test_hotline,
                                               call_sid(2), "2")),
                 twiml("<Say>Test district: no more calls.</Say><Hangup/>"));
    expect_voice(api, family, "opted_out", "opted_out");
}

TEST_F(VoiceFlow, ABadSignatureIsRefusedAndChangesNothing) {
    const auto fields = voice_fields(family, test_hotline, call_sid(1), "2");
    auto forged = twilio_post(test_public_url, voice_menu_path, "another-token", fields);
    EXPECT_TRUE(is_error(api.request(forged), 403, "bad_signature"));
    forged.headers.erase("X-Twilio-Signature");
    EXPECT_TRUE(is_error(api.request(forged), 403, "bad_signature"));
    // Signed for the first menu, sent as the repeated one: the query is part of the URL.
    auto moved = signed_twilio_call(voice_menu_path, fields);
    moved.target = std::string(voice_menu_path) + "?attempt=2";
    EXPECT_TRUE(is_error(api.request(moved), 403, "bad_signature"));
    // A digit changed after signing.
    auto tampered =
        signed_twilio_call(voice_menu_path, voice_fields(family, test_hotline, call_sid(1), "1"));
    tampered.body = form_urlencode(fields);
    EXPECT_TRUE(is_error(api.request(tampered), 403, "bad_signature"));
    auto call = twilio_post(test_public_url, voice_path, "another-token",
                            voice_fields(family, test_hotline, call_sid(1)));
    EXPECT_TRUE(is_error(api.request(call), 403, "bad_signature"));
    // The other checks the SMS route makes, shared.
    auto wrong_type = signed_twilio_call(voice_menu_path, fields);
    wrong_type.headers["Content-Type"] = "application/json";
    EXPECT_TRUE(is_error(api.request(wrong_type), 415, "unsupported_media_type"));
    auto no_sid = voice_fields(family, test_hotline, "", "2");
    EXPECT_TRUE(
        is_error(api.request(signed_twilio_call(voice_menu_path, no_sid)), 400, "missing_fields"));
    expect_nothing_changed(api);
}

TEST_F(VoiceFlow, ACallToANumberThatIsNotAHotlineIsHungUpOn) {
    const auto hangup = twiml("<Hangup/>");
    expect_twiml(api.request(voice_call(family, "+16515559999", call_sid(1))), hangup);
    expect_twiml(
        api.request(voice_digits_call(voice_menu_path, family, "+16515559999", call_sid(1), "2")),
        hangup);
    expect_nothing_changed(api);
    EXPECT_NE(api.log_text().find("not a hotline; hung up"), std::string::npos) << api.log_text();
}

// A reload reaches the next call at once (the daemon's SIGHUP: tests/e2e/reload_test.cpp).
TEST_F(VoiceFlow, NewPromptsApplyOnReload) {
    auto yaml = test_voice_yaml;
    yaml.replace(yaml.find(test_voice_menu), std::string(test_voice_menu).size(), "Reloaded menu.");
    api.reload(yaml + "  language: es-MX\n");
    expect_twiml(api.request(voice_call(family, test_hotline, call_sid(1))),
                 twiml("<Gather numDigits=\"1\" action=\"" + menu_action +
                       "\" method=\"POST\"><Say language=\"es-MX\">Reloaded menu.</Say></Gather>"
                       "<Say language=\"es-MX\">Nothing changed &amp; goodbye.</Say><Hangup/>"));
}

}  // namespace
}  // namespace optgate::testing
