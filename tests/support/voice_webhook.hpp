// Calls to the hotline as Twilio Voice delivers them to the daemon: the webhook paths, the
// call form, correctly signed posts of a call coming in and of the digit pressed, and the
// hotline config and TwiML the voice tests (e2e and tests/unit/http) speak in.
#pragma once

#include <optional>
#include <string>

#include "core/form_urlencoded.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_endpoint.hpp"
#include "tests/support/twilio_webhook.hpp"

namespace optgate::testing {

inline constexpr const char* voice_path = "/webhooks/twilio/voice";
inline constexpr const char* voice_menu_path = "/webhooks/twilio/voice/menu";

// A CallSid in Twilio's form ("CA" and 32 hex digits), distinct for each n.
std::string call_sid(unsigned n);

// What Twilio posts for an inbound call; with `digits` (the menu's Gather) when given.
form_fields voice_fields(const std::string& from, const std::string& to, const std::string& sid,
                         const std::optional<std::string>& digits = std::nullopt);

// A correctly signed "a call comes in".
http_call voice_call(const std::string& from, const std::string& to, const std::string& sid);

// A correctly signed post of `digits` to `target`: the menu path, with the query the menu's
// action URL carries (e.g. "?attempt=2").
http_call voice_digits_call(const std::string& target, const std::string& from,
                            const std::string& to, const std::string& sid,
                            const std::string& digits);

// Top-level YAML for default_test_config's `extra`: the hotline `test_hotline` for both
// programs, with short prompts to compare and a goodbye that needs escaping.
extern const std::string test_voice_yaml;
inline constexpr const char* test_hotline = "+18555027867";
inline constexpr const char* test_voice_menu =
    "Test district calls: press 1 to get them, 2 to "
    "stop them.";
inline constexpr const char* test_voice_goodbye = "<Say>Nothing changed &amp; goodbye.</Say>";
inline constexpr const char* test_voice_invalid_digit = "<Say>Not a choice.</Say>";

// A whole TwiML document of these verbs.
std::string twiml(const std::string& verbs);

// The menu whose digit Twilio posts to `action`, then goodbye if nothing is pressed.
std::string menu_verbs(const std::string& action, const std::string& text = test_voice_menu);

// The path and query of the first <Gather>'s action, as Twilio would call it; a test failure
// and the menu path if there is none under test_public_url.
std::string action_target(const std::string& twiml_body);

// A call from `from` to test_hotline that presses `digits` at the menu's action: the answer
// to the digits.
http_result call_and_press(const http_endpoint& daemon, const std::string& sid,
                           const std::string& digits, const std::string& from);

// Voice for `address` is `state` for `reason` in both programs (allowed when opted in).
void expect_voice(const http_endpoint& daemon, const std::string& address, const char* state,
                  const char* reason);

}  // namespace optgate::testing
