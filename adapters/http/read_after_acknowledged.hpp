// Reads that see every acknowledged event: before a route reads consent, it waits until all
// that the journal had acknowledged when the request arrived is applied to Redis.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"

namespace optgate {

// Calls `read` once caught up; answers 503 (Retry-After) itself if the store is unreachable
// or the backlog is not applied within service.apply_wait. `read` runs on the pipeline's strand.
void read_after_acknowledged(service_context& service, const request_context& context,
                             std::shared_ptr<reply_channel> reply, std::function<void()> read);

}  // namespace optgate
