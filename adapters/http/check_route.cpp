#include "adapters/http/check_route.hpp"

#include <spdlog/spdlog.h>

#include "adapters/http/http_response.hpp"
#include "adapters/http/read_after_acknowledged.hpp"
#include "adapters/http/request_checks.hpp"
#include "core/address.hpp"
#include "core/check_decision.hpp"
#include "core/json_text.hpp"

namespace optgate {
namespace {

// The parsed request: inputs as given, and the valid ones normalised for the store. It
// outlives the Redis read, and a SIGHUP meanwhile: it holds its program, and so the config
// snapshot it came from.
struct check_request {
    optgate::channel channel;
    std::shared_ptr<const program_settings> program;
    std::vector<std::string> inputs;
    std::vector<std::optional<std::size_t>> lookup_index;  // input -> index into addresses
    std::vector<std::string> addresses;
    // For an emergency-purpose program, the other programs whose opt-outs each result names.
    std::vector<std::string> others;
};

// Empty when `body` is a well-formed check, else a message for the client.
std::string parse_check(string_list_body body, const settings_snapshot& snapshot,
                        check_request& out) {
    const settings& config = *snapshot;
    const auto& ch = body.fields[0];
    const auto& program = body.fields[1];
    if (!ch || !parse_channel(*ch)) return "\"channel\" must be one of sms, voice, email";
    const auto* found = program ? config.find_program(*program) : nullptr;
    if (!found) return "\"program\" must name a configured program";
    if (!body.items) return "\"recipients\" must be an array of strings";
    out.channel = *parse_channel(*ch);
    out.program = part_of(snapshot, *found);
    if (found->emergency)
        for (const auto& other : config.programs)
            if (other.name != found->name && out.others.size() < max_other_programs)
                out.others.push_back(other.name);
    out.inputs = std::move(*body.items);
    out.lookup_index.reserve(out.inputs.size());
    out.addresses.reserve(out.inputs.size());
    for (const auto& input : out.inputs) {
        auto address = normalize_address(input, config.default_country);
        // An email is not an address on sms/voice, nor a phone number on email.
        const bool fits =
            address && ((out.channel == channel::email) == (address->kind == address_kind::email));
        if (fits) {
            out.lookup_index.push_back(out.addresses.size());
            out.addresses.push_back(std::move(address->value));
        } else {
            out.lookup_index.push_back(std::nullopt);
        }
    }
    return {};
}

// ,"other_opt_outs":["district"]: the other programs the address opted out of, if any.
void append_other_opt_outs(std::string& out, const std::vector<std::string>& others,
                           std::uint32_t opted_out) {
    if (opted_out == 0) return;
    out += ",\"other_opt_outs\":[";
    bool first = true;
    for (std::size_t i = 0; i < others.size(); ++i) {
        if (!(opted_out & (1u << i))) continue;
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, others[i]);
    }
    out.push_back(']');
}

std::string render_results(const check_request& request, const checked_records& read,
                           http_metrics& metrics) {
    const auto& records = read.records;
    std::string out;
    out.reserve(request.inputs.size() * 128 + 64);
    out += "{\"results\":[";
    std::size_t allowed = 0, denied = 0;
    for (std::size_t i = 0; i < request.inputs.size(); ++i) {
        if (i) out.push_back(',');
        const auto& index = request.lookup_index[i];
        const auto decision = index ? decide(records[*index], request.program->default_state)
                                    : invalid_address_decision();
        (decision.allowed ? allowed : denied)++;
        metrics.check_recipients.increment(
            {decision.allowed ? "allowed" : "denied", std::string(to_string(decision.reason))});
        out += "{\"input\":";
        append_json_string(out, request.inputs[i]);
        if (index) {
            out += ",\"address\":";
            append_json_string(out, request.addresses[*index]);
        }
        out += decision.allowed ? ",\"allowed\":true" : ",\"allowed\":false";
        if (decision.state) {
            out += ",\"state\":\"";
            out += to_string(*decision.state);
            out += '"';
        }
        out += ",\"reason\":\"";
        out += to_string(decision.reason);
        out += '"';
        if (decision.since) {
            out += ",\"since\":\"";
            out += format_rfc3339(*decision.since);
            out += "\",\"source\":";
            append_json_string(out, decision.source);
        }
        if (index && !read.others_opted_out.empty())
            append_other_opt_outs(out, request.others, read.others_opted_out[*index]);
        out.push_back('}');
    }
    out +=
        "],\"allowed\":" + std::to_string(allowed) + ",\"denied\":" + std::to_string(denied) + "}";
    return out;
}

}  // namespace

void handle_check(service_context& service, request_context& context,
                  std::shared_ptr<reply_channel> reply) {
    const auto config = service.config.load();
    const auto& req = context.request;
    if (!authorize(req, *config, check_roles, *reply)) return;
    if (!require_content_type(req, "application/json", *reply)) return;
    // No more recipients than the limit are read: what a check holds grows with their count.
    auto body = require_string_list_body(
        req, {{"channel", "program"}, "recipients", config->limits.max_check_recipients},
        "limits.max_check_recipients", *reply);
    if (!body) return;
    auto request = std::make_shared<check_request>();
    if (auto problem = parse_check(std::move(*body), config, *request); !problem.empty())
        return reply->send(
            error_response(req, http::status::bad_request, "malformed_request", problem));
    // The inputs are copied out: free the body (up to 64 MiB) now, not after the answer.
    std::string().swap(context.request.body());
    auto head = std::make_shared<http_request>(req.base());
    auto& reads = service.reads;
    auto& metrics = service.metrics;
    // Every event acknowledged before this check must be in Redis before we read it.
    read_after_acknowledged(
        service, context, reply,
        [&reads, &metrics, request, head, reply, rid = context.request_id] {
            auto addresses =
                std::shared_ptr<const std::vector<std::string>>(request, &request->addresses);
            reads.read_records(
                request->channel, request->program->name, request->others, addresses,
                [&metrics, request, head, reply, rid](std::error_code ec, checked_records records) {
                    if (ec) {
                        spdlog::warn("[req {}] check: cannot read consent: {}; 503", rid,
                                     ec.message());
                        return reply->send(store_unavailable_response(*head, ec));
                    }
                    reply->send(json_response(*head, http::status::ok,
                                              render_results(*request, records, metrics)));
                });
        });
}

}  // namespace optgate
