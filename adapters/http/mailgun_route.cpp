#include "adapters/http/mailgun_route.hpp"

#include <spdlog/spdlog.h>

#include "adapters/http/http_response.hpp"
#include "adapters/http/journal_then_answer.hpp"
#include "adapters/http/json_fields.hpp"
#include "adapters/http/request_checks.hpp"
#include "core/address_mask.hpp"
#include "core/digest.hpp"
#include "core/mailgun_event.hpp"
#include "core/mailgun_signature.hpp"
#include "core/provider_time.hpp"

namespace optgate {
namespace {

constexpr std::string_view replay_scope = "mailgun";
// A token is kept as long as its signature is accepted, so that it cannot be replayed while
// it is: from a timestamp at the window's front edge to its back edge.
constexpr std::chrono::milliseconds token_window{mailgun_signature_window.width()};
// Mailgun's tokens are 50 characters; a longer one is not Mailgun's and is not stored.
constexpr std::size_t max_token = 256;

// 406: Mailgun never retries it. For requests that no retry can make acceptable.
void refuse(const http_request& req, reply_channel& reply, std::string_view code,
            std::string_view message) {
    reply.send(error_response(req, http::status::not_acceptable, code, message));
}

// What a verified request whose token is bound to it asks for: refused, ignored, or events
// journaled.
void answer_bound(service_context& service, const settings& config, const request_context& context,
                  const boost::json::object& body, std::shared_ptr<reply_channel> reply) {
    const auto& req = context.request;
    const auto& rid = context.request_id;
    const auto* data = object_field(body, "event-data");
    if (!data) return refuse(req, *reply, "missing_fields", "event-data is required");
    const mailgun_event event{string_field(*data, "event"), string_field(*data, "recipient"),
                              unix_seconds_field(*data, "timestamp"), string_field(*data, "id")};
    auto plan = plan_mailgun_event(event, config.email.unsubscribe_programs, service.now());
    const std::string masked = mask_address(event.recipient);
    switch (plan.status) {
        case mailgun_event_status::ignored:
            spdlog::info("[req {}] mailgun: not an unsubscribe or complaint; no change", rid);
            return reply->send(status_json_response(req, "ignored"));
        case mailgun_event_status::missing_fields:
            spdlog::warn("[req {}] mailgun: event for {} lacks its type or id; refused", rid,
                         masked);
            return refuse(req, *reply, "missing_fields",
                          "event-data.event, and for a consent event id, are required");
        case mailgun_event_status::invalid_recipient:
            spdlog::warn("[req {}] mailgun: {} for {}, not a valid email address; refused", rid,
                         event.type, masked);
            return refuse(req, *reply, "invalid_recipient",
                          "event-data.recipient is not a valid email address");
        case mailgun_event_status::consent:
            if (!event.time)
                spdlog::info(
                    "[req {}] mailgun: {} by {} has no readable timestamp; dated at its "
                    "receipt",
                    rid, event.type, masked);
            break;
    }
    journal_email_events(service, plan.events, context,
                         fmt::format("mailgun: {} by {}", event.type, masked), std::move(reply));
}

}  // namespace

void handle_mailgun(service_context& service, request_context& context,
                    std::shared_ptr<reply_channel> reply) {
    const auto config = service.config.load();
    const auto& req = context.request;
    const auto& rid = context.request_id;
    if (!config->providers.mailgun)
        return reply->send(
            error_response(req, http::status::not_found, "not_found", "Mailgun is not configured"));
    if (!require_content_type(req, "application/json", *reply)) return;
    auto body = parse_json_object(req.body());
    if (!body) return refuse(req, *reply, "malformed_json", "the body is not a JSON object");
    const auto* signature = object_field(*body, "signature");
    const std::string_view timestamp = signature ? string_field(*signature, "timestamp") : "";
    const std::string_view token = signature ? string_field(*signature, "token") : "";
    const std::string_view presented = signature ? string_field(*signature, "signature") : "";
    if (timestamp.empty() || token.empty() || token.size() > max_token || presented.empty())
        return refuse(req, *reply, "missing_fields",
                      "signature.timestamp, signature.token and signature.signature are required");
    if (!verify_mailgun_signature(config->providers.mailgun->signing_key, timestamp, token,
                                  presented)) {
        spdlog::warn("[req {}] mailgun: bad signature; refused", rid);
        return reply->send(error_response(req, http::status::forbidden, "bad_signature",
                                          "signature.signature does not match"));
    }
    if (!require_fresh_signature(context, "mailgun", timestamp, "signature.timestamp",
                                 mailgun_signature_window, service.now(), *reply))
        return;
    // Every verified request binds its token to its body, whatever its event: the body is
    // not signed, so a captured "delivered" must not carry a forged unsubscribe. Mailgun's
    // retry of the same request (the same bytes) finds the token bound to it.
    const std::string fingerprint = to_hex(sha256(req.body()));
    const std::string bound_token(token);  // `token` views the body, moved below
    request_context head{http_request(req.base()), context.request_id};
    service.tokens.bind(
        replay_scope, bound_token, fingerprint, token_window,
        [&service, config, head = std::move(head), body = std::move(*body),
         reply = std::move(reply)](std::error_code ec, token_use use) mutable {
            const auto& rid = head.request_id;
            if (ec) {
                spdlog::error(
                    "[req {}] mailgun: the token cannot be checked ({}); 503 so "
                    "Mailgun retries",
                    rid, ec.message());
                return reply->send(unavailable_response(
                    head.request, "Redis, which keeps Mailgun's tokens, is unavailable"));
            }
            if (use == token_use::other) {
                spdlog::warn(
                    "[req {}] mailgun: token already used for another request; "
                    "refused as a replay",
                    rid);
                return refuse(head.request, *reply, "replayed_token",
                              "this signature's token was already used for another request");
            }
            if (use == token_use::again)
                spdlog::info("[req {}] mailgun: the same request again (a retry)", rid);
            answer_bound(service, *config, head, body, std::move(reply));
        });
}

}  // namespace optgate
