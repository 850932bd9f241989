// The id that ties a request's log lines together and is echoed as X-Request-Id. A load
// balancer's X-Request-Id is kept when it is a sane token, so one id follows the request
// across both logs; otherwise optgate makes one, unique across instances and restarts (a
// random per-process prefix and a counter).
#pragma once

#include <string>
#include <string_view>

namespace optgate {

// `offered` is the request's X-Request-Id header, possibly empty.
std::string request_id_for(std::string_view offered);

// 128 random bits in hex, from the system's random source: a dedupe key for an event that
// nothing outside names (an admin change without a request id, a one-click), which must
// never meet another's, whatever the restarts and instances.
std::string random_event_id();

}  // namespace optgate
