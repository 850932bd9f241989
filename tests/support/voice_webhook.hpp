// Calls to the hotline as Twilio Voice delivers them to the daemon: the webhook paths, the
// call form, and correctly signed posts of a call coming in and of the digit pressed.
#pragma once

#include <optional>
#include <string>

#include "core/form_urlencoded.hpp"
#include "tests/support/http_client.hpp"
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

}  // namespace optgate::testing
