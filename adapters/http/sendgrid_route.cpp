#include "adapters/http/sendgrid_route.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>

#include "adapters/http/http_response.hpp"
#include "adapters/http/journal_then_answer.hpp"
#include "adapters/http/provider_json.hpp"
#include "adapters/http/request_checks.hpp"
#include "core/address_mask.hpp"
#include "core/sendgrid_events.hpp"

namespace optgate {
namespace {

namespace json = boost::json;

constexpr std::string_view signature_header = "X-Twilio-Email-Event-Webhook-Signature";
constexpr std::string_view timestamp_header = "X-Twilio-Email-Event-Webhook-Timestamp";

struct batch_plan {
    std::vector<consent_event> events;
    std::size_t signals = 0;  // SendGrid events that carry consent
    std::size_t ignored = 0;  // other event types, and resubscribes to unmapped groups
    std::size_t skipped = 0;  // consent events without the fields they need
};

std::string_view group_of(const sendgrid_event& event) {
    return event.asm_group_id ? std::string_view(*event.asm_group_id) : "(none)";
}

// Plans every event of the array; logs each one that is skipped, names an unmapped group or
// is dated at its receipt.
batch_plan plan_batch(const json::array& array, service_context& service, const settings& config,
                      epoch_ms received, const std::string& rid) {
    batch_plan batch;
    static const json::object not_an_object;
    for (std::size_t i = 0; i < array.size(); ++i) {
        const auto* object = array[i].if_object();
        const sendgrid_event event = read_sendgrid_event(object ? *object : not_an_object);
        auto plan = plan_sendgrid_event(event, config.email.unsubscribe_programs,
                                        config.email.groups, received);
        switch (plan.status) {
            case sendgrid_event_status::unmapped_unsubscribe:
                spdlog::warn(
                    "[req {}] sendgrid: event {} (group_unsubscribe for {}) names group {}, "
                    "which email.groups does not map; opted out of email.unsubscribe_programs",
                    rid, i, mask_address(event.email), group_of(event));
                [[fallthrough]];
            case sendgrid_event_status::consent:
                ++batch.signals;
                if (!event.time)
                    spdlog::info(
                        "[req {}] sendgrid: event {} ({} for {}) has no readable timestamp; "
                        "dated at its receipt",
                        rid, i, event.type, mask_address(event.email));
                for (auto& e : plan.events) batch.events.push_back(std::move(e));
                break;
            case sendgrid_event_status::ignored:
                ++batch.ignored;
                break;
            case sendgrid_event_status::unmapped_resubscribe:
                ++batch.ignored;
                service.metrics.opt_ins_not_applied.increment({"sendgrid", "unmapped_group"});
                spdlog::warn(
                    "[req {}] sendgrid: event {} (group_resubscribe for {}) names group {}, "
                    "which email.groups does not map; no change (map the group, then "
                    "record the family's wish by an admin change)",
                    rid, i, mask_address(event.email), group_of(event));
                break;
            case sendgrid_event_status::missing_fields:
            case sendgrid_event_status::invalid_email:
                ++batch.skipped;
                // Only consent event types get here: `type` is one of four known words.
                spdlog::warn("[req {}] sendgrid: event {} ({} for {}): {}; skipped", rid, i,
                             event.type, mask_address(event.email), to_string(plan.status));
                break;
        }
    }
    return batch;
}

}  // namespace

void handle_sendgrid(service_context& service, request_context& context,
                     std::shared_ptr<reply_channel> reply) {
    const auto config = service.config.load();
    const auto& req = context.request;
    const auto& rid = context.request_id;
    if (!config->providers.sendgrid)
        return reply->send(error_response(req, http::status::not_found, "not_found",
                                          "SendGrid is not configured"));
    if (!require_content_type(req, "application/json", *reply)) return;
    const std::string_view timestamp = req[timestamp_header];
    if (!config->providers.sendgrid->verification_key.verify(timestamp, req.body(),
                                                             req[signature_header])) {
        spdlog::warn("[req {}] sendgrid: bad or missing signature; refused", rid);
        return reply->send(error_response(req, http::status::forbidden, "bad_signature",
                                          "X-Twilio-Email-Event-Webhook-Signature does not match"));
    }
    const epoch_ms now = service.now();
    if (!require_fresh_signature(context, "sendgrid", timestamp, timestamp_header,
                                 sendgrid_signature_window, now, *reply))
        return;
    boost::system::error_code ec;
    const json::value body = json::parse(req.body(), ec);
    if (ec || !body.is_array())
        return reply->send(error_response(req, http::status::bad_request, "malformed_json",
                                          "the body is not a JSON array of events"));
    const auto& array = body.get_array();
    auto batch = plan_batch(array, service, *config, now, rid);
    const std::string summary = fmt::format(
        "sendgrid: {} events: {} consent changes from {} unsubscribes or group "
        "changes, {} ignored, {} skipped",
        array.size(), batch.events.size(), batch.signals, batch.ignored, batch.skipped);
    auto ok = json_response(req, http::status::ok,
                            fmt::format(R"({{"events":{},"consent_events":{},"skipped":{}}})",
                                        array.size(), batch.events.size(), batch.skipped));
    if (batch.events.empty()) {
        spdlog::info("[req {}] {}: no change", rid, summary);
        return reply->send(std::move(ok));
    }
    journal_then_answer(service, batch.events, context, summary, std::move(ok), std::move(reply));
}

}  // namespace optgate
