// Building responses: JSON errors of SPEC ({"error":{"code","message"}}), JSON bodies,
// TwiML, plain text; each carries the request's version and keep-alive.
#pragma once

#include <string>
#include <string_view>
#include <system_error>

#include "adapters/http/http_types.hpp"

namespace optgate {

http_response make_response(const http_request& request, http::status status,
                            std::string_view content_type, std::string body);
http_response json_response(const http_request& request, http::status status, std::string body);
// 200 {"status":"<status>"}: how the email webhooks acknowledge ("journaled", "ignored", ...).
http_response status_json_response(const http_request& request, std::string_view status);
http_response error_response(const http_request& request, http::status status,
                             std::string_view code, std::string_view message);
// 503 with Retry-After: the store or journal cannot serve now; the caller should retry.
http_response unavailable_response(const http_request& request, std::string_view message);
// Why a read of the consent store failed with `ec`: unreachable, or lost data.
std::string_view store_unavailable_message(std::error_code ec);
// The 503 of a read of the consent store that failed with `ec`.
http_response store_unavailable_response(const http_request& request, std::error_code ec);
http_response twiml_response(const http_request& request, std::string twiml);

}  // namespace optgate
