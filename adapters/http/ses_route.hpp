// POST /webhooks/ses: Amazon SES notifications delivered by Amazon SNS. Accepts configured
// topics only, verifies the SNS signature with the configured certificate, journals the
// opt-outs of a complaint before answering, and logs subscription confirmations for the
// operator to confirm (optgate never fetches a URL itself).
#pragma once

#include <memory>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"

namespace optgate {

void handle_ses(service_context& service, request_context& context,
                std::shared_ptr<reply_channel> reply);

}  // namespace optgate
