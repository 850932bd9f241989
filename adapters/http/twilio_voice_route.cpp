#include "adapters/http/twilio_voice_route.hpp"

#include <spdlog/spdlog.h>

#include "adapters/http/http_response.hpp"
#include "adapters/http/journal_then_answer.hpp"
#include "adapters/http/twilio_request.hpp"
#include "adapters/http/twiml.hpp"
#include "core/address_mask.hpp"
#include "core/voice_menu.hpp"

namespace optgate {
namespace {

// "digit 2: opted_out for district, emergency"
std::string describe_change(const std::vector<consent_event>& events) {
    std::string text = "digit " + events.front().keyword + ": " +
                       std::string(to_string(events.front().state)) + " for ";
    for (std::size_t i = 0; i < events.size(); ++i)
        text += (i == 0 ? "" : ", ") + events[i].program;
    return text;
}

// Both voice webhooks end here: the plan's TwiML, once its events (if any) are journaled.
void answer(service_context& service, request_context& context,
            std::shared_ptr<reply_channel> reply, const settings& config, const form_fields& form,
            const voice_plan& plan, std::string_view webhook) {
    const auto& req = context.request;
    if (plan.outcome == voice_outcome::missing_fields)
        return reply->send(error_response(req, http::status::bad_request, "missing_fields",
                                          "CallSid and To are required"));
    const std::string what = fmt::format(
        "{}: call from {} to {}: {}", webhook, mask_address(form_value(form, "From").value_or("")),
        mask_address(form_value(form, "To").value_or("")), to_string(plan.outcome));
    auto ok =
        twiml_response(req, twiml_voice(plan.verbs, config.public_url, config.voice.language));
    if (plan.events.empty()) {
        if (plan.outcome == voice_outcome::not_a_hotline)
            spdlog::warn("[req {}] {}; hung up", context.request_id, what);
        else
            spdlog::info("[req {}] {}", context.request_id, what);
        return reply->send(std::move(ok));
    }
    journal_then_answer(service, plan.events, context, what + ", " + describe_change(plan.events),
                        std::move(ok), std::move(reply));
}

// Both voice webhooks: Twilio's verified form, the plan `plan_for` makes of it, its answer.
template <class Planner>
void handle_voice_webhook(service_context& service, request_context& context,
                          std::shared_ptr<reply_channel> reply, std::string_view webhook,
                          Planner plan_for) {
    const auto config = service.config.load();
    const auto form = verified_twilio_form(*config, context, *reply, webhook);
    if (!form) return;
    answer(service, context, std::move(reply), *config, *form, plan_for(*form, *config), webhook);
}

}  // namespace

void handle_twilio_voice(service_context& service, request_context& context,
                         std::shared_ptr<reply_channel> reply) {
    handle_voice_webhook(service, context, std::move(reply), "twilio voice",
                         [](const form_fields& form, const settings& config) {
                             return plan_voice_call(form, config.voice);
                         });
}

void handle_twilio_voice_menu(service_context& service, request_context& context,
                              std::shared_ptr<reply_channel> reply) {
    const std::string_view target = context.request.target();
    const auto question = target.find('?');
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    handle_voice_webhook(service, context, std::move(reply), "twilio voice menu",
                         [&](const form_fields& form, const settings& config) {
                             return plan_voice_menu(form, query, config.voice, service.now());
                         });
}

}  // namespace optgate
