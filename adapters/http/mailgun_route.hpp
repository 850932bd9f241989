// POST /webhooks/mailgun: Mailgun's webhooks. Verifies the HMAC signature and its timestamp,
// refuses a token seen before (the body is not signed), and journals an unsubscribe or
// complaint before answering. Mailgun stops retrying on 406 only: a request that can never
// succeed gets 406, a bad signature 403, and what may succeed later 503.
#pragma once

#include <memory>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"

namespace optgate {

void handle_mailgun(service_context& service, request_context& context,
                    std::shared_ptr<reply_channel> reply);

}  // namespace optgate
