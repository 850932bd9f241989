// POST /webhooks/sendgrid: SendGrid's Signed Event Webhook. Verifies the ECDSA signature and
// its timestamp, reads the batch of events, and journals the consent events of the whole
// batch in one submit before answering; events it cannot use are skipped and logged.
#pragma once

#include <memory>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"

namespace optgate {

void handle_sendgrid(service_context& service, request_context& context,
                     std::shared_ptr<reply_channel> reply);

}  // namespace optgate
