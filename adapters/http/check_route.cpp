#include "adapters/http/check_route.hpp"

#include "adapters/http/check_stream.hpp"
#include "adapters/http/http_response.hpp"
#include "adapters/http/read_after_acknowledged.hpp"
#include "adapters/http/request_checks.hpp"

namespace optgate {
namespace {

// Empty when `body` is a well-formed check, else a message for the client.
std::string parse_check(string_list_body body, check_request& out) {
    const settings& config = *out.config;
    const auto& ch = body.fields[0];
    const auto& program = body.fields[1];
    if (!ch || !parse_channel(*ch)) return "\"channel\" must be one of sms, voice, email";
    const auto* found = program ? config.find_program(*program) : nullptr;
    if (!found) return "\"program\" must name a configured program";
    if (!body.items) return "\"recipients\" must be an array of strings";
    out.channel = *parse_channel(*ch);
    out.program = found;
    if (found->emergency)
        for (const auto& other : config.programs)
            if (other.name != found->name && out.others.size() < max_other_programs)
                out.others.push_back(other.name);
    out.recipients = std::move(body.items);
    return {};
}

}  // namespace

void handle_check(service_context& service, request_context& context,
                  std::shared_ptr<reply_channel> reply) {
    auto request = std::make_shared<check_request>();
    request->config = service.config.load();
    const auto& config = *request->config;
    const auto& req = context.request;
    if (!authorize(req, config, check_roles, *reply)) return;
    if (!require_content_type(req, "application/json", *reply)) return;
    // The recipients are places in the body: it moves to the request, which holds it until
    // the answer is sent, and is the one copy of them.
    request->body = std::move(context.request.body());
    http_request head(req.base());
    // No more recipients than the limit are read: what a check holds grows with their count.
    auto body = require_string_list_body(
        head, request->body,
        {{"channel", "program"}, "recipients", config.limits.max_check_recipients},
        "limits.max_check_recipients", *reply);
    if (!body) return;
    if (auto problem = parse_check(std::move(*body), *request); !problem.empty())
        return reply->send(
            error_response(head, http::status::bad_request, "malformed_request", problem));
    auto stream =
        std::make_shared<check_stream>(std::move(request), service.reads, service.writes,
                                       service.metrics, reply, std::move(head), context.request_id);
    // Every event acknowledged before this check must be in Redis before it is read.
    read_after_acknowledged(service, context, std::move(reply),
                            [stream = std::move(stream)] { stream->start(); });
}

}  // namespace optgate
