// GET /v1/changes?after=&limit=&wait=: the change feed, every applied change after a cursor
// as NDJSON, oldest first, with the cursor to ask after next (docs/http-api.md).
#pragma once

#include <array>
#include <memory>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"
#include "core/api_key.hpp"

namespace optgate {

// Who may follow the feed: the auditors, and keys for the district's systems that read only it.
inline constexpr std::array feed_roles{role::audit, role::feed};

void handle_changes(service_context& service, request_context& context,
                    std::shared_ptr<reply_channel> reply);

}  // namespace optgate
