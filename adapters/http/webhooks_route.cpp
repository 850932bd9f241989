#include "adapters/http/webhooks_route.hpp"

#include <spdlog/spdlog.h>

#include "adapters/http/feed_route.hpp"
#include "adapters/http/http_response.hpp"
#include "adapters/http/request_checks.hpp"
#include "core/feed_cursor.hpp"
#include "core/json_text.hpp"
#include "core/timestamp.hpp"

namespace optgate {
namespace {

// null for what was never set (0, or empty).
void append_text_or_null(std::string& out, const std::string& text) {
    if (text.empty())
        out += "null";
    else
        append_json_string(out, text);
}

void append_time_or_null(std::string& out, epoch_ms t) {
    append_text_or_null(out, t <= 0 ? std::string() : format_rfc3339(t));
}

// The receiver without the URL's query, which may carry a token of the receiver's.
std::string shown_url(const webhook_settings& hook) {
    const auto path_end = hook.target.find('?');
    return "https://" + hook.host + ":" + hook.port + hook.target.substr(0, path_end);
}

// How far the cursor is behind the feed's end, in seconds of the feed's clock (the
// milliseconds in each cursor); 0 when caught up, -1 when nothing was delivered yet.
double behind_seconds(const std::string& cursor, const std::string& end) {
    const auto at_end = parse_feed_cursor(end);
    // "0": nothing delivered since a gap sent the webhook back to the oldest change kept.
    if (cursor.empty() || cursor == "0") return at_end && at_end->first == 0 ? 0 : -1;
    const auto at = parse_feed_cursor(cursor);
    if (!at || !at_end || !feed_cursor_before(cursor, end)) return 0;
    return static_cast<double>(at_end->first - std::min(at_end->first, at->first)) / 1000.0;
}

void append_webhook(std::string& out, const webhook_settings& hook, const webhook_state& state,
                    const std::string& end) {
    out += "{\"name\":";
    append_json_string(out, hook.name);
    out += ",\"url\":";
    append_json_string(out, shown_url(hook));
    out += ",\"channels\":[";
    for (std::size_t i = 0; i < hook.channels.size(); ++i) {
        if (i) out.push_back(',');
        append_json_string(out, to_string(hook.channels[i]));
    }
    out += "],\"programs\":[";
    for (std::size_t i = 0; i < hook.programs.size(); ++i) {
        if (i) out.push_back(',');
        append_json_string(out, hook.programs[i]);
    }
    out += "],\"cursor\":";
    append_json_string(out, state.cursor.empty() ? "0" : state.cursor);
    const double behind = behind_seconds(state.cursor, end);
    out += ",\"lag_seconds\":";
    out += behind < 0 ? "null" : fmt::format("{:.3f}", behind);
    out += ",\"delivered_at\":";
    append_time_or_null(out, state.delivered_at);
    out += ",\"failures\":" + std::to_string(state.failures);
    out += ",\"failing_since\":";
    append_time_or_null(out, state.failing_since);
    out += ",\"last_error\":";
    append_text_or_null(out, state.last_error);
    out += ",\"last_error_at\":";
    append_time_or_null(out, state.last_error_at);
    out += ",\"delivered_by\":";
    append_text_or_null(out, state.holder);
    out.push_back('}');
}

}  // namespace

void handle_webhooks(service_context& service, request_context& context,
                     std::shared_ptr<reply_channel> reply) {
    const auto config = service.config.load();
    const auto& req = context.request;
    if (!authorize(req, *config, feed_roles, *reply)) return;
    const auto& hooks = config->feed.webhooks;
    if (hooks.empty() || !service.webhook_states)
        return reply->send(
            json_response(req, http::status::ok, "{\"feed_end\":null,\"webhooks\":[]}"));
    std::vector<std::string> names;
    for (const auto& hook : hooks) names.push_back(hook.name);
    service.webhook_states->read_states(
        names, [config, head = std::make_shared<http_request>(req.base()), reply,
                rid = context.request_id](std::error_code ec, std::vector<webhook_state> states,
                                          std::string end) {
            if (ec) {
                spdlog::warn("[req {}] webhooks: cannot read their state: {}; 503", rid,
                             ec.message());
                return reply->send(store_unavailable_response(*head, ec));
            }
            std::string body = "{\"feed_end\":";
            append_json_string(body, end);
            body += ",\"webhooks\":[";
            const auto& hooks = config->feed.webhooks;
            for (std::size_t i = 0; i < hooks.size() && i < states.size(); ++i) {
                if (i) body.push_back(',');
                append_webhook(body, hooks[i], states[i], end);
            }
            body += "]}";
            reply->send(json_response(*head, http::status::ok, std::move(body)));
        });
}

}  // namespace optgate
