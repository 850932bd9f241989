// POST /webhooks/twilio/voice and /webhooks/twilio/voice/menu: the hotline (SPEC "Voice").
// A call gets the menu; the digit posted to the menu route sets voice consent for the caller,
// journaled before the confirmation is answered. Both verify X-Twilio-Signature as SMS does.
#pragma once

#include <memory>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"

namespace optgate {

// "A call comes in": the menu, or why nothing can be changed, or a hang-up.
void handle_twilio_voice(service_context& service, request_context& context,
                         std::shared_ptr<reply_channel> reply);

// The menu's <Gather> action: Digits 1 or 2, or the menu once more.
void handle_twilio_voice_menu(service_context& service, request_context& context,
                              std::shared_ptr<reply_channel> reply);

}  // namespace optgate
