// Inbound SMS as Twilio delivers it to the daemon: the webhook path, the short codes the test
// config knows, and correctly signed form posts.
#pragma once

#include <string>
#include <string_view>

#include "core/form_urlencoded.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/twilio_webhook.hpp"

namespace optgate::testing {

inline constexpr const char* sms_path = "/webhooks/twilio/sms";
// The short codes default_test_config configures.
inline constexpr const char* district_code = "60680";
inline constexpr const char* emergency_code = "54968";

// A MessageSid in Twilio's form ("SM" and 32 hex digits), distinct for each n.
std::string message_sid(unsigned n);

form_fields sms_fields(const std::string& from, const std::string& to, const std::string& body,
                       const std::string& sid);

// A correctly signed inbound SMS, for any port (a daemon that restarts changes its port).
http_call sms_call(const std::string& from, const std::string& to, const std::string& body,
                   const std::string& sid);

// A correctly signed inbound SMS.
http_result send_sms(const http_endpoint& daemon, const std::string& from, const std::string& to,
                     const std::string& body, const std::string& sid);

// The replies default_test_config configures.
inline constexpr const char* opt_out_reply =
    "Test district: no more texts. Reply START to resubscribe.";
inline constexpr const char* opt_in_reply =
    "Test district: texts again. Reply STOP to unsubscribe.";
inline constexpr const char* help_reply = "Test district messages. Reply STOP to unsubscribe.";

// A 200 TwiML answer with exactly `body`.
void expect_twiml(const http_result& result, const std::string& body);

// The TwiML bodies the daemon answers Twilio with.
std::string twiml_message(std::string_view reply);
std::string twiml_empty();

}  // namespace optgate::testing
