// GET /v1/consent/{address}: every record of the address and its audit history.
// PUT /v1/consent/{address}: an admin change (or, with source "import", a bulk-import row
// to which rule 7 applies), journaled and applied like any provider event.
#pragma once

#include <array>
#include <memory>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"
#include "core/api_key.hpp"

namespace optgate {

// Who may read an address's consent, and who may change it (a key with any one of the roles).
inline constexpr std::array read_consent_roles{role::admin, role::audit};
inline constexpr std::array change_consent_roles{role::admin};

void handle_get_consent(service_context& service, request_context& context,
                        std::shared_ptr<reply_channel> reply);
void handle_put_consent(service_context& service, request_context& context,
                        std::shared_ptr<reply_channel> reply);

}  // namespace optgate
