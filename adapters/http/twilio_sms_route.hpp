// POST /webhooks/twilio/sms: Twilio's inbound-message webhook. Verifies X-Twilio-Signature,
// journals the keyword's events before answering, and replies with TwiML.
#pragma once

#include <memory>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"

namespace optgate {

void handle_twilio_sms(service_context& service, request_context& context,
                       std::shared_ptr<reply_channel> reply);

}  // namespace optgate
