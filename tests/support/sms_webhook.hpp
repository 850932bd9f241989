// Inbound SMS as Twilio delivers it to the daemon: the webhook path, the short codes the test
// config knows, and correctly signed form posts.
#pragma once

#include <string>

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
http_result send_sms(const daemon_process& daemon, const std::string& from, const std::string& to,
                     const std::string& body, const std::string& sid);

}  // namespace optgate::testing
