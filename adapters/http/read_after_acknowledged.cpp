#include "adapters/http/read_after_acknowledged.hpp"

#include <spdlog/spdlog.h>

#include "adapters/http/http_response.hpp"

namespace optgate {

void read_after_acknowledged(service_context& service, const request_context& context,
                             std::shared_ptr<reply_channel> reply, std::function<void()> read) {
    if (!service.reads.available())
        return reply->send(
            unavailable_response(context.request, "the consent store is unreachable"));
    service.writes.when_applied(
        service.writes.durable_seq(), service.apply_wait,
        [reply, head = http_request(context.request.base()), rid = context.request_id,
         read = std::move(read)](std::optional<std::vector<event_result>> caught_up) {
            if (caught_up) return read();
            spdlog::warn("[req {}] acknowledged events are not yet in Redis; answered 503", rid);
            reply->send(unavailable_response(head, "consent is being brought up to date"));
        });
}

}  // namespace optgate
