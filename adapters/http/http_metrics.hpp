// The figures the HTTP side counts itself: requests by route and status with their
// latencies, and check recipients by decision and reason (GET /metrics renders them).
#pragma once

#include <atomic>
#include <cstdint>

#include "adapters/metrics/metric_families.hpp"

namespace optgate {

// Threads: any (the families are thread-safe).
struct http_metrics {
    // `route` is a route pattern of the router ("/v1/consent/*") or "other", never a raw path.
    counter_family requests{"optgate_http_requests_total",
                            "HTTP requests answered, by route pattern and status.",
                            {"route", "status"}};
    histogram_family request_seconds{
        "optgate_http_request_duration_seconds",
        "From a request read to its response written, by route pattern (webhooks, checks, ...).",
        {"route"}};
    counter_family check_recipients{
        "optgate_check_recipients_total",
        "Recipients answered by POST /v1/check, by decision and reason.",
        {"decision", "reason"}};
    std::atomic<std::int64_t> open_connections{0};  // sessions alive, over the cap or not
};

}  // namespace optgate
