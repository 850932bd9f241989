// What the routes work with: the configuration, the consent store's reads, the journal's
// writes, the token binder and the clock, all behind interfaces (core/consent_ports.hpp) that
// unit tests fake. One instance, owned by the daemon, outliving the server.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

#include "adapters/http/http_metrics.hpp"
#include "adapters/metrics/metric_families.hpp"
#include "config/settings.hpp"
#include "core/consent_ports.hpp"
#include "core/timestamp.hpp"
#include "core/token_binder.hpp"
#include "core/webhook_ports.hpp"

namespace optgate {

// One config as a request sees it from start to end. SIGHUP replaces the running one and
// frees the last: a route that answers after an asynchronous step (Redis, the journal)
// keeps its snapshot, or a part_of() it, never a plain pointer or reference into it.
using settings_snapshot = std::shared_ptr<const settings>;

// A part of a snapshot (a program, a provider's settings) that keeps the whole snapshot alive.
template <class Part>
std::shared_ptr<const Part> part_of(const settings_snapshot& snapshot, const Part& part) {
    return std::shared_ptr<const Part>(snapshot, &part);
}

struct service_context {
    // Replaced whole on SIGHUP; a request takes one snapshot and keeps it to its end.
    std::atomic<settings_snapshot> config;
    consent_reader& reads;
    consent_writer& writes;
    // Tokens bound to one request, for webhooks whose body is not signed (Mailgun).
    token_binder& tokens;
    // optgate_events_total{source,kind,outcome}, as the applier counts them.
    const counter_family& event_counts;
    std::function<epoch_ms()> now;               // injected so tests can control time
    std::chrono::milliseconds apply_wait{2000};  // how long an admin change waits for Redis
    http_metrics metrics{};                      // counted by the routes and sessions
    // Runs a function after a delay (a long poll's next look); injected so tests control
    // time. Unset: a long poll looks once.
    std::function<void(std::chrono::milliseconds, std::function<void()>)> after{};
    // The webhooks' shared ledger (GET /v1/webhooks) and this instance's delivery loops
    // (/readyz, /metrics); unset: none are shown.
    webhook_ledger* webhook_states = nullptr;
    const webhook_monitor* webhooks = nullptr;
    // Set once the daemon is stopping: a long poll answers with what it has rather than
    // holding its connection (and the drain) until its wait is over.
    std::atomic<bool> draining{false};
};

}  // namespace optgate
