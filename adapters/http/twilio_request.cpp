#include "adapters/http/twilio_request.hpp"

#include <spdlog/spdlog.h>

#include "adapters/http/http_response.hpp"
#include "adapters/http/request_checks.hpp"
#include "core/twilio_signature.hpp"

namespace optgate {

std::optional<form_fields> verified_twilio_form(const settings& config,
                                                const request_context& context,
                                                reply_channel& reply, std::string_view webhook) {
    const auto& req = context.request;
    if (!config.providers.twilio) {
        reply.send(
            error_response(req, http::status::not_found, "not_found", "Twilio is not configured"));
        return std::nullopt;
    }
    if (!require_content_type(req, "application/x-www-form-urlencoded", reply)) return std::nullopt;
    auto form = parse_form_urlencoded(req.body());
    if (!form) {
        reply.send(error_response(req, http::status::bad_request, "malformed_form",
                                  "the form body is not valid urlencoded data"));
        return std::nullopt;
    }
    const std::string url = config.public_url + std::string(req.target());
    const auto& twilio = *config.providers.twilio;
    const auto signature = req["X-Twilio-Signature"];
    const bool signed_by_either =
        verify_twilio_signature(twilio.auth_token, url, *form, signature) ||
        (!twilio.secondary_auth_token.empty() &&
         verify_twilio_signature(twilio.secondary_auth_token, url, *form, signature));
    if (!signed_by_either) {
        spdlog::warn("[req {}] {}: bad signature for {}; refused", context.request_id, webhook,
                     url);
        reply.send(error_response(req, http::status::forbidden, "bad_signature",
                                  "X-Twilio-Signature does not match"));
        return std::nullopt;
    }
    return form;
}

}  // namespace optgate
