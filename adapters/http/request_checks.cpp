#include "adapters/http/request_checks.hpp"

#include <boost/beast/core/string.hpp>

#include "adapters/http/http_response.hpp"
#include "config/settings.hpp"

namespace optgate {

const api_key* authorize(const http_request& request, const settings& config,
                         std::initializer_list<role> roles, reply_channel& reply) {
    const auto token = bearer_token(request[http::field::authorization]);
    const api_key* key = token ? authenticate(config.api_keys, *token) : nullptr;
    if (!key) {
        auto res = error_response(request, http::status::unauthorized, "unauthorized",
                                  "a valid API key is required (Authorization: Bearer <key>)");
        res.set(http::field::www_authenticate, "Bearer");
        reply.send(std::move(res));
        return nullptr;
    }
    for (auto r : roles)
        if (key->has(r)) return key;
    std::string names;
    for (auto r : roles) names += (names.empty() ? "" : " or ") + std::string(to_string(r));
    reply.send(error_response(request, http::status::forbidden, "forbidden",
                              "this API key lacks the role " + names));
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

}  // namespace optgate
