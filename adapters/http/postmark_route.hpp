// POST /webhooks/postmark: Postmark's SubscriptionChange webhook. Checks the HTTP basic auth
// credentials Postmark sends from its webhook URL, journals the consent change (an unsubscribe
// or spam complaint, or a reactivation) before answering, and ignores every other record.
#pragma once

#include <memory>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"

namespace optgate {

void handle_postmark(service_context& service, request_context& context,
                     std::shared_ptr<reply_channel> reply);

}  // namespace optgate
