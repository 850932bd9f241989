// POST /v1/unsubscribe-links: a broadcast system asks for the one-click unsubscribe URL of
// each address it is about to email, for one program; answered in input order.
#pragma once

#include <array>
#include <memory>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"
#include "core/api_key.hpp"

namespace optgate {

// Who may ask for links: the broadcast systems, which check before they send.
inline constexpr std::array unsubscribe_links_roles{role::check};

void handle_unsubscribe_links(service_context& service, request_context& context,
                              std::shared_ptr<reply_channel> reply);

}  // namespace optgate
