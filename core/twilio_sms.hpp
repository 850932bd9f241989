// What an inbound Twilio SMS means: which consent events it carries and which reply it
// gets, decided from the (already verified) form fields and the SMS policy of the config.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/consent.hpp"
#include "core/form_urlencoded.hpp"
#include "core/sms_keyword.hpp"

namespace optgate {

struct sms_replies {
    std::string opt_out;
    std::string opt_in;
    std::string help;
};

struct sms_policy {
    std::map<std::string, std::string> short_codes;  // short code (or number) -> program
    std::vector<std::string> programs;               // every configured program, for STOPALL
    keyword_rules keywords;
    bool replies_enabled = true;
    sms_replies replies;
    std::string default_country = "US";
};

enum class sms_status {
    handled,             // a keyword or plain text from a valid sender to a known short code
    unknown_short_code,  // To is not a configured short code: an opt-out stops every program
                         // (logged); anything else changes nothing
    invalid_sender,      // From is not a phone number we can normalise: nothing changes
    missing_fields,      // MessageSid, From or To absent: the request is malformed
};

struct sms_plan {
    sms_status status = sms_status::handled;
    keyword_result keyword;
    std::string program;                // the short code's program (empty if unknown)
    std::vector<consent_event> events;  // to journal and apply; empty for help or plain text
    std::optional<std::string> reply;   // the TwiML <Message>, if any
};

constexpr std::string_view twilio_sms_source = "twilio-sms";

sms_plan plan_twilio_sms(const form_fields& form, const sms_policy& policy, epoch_ms received);

}  // namespace optgate
