#include "adapters/http/health_route.hpp"

#include "adapters/http/http_response.hpp"
#include "core/json_text.hpp"

#include <algorithm>

namespace optgate {
namespace {

// ,"webhooks":{"<name>":{"state":...,...}}: a receiver that is down is shown here but never
// makes optgate unready (ingest and checks do not depend on it). State: delivering, failing
// (with how long and how many attempts), standby (another instance delivers it),
// config_differs (another instance delivers it with another URL, channels or programs),
// ledger_unreachable, or waiting (while consent answers are held).
void append_webhook_health(std::string& body, const service_context& service) {
    if (!service.webhooks) return;
    const auto reports = service.webhooks->reports();
    if (reports.empty()) return;
    const auto now = service.now();
    body += ",\"webhooks\":{";
    for (std::size_t i = 0; i < reports.size(); ++i) {
        const auto& r = reports[i];
        if (i) body.push_back(',');
        append_json_string(body, r.name);
        body += ":{\"state\":";
        const char* state = r.waiting             ? "\"waiting\""
                            : !r.ledger_reachable ? "\"ledger_unreachable\""
                            : r.config_differs    ? "\"config_differs\""
                            : !r.delivering       ? "\"standby\""
                            : r.failures > 0      ? "\"failing\""
                                                  : "\"delivering\"";
        body += state;
        if (r.delivering && r.failures > 0) {
            body += ",\"failures\":" + std::to_string(r.failures);
            body += ",\"failing_seconds\":" +
                    std::to_string(std::max<epoch_ms>(0, now - r.failing_since) / 1000);
        }
        body.push_back('}');
    }
    body.push_back('}');
}

}  // namespace

void handle_healthz(service_context&, request_context& context,
                    std::shared_ptr<reply_channel> reply) {
    reply->send(json_response(context.request, http::status::ok, "{\"status\":\"ok\"}"));
}

void handle_readyz(service_context& service, request_context& context,
                   std::shared_ptr<reply_channel> reply) {
    const bool redis_up = service.reads.available();
    const bool journal_ok = service.writes.journal_writable();
    // Held while a (re)connected Redis is verified or the journal is applied to it again.
    const bool answering = service.writes.answering();
    const auto durable = service.writes.durable_seq();
    const auto applied = service.writes.applied_seq();
    const bool ready = redis_up && journal_ok && answering;
    std::string body = "{\"ready\":";
    body += ready ? "true" : "false";
    body += ",\"redis\":\"";
    body += redis_up ? "ok" : "unavailable";
    body += "\",\"journal\":\"";
    body += journal_ok ? "ok" : "failing";
    body += "\",\"consent\":\"";
    body += answering ? "ok\"" : "verifying\"";
    // Why, when it is not merely verifying: an evicting Redis, a reads connection astray.
    if (const auto reason = service.writes.hold_reason(); !answering && !reason.empty()) {
        body += ",\"consent_reason\":";
        append_json_string(body, reason);
    }
    body += ",\"journaled_not_applied\":";
    body += std::to_string(durable > applied ? durable - applied : 0);
    append_webhook_health(body, service);
    body += "}";
    reply->send(json_response(context.request,
                              ready ? http::status::ok : http::status::service_unavailable,
                              std::move(body)));
}

}  // namespace optgate
