#include "adapters/http/journal_then_answer.hpp"

#include <spdlog/spdlog.h>

#include "adapters/http/http_response.hpp"

namespace optgate {
void journal_then_answer(service_context& service, const std::vector<consent_event>& events,
                         const request_context& context, std::string what, http_response ok,
                         std::shared_ptr<reply_channel> reply,
                         std::optional<http_response> unavailable) {
    if (events.empty()) return reply->send(std::move(ok));
    // One journal group: durable whole, in the request's order, or not at all.
    service.writes.submit(
        events, [reply = std::move(reply), head = http_request(context.request.base()),
                 rid = context.request_id, what = std::move(what), ok = std::move(ok),
                 unavailable = std::move(unavailable)](std::error_code ec, std::uint64_t first_seq,
                                                       std::uint64_t last_seq) mutable {
            if (ec) {
                spdlog::error("[req {}] {}: NOT journaled ({}); 503 so the provider retries", rid,
                              what, ec.message());
                return reply->send(
                    unavailable ? std::move(*unavailable)
                                : unavailable_response(head, "the journal cannot be written"));
            }
            if (first_seq == last_seq)
                spdlog::info("[req {}] {}: journaled as {}", rid, what, last_seq);
            else
                spdlog::info("[req {}] {}: journaled as {} to {}", rid, what, first_seq, last_seq);
            reply->send(std::move(ok));
        });
}

void journal_email_events(service_context& service, const std::vector<consent_event>& events,
                          const request_context& context, std::string what,
                          std::shared_ptr<reply_channel> reply) {
    if (events.empty()) {
        spdlog::info("[req {}] {}: nothing to change; no change", context.request_id, what);
        return reply->send(status_json_response(context.request, "ignored"));
    }
    journal_then_answer(service, events, context, std::move(what),
                        status_json_response(context.request, "journaled"), std::move(reply));
}

}  // namespace optgate
