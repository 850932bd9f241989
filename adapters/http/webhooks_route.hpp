// GET /v1/webhooks: each configured webhook (feed.webhooks) as every instance shares it in
// Redis: its cursor, how far it is behind the feed's end, when it last delivered, its
// failures and last error, and which instance delivers it (optgatectl feed-status).
#pragma once

#include <memory>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"

namespace optgate {

void handle_webhooks(service_context& service, request_context& context,
                     std::shared_ptr<reply_channel> reply);

}  // namespace optgate
