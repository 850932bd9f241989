// The figures the HTTP side counts itself: requests by route and status with their
// latencies, check recipients by decision and reason, and provider opt-ins not applied (GET
// /metrics renders them).
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
    // `provider` and `reason` come from fixed lists in the routes, never from a request.
    counter_family opt_ins_not_applied{
        "optgate_opt_ins_not_applied_total",
        "Provider signals to send email again that were answered 2xx and opted no one in: "
        "Postmark reactivations (not the family's act) and SendGrid resubscribes to groups "
        "email.groups does not map, by provider and reason.",
        {"provider", "reason"}};
    std::atomic<std::int64_t> open_connections{0};  // sessions alive, over the cap or not
};

}  // namespace optgate
