// The HTTP interface of SPEC: every path, its handler, its body limit and deadline.
#pragma once

#include "adapters/http/router.hpp"
#include "adapters/http/service_context.hpp"

namespace optgate {

router make_api_routes(service_context& service);

}  // namespace optgate
