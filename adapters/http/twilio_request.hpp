// The checks every Twilio webhook (SMS, voice) makes before it reads the form, in SPEC's
// order: Twilio configured (else 404), an urlencoded body (415), a form that parses (400),
// X-Twilio-Signature over public_url + target and every param (403). A failed check answers
// the request itself and changes nothing.
#pragma once

#include <optional>
#include <string_view>

#include "adapters/http/http_types.hpp"
#include "config/settings.hpp"
#include "core/form_urlencoded.hpp"

namespace optgate {

// The verified form, or nullopt once the refusal is sent on `reply`. `webhook` names the
// route in the log ("twilio sms").
std::optional<form_fields> verified_twilio_form(const settings& config,
                                                const request_context& context,
                                                reply_channel& reply, std::string_view webhook);

}  // namespace optgate
