#include "adapters/http/unsubscribe_links_route.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "adapters/http/http_response.hpp"
#include "adapters/http/request_checks.hpp"
#include "core/address.hpp"
#include "core/json_text.hpp"
#include "core/unsubscribe_token.hpp"

namespace optgate {
namespace {

// The parsed request: its addresses are places in the request's body.
struct links_request {
    std::string program;
    std::optional<string_list> addresses;
};

// Empty when `body` is a well-formed request, else a message for the client.
std::string parse_links_request(string_list_body body, const settings& config, links_request& out) {
    const auto& program = body.fields[0];
    if (!program || !config.find_program(*program))
        return "\"program\" must name a configured program";
    if (!body.items) return "\"addresses\" must be an array of strings";
    out.program = *program;
    out.addresses = std::move(body.items);
    return {};
}

// {"links":[{"input","address","url"} or {"input","error":"invalid_address"}, ...]}, in
// input order; counts the links issued.
std::string render_links(const links_request& request, const settings& config,
                         std::size_t& issued) {
    const std::string url_base = config.public_url + "/unsubscribe/";
    unsubscribe_token_issuer issuer(config.unsubscribe_links->secret);
    std::string out = "{\"links\":[";
    // The count is within limits.max_unsubscribe_links here, so is this reservation.
    const auto& addresses = *request.addresses;
    out.reserve(addresses.size() * 256 + 16);
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        const auto item = addresses[i];
        if (out.back() != '[') out.push_back(',');
        out += "{\"input\":";
        append_json_string(out, item);
        // Email addresses only: a phone number has no unsubscribe link.
        const auto address = normalize_email(item);
        const auto token = address ? issuer.issue({*address, request.program}) : std::nullopt;
        if (token) {
            out += ",\"address\":";
            append_json_string(out, *address);
            out += ",\"url\":";
            append_json_string(out, url_base + *token);
            out += '}';
            ++issued;
        } else {
            out += ",\"error\":\"invalid_address\"}";
        }
    }
    out += "]}";
    return out;
}

}  // namespace

void handle_unsubscribe_links(service_context& service, request_context& context,
                              std::shared_ptr<reply_channel> reply) {
    const auto config = service.config.load();
    const auto& req = context.request;
    if (!config->unsubscribe_links)
        return reply->send(error_response(req, http::status::not_found, "not_found",
                                          "unsubscribe links are not configured"));
    const api_key* key = authorize(req, *config, unsubscribe_links_roles, *reply);
    if (!key) return;
    if (!require_content_type(req, "application/json", *reply)) return;
    auto body = require_string_list_body(
        req, req.body(), {{"program"}, "addresses", config->limits.max_unsubscribe_links},
        "limits.max_unsubscribe_links", *reply);
    if (!body) return;
    links_request request;
    if (auto problem = parse_links_request(std::move(*body), *config, request); !problem.empty())
        return reply->send(
            error_response(req, http::status::bad_request, "malformed_request", problem));
    std::size_t issued = 0;
    auto links = render_links(request, *config, issued);
    spdlog::info("[req {}] unsubscribe links for {}: {} issued to {}, {} invalid addresses",
                 context.request_id, request.program, issued, key->name,
                 request.addresses->size() - issued);
    reply->send(json_response(req, http::status::ok, std::move(links)));
}

}  // namespace optgate
