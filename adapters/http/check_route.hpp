// POST /v1/check: which recipients may be reached on a channel for a program, in input
// order, up to millions per request. Fails closed: no answer without the store.
#pragma once

#include <array>
#include <memory>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"
#include "core/api_key.hpp"

namespace optgate {

// Who may check: a key with this role, known from the header before the body is read.
inline constexpr std::array check_roles{role::check};

void handle_check(service_context& service, request_context& context,
                  std::shared_ptr<reply_channel> reply);

}  // namespace optgate
