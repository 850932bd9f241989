// GET and POST /unsubscribe/{token}: optgate's own RFC 8058 one-click links. POST with
// List-Unsubscribe=One-Click opts the token's address out of the token's program on email;
// GET only shows a page with one button (mail scanners prefetch links: GET changes nothing).
#pragma once

#include <memory>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"

namespace optgate {

void handle_unsubscribe_page(service_context& service, request_context& context,
                             std::shared_ptr<reply_channel> reply);
void handle_one_click_unsubscribe(service_context& service, request_context& context,
                                  std::shared_ptr<reply_channel> reply);

}  // namespace optgate
