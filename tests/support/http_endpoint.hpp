// Whatever answers the tests' HTTP calls: the daemon over a loopback socket
// (daemon_process), or its routes in process over fakes (tests/unit/http's route_harness).
// The request helpers (post_check, send_sms, ...) take either.
#pragma once

#include "tests/support/http_client.hpp"

namespace optgate::testing {

class http_endpoint {
  public:
    virtual ~http_endpoint() = default;
    virtual http_result request(const http_call& call) const = 0;
};

}  // namespace optgate::testing
