#include "adapters/http/consent_route.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>

#include "adapters/http/consent_json.hpp"
#include "adapters/http/http_response.hpp"
#include "adapters/http/read_after_acknowledged.hpp"
#include "adapters/http/request_checks.hpp"
#include "adapters/http/request_id.hpp"
#include "core/address.hpp"
#include "core/address_mask.hpp"
#include "core/json_text.hpp"

namespace optgate {
namespace {

namespace json = boost::json;

constexpr epoch_ms max_clock_skew_ms = 5 * 60 * 1000;

// The {address} segment, percent-decoded ("+" stays a plus), normalised.
std::optional<address> address_from_target(std::string_view target, std::string_view country) {
    auto url = boost::urls::parse_origin_form(target);
    if (!url) return std::nullopt;
    const auto segments = url->segments();
    if (segments.size() != 3) return std::nullopt;
    return normalize_address(*std::prev(segments.end()), country);
}

bool valid_token(std::string_view s, std::size_t max) {
    if (s.empty() || s.size() > max) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
            return false;
    return true;
}

// Reads the PUT body into an event; returns a message for the client if it is not valid.
std::string parse_change(const http_request& req, const settings& config, const address& who,
                         epoch_ms now, consent_event& e) {
    boost::system::error_code ec;
    json::value doc = json::parse(req.body(), ec);
    if (ec || !doc.is_object()) return "the body is not a JSON object";
    for (const auto& [key, value] : doc.as_object())
        if (key != "channel" && key != "program" && key != "state" && key != "source" &&
            key != "at" && key != "request_id")
            return "unknown field \"" + std::string(key) + "\"";
    auto text = [&](std::string_view key) -> std::optional<std::string> {
        const auto* v = doc.as_object().if_contains(key);
        if (!v || !v->is_string()) return std::nullopt;
        return std::string(v->as_string());
    };
    const auto ch = text("channel"), program = text("program"), state = text("state"),
               source = text("source"), at = text("at"), request_id = text("request_id");
    if (!ch || !parse_channel(*ch)) return "\"channel\" must be one of sms, voice, email";
    if (!program || !config.find_program(*program))
        return "\"program\" must name a configured program";
    if (!state || !parse_consent_state(*state)) return "\"state\" must be opted_in or opted_out";
    if (!source || !valid_token(*source, 64))
        return "\"source\" is required: lower-case letters, digits, '-', '_', '.' (64 at most)";
    const auto channel_value = *parse_channel(*ch);
    if ((channel_value == channel::email) != (who.kind == address_kind::email))
        return "this address cannot be reached on channel " + *ch;
    e.event_time = now;
    if (doc.as_object().contains("at")) {
        const auto parsed = at ? parse_rfc3339(*at) : std::nullopt;
        if (!parsed) return "\"at\" must be an RFC 3339 time with a zone";
        if (*parsed > now + max_clock_skew_ms) return "\"at\" is in the future";
        e.event_time = *parsed;
    }
    std::string dedupe = request_id ? *request_id : std::string(req["Idempotency-Key"]);
    if (doc.as_object().contains("request_id") && !request_id)
        return "\"request_id\" must be a string";
    if (dedupe.size() > 128) return "the request id is longer than 128 characters";
    if (dedupe.empty()) dedupe = "admin-" + random_event_id();
    e.address = who.value;
    e.channel = channel_value;
    e.program = *program;
    e.state = *parse_consent_state(*state);
    e.received_time = now;
    e.source = *source;
    e.reference = dedupe;
    e.dedupe_key = dedupe;
    e.bulk_import = *source == bulk_import_source;
    return {};
}

}  // namespace

void handle_get_consent(service_context& service, request_context& context,
                        std::shared_ptr<reply_channel> reply) {
    const auto config = service.config.load();
    const auto& req = context.request;
    if (!authorize(req, *config, read_consent_roles, *reply)) return;
    const auto who = address_from_target(req.target(), config->default_country);
    if (!who)
        return reply->send(error_response(req, http::status::bad_request, "invalid_address",
                                          "the address is not a phone number or email address"));
    auto& reads = service.reads;
    read_after_acknowledged(
        service, context, reply, [&reads, reply, head = http_request(req.base()), who = *who] {
            reads.read_address(
                who.value, [reply, head, who](std::error_code ec, address_consent consent) {
                    if (ec) return reply->send(store_unavailable_response(head, ec));
                    std::string out = "{\"address\":";
                    append_json_string(out, who.value);
                    out += ",\"records\":[";
                    for (std::size_t i = 0; i < consent.records.size(); ++i) {
                        if (i) out.push_back(',');
                        append_record_json(out, consent.records[i]);
                    }
                    out += "],\"history\":[";
                    for (std::size_t i = 0; i < consent.history.size(); ++i) {
                        if (i) out.push_back(',');
                        append_audit_json(out, consent.history[i]);
                    }
                    out += "]}";
                    reply->send(json_response(head, http::status::ok, std::move(out)));
                });
        });
}

void handle_put_consent(service_context& service, request_context& context,
                        std::shared_ptr<reply_channel> reply) {
    const auto config = service.config.load();
    const auto& req = context.request;
    const api_key* key = authorize(req, *config, change_consent_roles, *reply);
    if (!key) return;
    if (!require_content_type(req, "application/json", *reply)) return;
    const auto who = address_from_target(req.target(), config->default_country);
    if (!who)
        return reply->send(error_response(req, http::status::bad_request, "invalid_address",
                                          "the address is not a phone number or email address"));
    consent_event event;
    if (auto problem = parse_change(req, *config, *who, service.now(), event); !problem.empty())
        return reply->send(
            error_response(req, http::status::bad_request, "malformed_request", problem));
    event.actor = key->name;
    const auto rid = context.request_id;
    const auto masked = mask_address(event.address);
    auto& writes = service.writes;
    const auto wait = service.apply_wait;
    writes.submit({event}, [&writes, wait, reply, head = http_request(req.base()), rid, masked,
                            event](std::error_code ec, std::uint64_t, std::uint64_t seq) {
        if (ec) {
            spdlog::error("[req {}] admin change for {} NOT journaled: {}", rid, masked,
                          ec.message());
            return reply->send(unavailable_response(head, "the journal cannot be written"));
        }
        spdlog::info("[req {}] admin change by {}: {} {}/{} -> {} journaled as {}", rid,
                     event.actor, masked, to_string(event.channel), event.program,
                     to_string(event.state), seq);
        writes.when_applied(
            seq, wait, [reply, head, event](std::optional<std::vector<event_result>> results) {
                std::string out = "{\"outcome\":";
                const bool applied = results && results->size() == 1;
                append_json_string(out, applied ? to_string(results->front().outcome) : "pending");
                if (applied) {
                    // The state before this change: null when it created the record.
                    out += ",\"from\":";
                    if (const auto from = results->front().from)
                        append_json_string(out, to_string(*from));
                    else
                        out += "null";
                }
                out += ",\"request_id\":";
                append_json_string(out, event.dedupe_key);
                if (!applied)
                    out +=
                        ",\"message\":\"journaled; it is applied as soon as Redis is reachable\"";
                out += "}";
                reply->send(json_response(head, applied ? http::status::ok : http::status::accepted,
                                          std::move(out)));
            });
    });
}

}  // namespace optgate
