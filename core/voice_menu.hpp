// What a call to the hotline means (SPEC "Voice"): the menu the caller hears, the consent
// events a digit carries, and what is said when nothing can change; decided from the (already
// verified) Twilio Voice form and the voice policy of the config. The adapter renders the
// verbs as TwiML and journals the events.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/consent.hpp"
#include "core/form_urlencoded.hpp"
#include "core/opt_out_scope.hpp"

namespace optgate {

// What callers hear; the config fills every text (config/optgate.example.yaml).
struct voice_prompts {
    std::string menu;            // said while waiting for 1 or 2
    std::string opted_in;        // after 1
    std::string opted_out;       // after 2
    std::string invalid_caller;  // the caller id is withheld or not a phone number
    std::string invalid_digit;   // after any other digit, before the menu is said again
    std::string goodbye;         // no digit, or a second wrong one: nothing changed
};

struct voice_policy {
    std::vector<std::string> hotlines;  // E.164: calls to any other number are hung up on
    std::vector<std::string> programs;  // the programs a digit sets voice consent for
    // How far the 2 (an opt-out) reaches beyond `programs`, over `all_programs`.
    opt_out_scope scope = opt_out_scope::program;
    std::vector<program_purpose> all_programs;
    voice_prompts prompts;
    std::string language;  // of every <Say> ("en-US"); empty: Twilio's default
    std::string default_country = "US";
};

enum class voice_verb_kind {
    say,     // <Say>text</Say>
    gather,  // <Gather numDigits="1" action="public_url+action" method="POST"><Say>text</Say>
    hangup,  // <Hangup/>
};

struct voice_verb {
    voice_verb_kind kind;
    std::string text;    // say, gather: what is said
    std::string action;  // gather: the path and query Twilio posts the digit to
    friend bool operator==(const voice_verb&, const voice_verb&) = default;
};

enum class voice_outcome {
    menu,             // a call to a hotline from an identified caller: the menu
    confirmed,        // 1 or 2: the events, the confirmation, hang up
    menu_repeated,    // another digit, or none, the first time: the menu once more
    gave_up,          // another digit, or none, the second time: goodbye, nothing changed
    withheld_caller,  // caller id withheld or invalid: say why, hang up, nothing changed
    not_a_hotline,    // To is not a configured hotline: hang up (logged)
    missing_fields,   // CallSid or To absent: the request is malformed
};

std::string_view to_string(voice_outcome outcome);

struct voice_plan {
    voice_outcome outcome = voice_outcome::missing_fields;
    std::vector<consent_event> events;  // to journal and apply; only when confirmed
    std::vector<voice_verb> verbs;      // the TwiML <Response>, in order
};

constexpr std::string_view twilio_voice_source = "twilio-voice";
// Where the menu's <Gather> sends the digit; "?attempt=2" marks the repeated menu (Twilio
// signs the query with the rest of the URL, so it cannot be forged).
constexpr std::string_view twilio_voice_menu_path = "/webhooks/twilio/voice/menu";

// POST /webhooks/twilio/voice: a call comes in.
voice_plan plan_voice_call(const form_fields& form, const voice_policy& policy);

// POST /webhooks/twilio/voice/menu: the caller pressed `Digits` (or nothing). `query` is the
// request target's query string, without "?".
voice_plan plan_voice_menu(const form_fields& form, std::string_view query,
                           const voice_policy& policy, epoch_ms received);

}  // namespace optgate
