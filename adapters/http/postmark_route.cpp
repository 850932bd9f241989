#include "adapters/http/postmark_route.hpp"

#include <spdlog/spdlog.h>

#include "adapters/http/http_response.hpp"
#include "adapters/http/journal_then_answer.hpp"
#include "adapters/http/json_fields.hpp"
#include "adapters/http/request_checks.hpp"
#include "core/address_mask.hpp"
#include "core/basic_auth.hpp"
#include "core/postmark_events.hpp"

namespace optgate {

void handle_postmark(service_context& service, request_context& context,
                     std::shared_ptr<reply_channel> reply) {
    const auto config = service.config.load();
    const auto& req = context.request;
    const auto& rid = context.request_id;
    if (!config->providers.postmark)
        return reply->send(error_response(req, http::status::not_found, "not_found",
                                          "Postmark is not configured"));
    const auto& credentials = *config->providers.postmark;
    if (!basic_auth_matches(req[http::field::authorization], credentials.username,
                            credentials.password)) {
        // 401, not 403: Postmark stops retrying on a 403, and a fixed password must still
        // receive the changes sent while it was wrong. The challenge also serves clients that
        // send credentials only when asked.
        spdlog::warn("[req {}] postmark: missing or wrong basic auth credentials; refused", rid);
        auto res = error_response(req, http::status::unauthorized, "unauthorized",
                                  "the webhook URL's user and password are required");
        res.set(http::field::www_authenticate, R"(Basic realm="optgate")");
        return reply->send(std::move(res));
    }
    if (!require_content_type(req, "application/json", *reply)) return;
    const auto body = require_json_object(req, *reply);
    if (!body) return;
    const auto& record = *body;
    const std::string_view record_type = string_field(record, "RecordType");
    if (record_type.empty())
        return reply->send(error_response(req, http::status::bad_request, "missing_fields",
                                          "RecordType is required"));
    if (record_type != postmark_subscription_change_type) {
        // Bounces, deliveries, opens, clicks: not consent. The type is one of Postmark's words
        // or, if it is not, cut short so that the log stays small.
        spdlog::info("[req {}] postmark: {} record; no change", rid, record_type.substr(0, 40));
        return reply->send(status_json_response(req, "ignored"));
    }
    const auto* suppress = record.if_contains("SuppressSending");
    postmark_subscription_change change;
    change.message_id = optional_string_field(record, "MessageID");
    change.changed_at = string_field(record, "ChangedAt");
    change.recipient = string_field(record, "Recipient");
    change.suppression_reason = optional_string_field(record, "SuppressionReason");
    change.origin = optional_string_field(record, "Origin");
    if (change.recipient.empty() || !suppress || !suppress->is_bool())
        return reply->send(error_response(req, http::status::bad_request, "missing_fields",
                                          "a SubscriptionChange needs Recipient and "
                                          "SuppressSending (true or false)"));
    change.suppress_sending = suppress->get_bool();
    auto plan = plan_postmark_subscription_change(change, config->email.unsubscribe_programs,
                                                  service.now());
    const std::string masked = mask_address(change.recipient);
    switch (plan.status) {
        case postmark_status::malformed:
            spdlog::warn("[req {}] postmark: change for {} has an oversized MessageID; refused",
                         rid, masked);
            return reply->send(error_response(req, http::status::bad_request, "malformed_fields",
                                              "MessageID must be at most 100 characters"));
        case postmark_status::reactivation:
            // Answered 200 so that Postmark does not retry it; counted, so that an operator
            // sees reactivations arrive and can record the families' wishes as admin changes.
            service.metrics.opt_ins_not_applied.increment({"postmark", "reactivation"});
            spdlog::info("[req {}] postmark: {} of {}; not an opt-in, no change", rid, plan.kind,
                         masked);
            return reply->send(status_json_response(req, "ignored"));
        case postmark_status::not_consent:
            spdlog::info("[req {}] postmark: {} suppressed ({}); not consent, no change", rid,
                         masked, plan.kind.empty() ? "no reason" : plan.kind.substr(0, 40));
            return reply->send(status_json_response(req, "ignored"));
        case postmark_status::invalid_recipient:
            spdlog::warn("[req {}] postmark: {} for {}, not a valid email address; no change", rid,
                         plan.kind, masked);
            return reply->send(status_json_response(req, "ignored"));
        case postmark_status::changed:
            if (plan.dated_at_receipt)
                spdlog::info(
                    "[req {}] postmark: {} of {} has no readable ChangedAt; dated at its "
                    "receipt",
                    rid, plan.kind, masked);
            break;
    }
    journal_email_events(service, plan.events, context,
                         fmt::format("postmark: {} of {}", plan.kind, masked), std::move(reply));
}

}  // namespace optgate
