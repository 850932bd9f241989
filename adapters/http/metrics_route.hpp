// GET /metrics: every figure of the daemon in the Prometheus text exposition format 0.0.4
// (no authentication, like /healthz and /readyz).
#pragma once

#include <memory>
#include <string>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"

namespace optgate {

// The exposition text: counted families first, then figures read now.
std::string render_metrics(const service_context& service);

void handle_metrics(service_context& service, request_context& context,
                    std::shared_ptr<reply_channel> reply);

}  // namespace optgate
