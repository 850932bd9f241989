// Checks every API route makes before it does anything: the caller's API key and role, and
// the body's content type. A failed check answers the request itself.
#pragma once

#include <initializer_list>
#include <string_view>

#include "adapters/http/http_types.hpp"
#include "core/api_key.hpp"

namespace optgate {

struct settings;

// The authenticated key if it holds one of `roles`; otherwise answers 401 (no or unknown
// key) or 403 (missing role) on `reply` and returns nullptr.
const api_key* authorize(const http_request& request, const settings& config,
                         std::initializer_list<role> roles, reply_channel& reply);

// True if the Content-Type's media type (parameters ignored) is `media_type`; otherwise
// answers 415 and returns false.
bool require_content_type(const http_request& request, std::string_view media_type,
                          reply_channel& reply);
// The same for a route that accepts any of `media_types` (SNS posts JSON as text/plain).
bool require_content_type(const http_request& request,
                          std::initializer_list<std::string_view> media_types,
                          reply_channel& reply);

}  // namespace optgate
