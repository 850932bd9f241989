#include "tests/support/voice_webhook.hpp"

#include <gtest/gtest.h>

#include "tests/support/api_reply.hpp"
#include "tests/support/daemon_process.hpp"

namespace optgate::testing {

std::string call_sid(unsigned n) {
    return twilio_sid("CA", n);
}

form_fields voice_fields(const std::string& from, const std::string& to, const std::string& sid,
                         const std::optional<std::string>& digits) {
    form_fields fields = {{"AccountSid", "AC00000000000000000000000000000000"},
                          {"CallSid", sid},
                          {"From", from},
                          {"To", to},
                          {"CallStatus", digits ? "in-progress" : "ringing"},
                          {"Direction", "inbound"},
                          {"Caller", from},
                          {"Called", to},
                          {"ApiVersion", "2010-04-01"}};
    if (digits) fields.emplace_back("Digits", *digits);
    return fields;
}

http_call voice_call(const std::string& from, const std::string& to, const std::string& sid) {
    return signed_twilio_call(voice_path, voice_fields(from, to, sid));
}

http_call voice_digits_call(const std::string& target, const std::string& from,
                            const std::string& to, const std::string& sid,
                            const std::string& digits) {
    return signed_twilio_call(target, voice_fields(from, to, sid, digits));
}

const std::string test_voice_yaml = R"(voice:
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

std::string twiml(const std::string& verbs) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>" + verbs + "</Response>";
}

std::string menu_verbs(const std::string& action, const std::string& text) {
    return "<Gather numDigits=\"1\" action=\"" + action + "\" method=\"POST\"><Say>" + text +
           "</Say></Gather>" + test_voice_goodbye + "<Hangup/>";
}

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

http_result call_and_press(const http_endpoint& daemon, const std::string& sid,
                           const std::string& digits, const std::string& from) {
    const auto menu = daemon.request(voice_call(from, test_hotline, sid));
    EXPECT_EQ(menu.status, 200) << menu.body;
    return daemon.request(
        voice_digits_call(action_target(menu.body), from, test_hotline, sid, digits));
}

void expect_voice(const http_endpoint& daemon, const std::string& address, const char* state,
                  const char* reason) {
    for (const char* program : {"district", "emergency"}) {
        const auto result = check_one(daemon, address, program, "voice");
        EXPECT_EQ(text_of(result, "state"), state) << program;
        EXPECT_EQ(text_of(result, "reason"), reason) << program;
        EXPECT_EQ(value_of(result, "allowed"), json::value(std::string(state) == "opted_in"))
            << program;
    }
}

}  // namespace optgate::testing
