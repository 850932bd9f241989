#include "adapters/http/journal_then_answer.hpp"

#include <spdlog/spdlog.h>

#include "adapters/http/http_response.hpp"

namespace optgate {

void journal_then_answer(service_context& service, const std::vector<consent_event>& events,
                         const request_context& context, std::string what, http_response ok,
                         std::shared_ptr<reply_channel> reply,
                         std::function<void()> not_journaled) {
    service.pipeline.submit(
        events,
        [reply = std::move(reply), head = http_request(context.request.base()),
         rid = context.request_id, what = std::move(what), ok = std::move(ok),
         not_journaled = std::move(not_journaled)](std::error_code ec, std::uint64_t seq) mutable {
            if (ec) {
                spdlog::error("[req {}] {}: NOT journaled ({}); 503 so the provider retries", rid,
                              what, ec.message());
                if (not_journaled) not_journaled();
                return reply->send(unavailable_response(head, "the journal cannot be written"));
            }
            spdlog::info("[req {}] {}: journaled as {}", rid, what, seq);
            reply->send(std::move(ok));
        });
}

}  // namespace optgate
