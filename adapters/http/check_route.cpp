#include "adapters/http/check_route.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "adapters/http/http_response.hpp"
#include "adapters/http/read_after_acknowledged.hpp"
#include "adapters/http/request_checks.hpp"
#include "core/address.hpp"
#include "core/check_decision.hpp"
#include "core/json_text.hpp"

namespace optgate {
namespace {

namespace json = boost::json;

// The parsed request: inputs as given, and the valid ones normalised for the store. It
// outlives the Redis read, and a SIGHUP meanwhile: it holds its program, and so the config
// snapshot it came from.
struct check_request {
    optgate::channel channel;
    std::shared_ptr<const program_settings> program;
    std::vector<std::string> inputs;
    std::vector<std::optional<std::size_t>> lookup_index;  // input -> index into addresses
    std::vector<std::string> addresses;
};

std::string parse_check(const std::string& body, const settings_snapshot& snapshot,
                        check_request& out) {
    const settings& config = *snapshot;
    boost::system::error_code ec;
    json::value doc = json::parse(body, ec);
    if (ec || !doc.is_object()) return "the body is not a JSON object";
    const auto& o = doc.as_object();
    const auto* ch = o.if_contains("channel");
    const auto* program = o.if_contains("program");
    const auto* recipients = o.if_contains("recipients");
    if (!ch || !ch->is_string() || !parse_channel(ch->as_string()))
        return "\"channel\" must be one of sms, voice, email";
    const auto* found = program && program->is_string()
                            ? config.find_program(std::string(program->as_string()))
                            : nullptr;
    if (!found) return "\"program\" must name a configured program";
    out.program = part_of(snapshot, *found);
    if (!recipients || !recipients->is_array()) return "\"recipients\" must be an array of strings";
    out.channel = *parse_channel(ch->as_string());
    const auto& list = recipients->as_array();
    out.inputs.reserve(list.size());
    out.lookup_index.reserve(list.size());
    out.addresses.reserve(list.size());
    for (const auto& r : list) {
        if (!r.is_string()) return "\"recipients\" must be an array of strings";
        const auto& input = r.as_string();
        out.inputs.emplace_back(input.data(), input.size());
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

std::string render_results(const check_request& request,
                           const std::vector<std::optional<consent_record>>& records,
                           http_metrics& metrics) {
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
    if (!authorize(req, *config, {role::check}, *reply)) return;
    if (!require_content_type(req, "application/json", *reply)) return;
    auto request = std::make_shared<check_request>();
    if (auto problem = parse_check(req.body(), config, *request); !problem.empty())
        return reply->send(
            error_response(req, http::status::bad_request, "malformed_request", problem));
    context.request.body().clear();  // the inputs are copied out; free the 64 MiB early
    auto head = std::make_shared<http_request>(req.base());
    auto& store = service.store;
    auto& metrics = service.metrics;
    // Every event acknowledged before this check must be in Redis before we read it.
    read_after_acknowledged(
        service, context, reply,
        [&store, &metrics, request, head, reply, rid = context.request_id] {
            auto addresses =
                std::shared_ptr<const std::vector<std::string>>(request, &request->addresses);
            store.read_records(
                request->channel, request->program->name, addresses,
                [&metrics, request, head, reply, rid](
                    std::error_code ec, std::vector<std::optional<consent_record>> records) {
                    if (ec) {
                        spdlog::warn("[req {}] check: cannot read consent: {}; 503", rid,
                                     ec.message());
                        return reply->send(
                            unavailable_response(*head, "the consent store is unreachable"));
                    }
                    reply->send(json_response(*head, http::status::ok,
                                              render_results(*request, records, metrics)));
                });
        });
}

}  // namespace optgate
