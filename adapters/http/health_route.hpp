// GET /healthz (the process is alive) and GET /readyz (it can serve: the store is
// reachable and the journal writable; says which part is degraded).
#pragma once

#include <memory>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"

namespace optgate {

void handle_healthz(service_context& service, request_context& context,
                    std::shared_ptr<reply_channel> reply);
void handle_readyz(service_context& service, request_context& context,
                   std::shared_ptr<reply_channel> reply);

}  // namespace optgate
