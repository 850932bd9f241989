#include "adapters/http/unsubscribe_links_route.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "adapters/http/http_response.hpp"
#include "core/json_text.hpp"
#include "adapters/http/request_checks.hpp"
#include "core/address.hpp"
#include "core/unsubscribe_token.hpp"

namespace optgate {
namespace {

namespace json = boost::json;

// The parsed request; `addresses` points into the parsed body.
struct links_request {
    std::string program;
    const json::array* addresses = nullptr;
};

// Empty when `doc` is a well-formed request, else a message for the client.
std::string parse_links_request(const json::value& doc, const settings& config,
                                links_request& out) {
    const auto* o = doc.if_object();
    if (!o) return "the body is not a JSON object";
    const auto* program = o->if_contains("program");
    const auto* addresses = o->if_contains("addresses");
    if (!program || !program->is_string() ||
        !config.find_program(std::string(program->as_string())))
        return "\"program\" must name a configured program";
    if (!addresses || !addresses->is_array() ||
        !std::all_of(addresses->as_array().begin(), addresses->as_array().end(),
                     [](const json::value& v) { return v.is_string(); }))
        return "\"addresses\" must be an array of strings";
    out.program = std::string(program->as_string());
    out.addresses = &addresses->as_array();
    return {};
}

// {"links":[{"input","address","url"} or {"input","error":"invalid_address"}, ...]}, in
// input order; counts the links issued.
std::string render_links(const links_request& request, const settings& config,
                         std::size_t& issued) {
    const std::string url_base = config.public_url + "/unsubscribe/";
    unsubscribe_token_issuer issuer(config.unsubscribe_links->secret);
    std::string out = "{\"links\":[";
    out.reserve(request.addresses->size() * 256 + 16);
    for (const auto& item : *request.addresses) {
        if (out.back() != '[') out.push_back(',');
        out += "{\"input\":";
        append_json_string(out, item.as_string());
        // Email addresses only: a phone number has no unsubscribe link.
        const auto address = normalize_email(item.as_string());
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
    const api_key* key = authorize(req, *config, {role::check}, *reply);
    if (!key) return;
    if (!require_content_type(req, "application/json", *reply)) return;
    boost::system::error_code ec;
    const json::value doc = json::parse(req.body(), ec);
    links_request request;
    const auto problem =
        ec ? std::string("the body is not JSON") : parse_links_request(doc, *config, request);
    if (!problem.empty())
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
