// Checks every API route makes before it does anything: the caller's API key and role, and
// the body's content type. A failed check answers the request itself.
#pragma once

#include <boost/json/object.hpp>
#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>

#include "adapters/http/http_types.hpp"
#include "adapters/http/string_list_body.hpp"
#include "core/api_key.hpp"
#include "core/provider_time.hpp"
#include "core/timestamp.hpp"

namespace optgate {

struct settings;

// The key the request's "Authorization: Bearer <key>" names, or nullptr if none is valid.
const api_key* authenticate_request(const http_request& request, const settings& config);
// 401 with WWW-Authenticate: Bearer.
http_response unauthorized_response(const http_request& request);

// The roles an API route asks of a key: any one of them will do.
using required_roles = std::span<const role>;

// The answer that refuses `request` by its header alone: 401 without a valid key, 403 when
// the key holds none of `roles`; nullopt when the key may call the route. The API routes ask
// it before the body is read (route_limits::before_body), so that no one without the route's
// role makes optgate read a body of megabytes, and again when they answer (authorize).
std::optional<http_response> access_refusal(const http_request& request, const settings& config,
                                            required_roles roles);

// The authenticated key if it holds one of `roles`; otherwise sends access_refusal's answer
// on `reply` and returns nullptr.
const api_key* authorize(const http_request& request, const settings& config, required_roles roles,
                         reply_channel& reply);

// True if the Content-Type's media type (parameters ignored) is `media_type`; otherwise
// answers 415 and returns false.
bool require_content_type(const http_request& request, std::string_view media_type,
                          reply_channel& reply);
// The same for a route that accepts any of `media_types` (SNS posts JSON as text/plain).
bool require_content_type(const http_request& request,
                          std::initializer_list<std::string_view> media_types,
                          reply_channel& reply);

// The body as a JSON object; otherwise answers 400 malformed_json and returns nullopt.
std::optional<boost::json::object> require_json_object(const http_request& request,
                                                       reply_channel& reply);

// `body` (the request's, or where it was moved) as `shape` says: a few strings and a list of
// strings, no JSON tree, the list's strings places in `body`; otherwise answers 400
// malformed_request (not a JSON object) or 413 too_many_<list> (more than shape.max_items,
// the setting `limit_key` names) and returns nullopt.
std::optional<string_list_body> require_string_list_body(const http_request& request,
                                                         std::string_view body,
                                                         const string_list_shape& shape,
                                                         std::string_view limit_key,
                                                         reply_channel& reply);

// True if `timestamp`, the Unix seconds at which `provider` signed the request (its field
// `timestamp_name`), lies within `window` of `now`, so that a captured request cannot be
// replayed later; otherwise logs it, answers 403 stale_timestamp and returns false.
bool require_fresh_signature(const request_context& context, std::string_view provider,
                             std::string_view timestamp, std::string_view timestamp_name,
                             signature_window window, epoch_ms now, reply_channel& reply);

}  // namespace optgate
