// What an inbound Twilio SMS means: which consent events it carries and which reply it
// gets, decided from the (already verified) form fields and the SMS policy of the config.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/consent.hpp"
#include "core/form_urlencoded.hpp"
#include "core/opt_out_scope.hpp"
#include "core/sms_keyword.hpp"

namespace optgate {

struct sms_policy {
    std::map<std::string, std::string> short_codes;  // short code (or number) -> program
    std::vector<program_purpose> programs;           // every configured program: STOPALL, the scope
    keyword_rules keywords;
    opt_out_scope scope = opt_out_scope::program;
    bool replies_enabled = true;
    // Each language's replies, by BCP 47 tag. A language without its own is answered in the
    // first it narrows ("es-MX" in "es"), else (Twilio's own opt-out reading has no language)
    // in `fallback_language`.
    std::map<std::string, sms_replies> replies;
    std::string fallback_language = "en";
    std::string default_country = "US";

    // The replies of `language` or of the first language it narrows; nullptr if none has any.
    const sms_replies* replies_of(std::string_view language) const;
    // replies_of(language), else the fallback language's (else none).
    const sms_replies& replies_in(std::string_view language) const;
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
    std::optional<std::string> reply;   // the TwiML <Message>, if any, in the keyword's language
};

constexpr std::string_view twilio_sms_source = "twilio-sms";

sms_plan plan_twilio_sms(const form_fields& form, const sms_policy& policy, epoch_ms received);

}  // namespace optgate
