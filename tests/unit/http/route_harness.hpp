// The API routes in process, as a session serves them (header checks, body limit, dispatch),
// over a fake journal and store and a clock the test sets: the status, headers and body of
// every answer without a daemon, Redis or a socket.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <sstream>
#include <string>

#include "adapters/http/router.hpp"
#include "adapters/http/service_context.hpp"
#include "adapters/metrics/metric_families.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_endpoint.hpp"
#include "tests/unit/http/fake_consent.hpp"
#include "tests/unit/http/fake_tokens.hpp"

namespace optgate::testing {

class route_harness final : public http_endpoint {
  public:
    // default_test_config, with `extra` top-level YAML and `extra_providers` as it takes them.
    explicit route_harness(const std::string& extra = {}, const std::string& extra_providers = {});
    ~route_harness() override;
    route_harness(const route_harness&) = delete;
    route_harness& operator=(const route_harness&) = delete;

    // The answer to one request; status 0 if no route answered before returning.
    http_result request(const http_call& call) const override;

    // The Redis URL and key prefix the harness's configs name (nothing connects to them).
    static constexpr const char* redis_url = "redis://127.0.0.1:1";
    static constexpr const char* key_prefix = "unit:";

    // Replaces the running config, as SIGHUP does (a test that needs another config than the
    // default starts with this): default_test_config with these additions, or a whole config.
    void reload(const std::string& extra, const std::string& extra_providers = {});
    void load(const std::string& config_yaml);
    // As SIGTERM does before the drain.
    void start_draining() { service_->draining = true; }

    // What the routes logged since the harness was made, a line each as "<level> <message>"
    // (the default logger is the harness's until it goes, at debug level).
    std::string log_text() const { return log_.str(); }

    fake_consent consent;
    fake_tokens tokens;
    // 2026-12-01T00:00:00Z; tests move it, and every request is received a millisecond after
    // the last (no two at once, as with a real clock).
    mutable epoch_ms now = 1'796'083'200'000;

  private:
    std::ostringstream log_;
    std::shared_ptr<spdlog::logger> previous_logger_;
    counter_family event_counts_{
        "optgate_events_total", "Consent events applied.", {"source", "kind", "outcome"}};
    std::unique_ptr<service_context> service_;
    router routes_;
};

}  // namespace optgate::testing
