#include "adapters/http/request_checks.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include <boost/beast/core/string.hpp>

#include "adapters/http/http_response.hpp"
#include "adapters/http/json_fields.hpp"
#include "config/settings.hpp"
#include "core/provider_time.hpp"

namespace optgate {

const api_key* authenticate_request(const http_request& request, const settings& config) {
    const auto token = bearer_token(request[http::field::authorization]);
    return token ? authenticate(config.api_keys, *token) : nullptr;
}

http_response unauthorized_response(const http_request& request) {
    auto res = error_response(request, http::status::unauthorized, "unauthorized",
                              "a valid API key is required (Authorization: Bearer <key>)");
    res.set(http::field::www_authenticate, "Bearer");
    return res;
}

namespace {

// 403: the key is valid but holds none of `roles`.
http_response forbidden_response(const http_request& request, required_roles roles) {
    std::string names;
    for (auto r : roles) names += (names.empty() ? "" : " or ") + std::string(to_string(r));
    return error_response(request, http::status::forbidden, "forbidden",
                          "this API key lacks the role " + names);
}

bool holds_any(const api_key& key, required_roles roles) {
    return std::any_of(roles.begin(), roles.end(), [&](role r) { return key.has(r); });
}

}  // namespace

std::optional<http_response> access_refusal(const http_request& request, const settings& config,
                                            required_roles roles) {
    const api_key* key = authenticate_request(request, config);
    if (!key) return unauthorized_response(request);
    if (!holds_any(*key, roles)) return forbidden_response(request, roles);
    return std::nullopt;
}

const api_key* authorize(const http_request& request, const settings& config, required_roles roles,
                         reply_channel& reply) {
    const api_key* key = authenticate_request(request, config);
    if (key && holds_any(*key, roles)) return key;
    reply.send(key ? forbidden_response(request, roles) : unauthorized_response(request));
    return nullptr;
}

bool require_content_type(const http_request& request, std::string_view media_type,
                          reply_channel& reply) {
    return require_content_type(request, {media_type}, reply);
}

bool require_content_type(const http_request& request,
                          std::initializer_list<std::string_view> media_types,
                          reply_channel& reply) {
    std::string_view type = request[http::field::content_type];
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    std::string expected;
    for (const auto media_type : media_types) {
        if (boost::beast::iequals(type, media_type)) return true;
        expected += (expected.empty() ? "" : " or ") + std::string(media_type);
    }
    reply.send(error_response(request, http::status::unsupported_media_type,
                              "unsupported_media_type", "expected Content-Type: " + expected));
    return false;
}

std::optional<boost::json::object> require_json_object(const http_request& request,
                                                       reply_channel& reply) {
    auto object = parse_json_object(request.body());
    if (!object)
        reply.send(error_response(request, http::status::bad_request, "malformed_json",
                                  "the body is not a JSON object"));
    return object;
}

std::optional<string_list_body> require_string_list_body(const http_request& request,
                                                         std::string_view body_text,
                                                         const string_list_shape& shape,
                                                         std::string_view limit_key,
                                                         reply_channel& reply) {
    auto body = read_string_list_body(body_text, shape);
    switch (body.status) {
        case string_list_status::ok:
            return body;
        case string_list_status::not_a_json_object:
            reply.send(error_response(request, http::status::bad_request, "malformed_request",
                                      "the body is not a JSON object"));
            return std::nullopt;
        case string_list_status::too_many_items:
            reply.send(error_response(request, http::status::payload_too_large,
                                      "too_many_" + std::string(shape.list),
                                      "\"" + std::string(shape.list) + "\" may hold at most " +
                                          std::to_string(shape.max_items) + " entries (" +
                                          std::string(limit_key) + "); split the list"));
            return std::nullopt;
    }
    return std::nullopt;
}

bool require_fresh_signature(const request_context& context, std::string_view provider,
                             std::string_view timestamp, std::string_view timestamp_name,
                             signature_window window, epoch_ms now, reply_channel& reply) {
    const auto signed_at = parse_unix_seconds(timestamp);
    if (signed_at && is_fresh_signature_time(*signed_at, now, window)) return true;
    const std::string accepted = "more than " + describe_duration(window.behind) + " ago or " +
                                 describe_duration(window.ahead) + " ahead";
    spdlog::warn("[req {}] {}: signed at {}, {}; refused", context.request_id, provider,
                 signed_at ? format_rfc3339(*signed_at) : "an unreadable time", accepted);
    reply.send(error_response(context.request, http::status::forbidden, "stale_timestamp",
                              std::string(timestamp_name) + " is " + accepted));
    return false;
}

}  // namespace optgate
