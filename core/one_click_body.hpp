// The body of an RFC 8058 one-click unsubscribe: the one field List-Unsubscribe=One-Click,
// which mail clients send as multipart/form-data (the RFC's SHOULD) or urlencoded (its MAY).
#pragma once

#include <optional>
#include <string_view>

#include "core/form_urlencoded.hpp"

namespace optgate {

// The fields of a multipart/form-data body (RFC 7578) whose Content-Type parameter
// boundary is `boundary`, in order; nullopt when the body is not well formed.
std::optional<form_fields> parse_multipart_form(std::string_view boundary, std::string_view body);

// True when the request is exactly the one-click signal: Content-Type (parameters included)
// application/x-www-form-urlencoded or multipart/form-data, and a body holding the single
// field List-Unsubscribe with the value One-Click.
bool is_one_click_unsubscribe(std::string_view content_type, std::string_view body);

}  // namespace optgate
