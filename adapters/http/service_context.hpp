// What the routes work with: the configuration, the consent store, the event pipeline and
// the clock. One instance, owned by the daemon, outliving the server.
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include "adapters/http/http_metrics.hpp"
#include "adapters/journal/event_pipeline.hpp"
#include "adapters/redis/consent_store.hpp"
#include "adapters/redis/replay_guard.hpp"
#include "config/settings.hpp"
#include "core/timestamp.hpp"

namespace optgate {

struct service_context {
    // Replaced whole on SIGHUP; a request takes one snapshot and keeps it to its end.
    std::atomic<std::shared_ptr<const settings>> config;
    consent_store& store;
    event_pipeline& pipeline;
    // Tokens bound to one request, for webhooks whose body is not signed (Mailgun).
    replay_guard& replays;
    std::function<epoch_ms()> now;               // injected so tests can control time
    std::chrono::milliseconds apply_wait{2000};  // how long an admin change waits for Redis
    http_metrics metrics{};                      // counted by the routes and sessions
};

}  // namespace optgate
