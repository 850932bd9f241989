// POST /v1/unsubscribe-links: a broadcast system asks for the one-click unsubscribe URL of
// each address it is about to email, for one program; answered in input order.
#pragma once

#include <memory>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"

namespace optgate {

void handle_unsubscribe_links(service_context& service, request_context& context,
                              std::shared_ptr<reply_channel> reply);

}  // namespace optgate
