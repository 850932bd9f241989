#include "adapters/http/twilio_sms_route.hpp"

#include <spdlog/spdlog.h>

#include "adapters/http/http_response.hpp"
#include "adapters/http/journal_then_answer.hpp"
#include "adapters/http/twilio_request.hpp"
#include "adapters/http/twiml.hpp"
#include "core/address_mask.hpp"
#include "core/twilio_sms.hpp"

namespace optgate {

void handle_twilio_sms(service_context& service, request_context& context,
                       std::shared_ptr<reply_channel> reply) {
    const auto config = service.config.load();
    const auto& req = context.request;
    const auto& rid = context.request_id;
    const auto form = verified_twilio_form(*config, context, *reply, "twilio sms");
    if (!form) return;
    auto plan = plan_twilio_sms(*form, config->sms, service.now());
    const std::string masked_sender = mask_address(form_value(*form, "From").value_or(""));
    const std::string short_code(form_value(*form, "To").value_or(""));
    switch (plan.status) {
        case sms_status::missing_fields:
            return reply->send(error_response(req, http::status::bad_request, "missing_fields",
                                              "MessageSid, From and To are required"));
        case sms_status::unknown_short_code:
            spdlog::warn(
                "[req {}] twilio sms: unknown short code {} (not in sms.short_codes), "
                "sender {}; {}",
                rid, short_code, masked_sender,
                plan.events.empty() ? "ignored" : "an opt-out: every program stops");
            if (plan.events.empty())
                return reply->send(twiml_response(req, twiml_message(std::nullopt)));
            break;
        case sms_status::invalid_sender:
            spdlog::info("[req {}] twilio sms: sender {} is not a valid number; ignored", rid,
                         masked_sender);
            return reply->send(twiml_response(req, twiml_message(std::nullopt)));
        case sms_status::handled:
            break;
    }
    const auto keyword = std::string(to_string(plan.keyword.kind));
    if (plan.events.empty()) {
        spdlog::info("[req {}] twilio sms: {} by {} at {} ({}): no change", rid, keyword,
                     masked_sender, short_code, plan.program);
        return reply->send(twiml_response(req, twiml_message(plan.reply)));
    }
    journal_then_answer(service, plan.events, context,
                        fmt::format("twilio sms: {} by {} at {} ({})", keyword, masked_sender,
                                    short_code, plan.program),
                        twiml_response(req, twiml_message(plan.reply)), std::move(reply));
}

}  // namespace optgate
