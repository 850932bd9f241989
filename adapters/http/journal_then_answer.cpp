#include "adapters/http/journal_then_answer.hpp"

#include <algorithm>
#include <mutex>

#include <spdlog/spdlog.h>

#include "adapters/http/http_response.hpp"

namespace optgate {
namespace {

// One journal record holds at most 1 MiB; an encoded event is well under 1 KiB, so a record
// of this many events always fits, whatever a large SendGrid batch carries.
constexpr std::size_t events_per_record = 500;

// The records of one request, answered once all are durable (or one is not).
struct pending_answer {
    std::mutex mutex;
    std::size_t records_left = 0;
    std::error_code error;
    std::uint64_t first_seq = 0;
    std::uint64_t last_seq = 0;
    std::shared_ptr<reply_channel> reply;
    http_request head;
    std::string request_id;
    std::string what;
    http_response ok;
    std::optional<http_response> unavailable;

    void record_done(std::error_code ec, std::uint64_t seq) {
        {
            std::lock_guard lock(mutex);
            if (ec && !error) error = ec;
            if (!ec) {
                first_seq = first_seq == 0 ? seq : std::min(first_seq, seq);
                last_seq = std::max(last_seq, seq);
            }
            if (--records_left > 0) return;
        }
        answer();
    }

    void answer() {
        if (error) {
            spdlog::error("[req {}] {}: NOT journaled ({}); 503 so the provider retries",
                          request_id, what, error.message());
            return reply->send(unavailable
                                   ? std::move(*unavailable)
                                   : unavailable_response(head, "the journal cannot be written"));
        }
        if (first_seq == last_seq)
            spdlog::info("[req {}] {}: journaled as {}", request_id, what, last_seq);
        else
            spdlog::info("[req {}] {}: journaled as {} to {}", request_id, what, first_seq,
                         last_seq);
        reply->send(std::move(ok));
    }
};

}  // namespace

void journal_then_answer(service_context& service, const std::vector<consent_event>& events,
                         const request_context& context, std::string what, http_response ok,
                         std::shared_ptr<reply_channel> reply,
                         std::optional<http_response> unavailable) {
    if (events.empty()) return reply->send(std::move(ok));
    auto state = std::make_shared<pending_answer>();
    state->records_left = (events.size() + events_per_record - 1) / events_per_record;
    state->reply = std::move(reply);
    state->head = http_request(context.request.base());
    state->request_id = context.request_id;
    state->what = std::move(what);
    state->ok = std::move(ok);
    state->unavailable = std::move(unavailable);
    // Submitted in order: the records keep the request's event order in the journal.
    for (std::size_t first = 0; first < events.size(); first += events_per_record) {
        const auto last = std::min(events.size(), first + events_per_record);
        service.writes.submit(
            std::vector<consent_event>(events.begin() + first, events.begin() + last),
            [state](std::error_code ec, std::uint64_t seq) { state->record_done(ec, seq); });
    }
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
