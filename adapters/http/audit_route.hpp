// GET /v1/audit?since=&until=&format=ndjson|csv: the audit trail of a time range (by time
// received), streamed page by page so that years of entries never sit in memory at once.
#pragma once

#include <array>
#include <memory>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"
#include "core/api_key.hpp"

namespace optgate {

// Who may read the audit trail.
inline constexpr std::array audit_roles{role::audit};

void handle_audit(service_context& service, request_context& context,
                  std::shared_ptr<reply_channel> reply);

}  // namespace optgate
