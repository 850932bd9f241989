#include "adapters/redis/consent_codec.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/event_wire_fields.hpp"

namespace optgate {
namespace {

namespace json = boost::json;

std::string text(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// cjson writes integers below 2^53 as plain integers, but a number may come back as a
// double from an older writer: accept both.
std::optional<epoch_ms> millis(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64()) return static_cast<epoch_ms>(v->as_uint64());
    if (v->is_double()) return static_cast<epoch_ms>(v->as_double());
    return std::nullopt;
}

std::optional<json::object> parse_object(std::string_view text_json) {
    boost::system::error_code ec;
    // The script stores provider text byte for byte (cjson does not validate UTF-8).
    json::parse_options options;
    options.allow_invalid_utf8 = true;
    auto v = json::parse(text_json, ec, {}, options);
    if (ec || !v.is_object()) return std::nullopt;
    return std::move(v.as_object());
}

}  // namespace

std::optional<consent_record> parse_record_json(std::string_view text_json) {
    namespace field = wire_field;
    auto o = parse_object(text_json);
    if (!o) return std::nullopt;
    const auto state = parse_consent_state(text(*o, field::state));
    const auto at = millis(*o, field::event_time);
    if (!state || !at) return std::nullopt;
    return consent_record{*state,
                          *at,
                          text(*o, field::source),
                          text(*o, field::reference),
                          text(*o, field::language),
                          text(*o, field::replayed_by)};
}

std::optional<audit_entry> parse_audit_json(std::string_view text_json) {
    namespace field = wire_field;
    auto o = parse_object(text_json);
    if (!o) return std::nullopt;
    audit_entry e;
    const auto ch = parse_channel(text(*o, field::channel));
    const auto to = parse_consent_state(text(*o, field::to_state));
    const auto outcome = parse_event_outcome(text(*o, field::outcome));
    const auto at = millis(*o, field::event_time);
    const auto received = millis(*o, field::received_time);
    if (!ch || !to || !outcome || !at || !received) return std::nullopt;
    e.address = text(*o, field::address);
    e.channel = *ch;
    e.program = text(*o, field::program);
    e.from = parse_consent_state(text(*o, field::from_state));
    e.to = *to;
    e.outcome = *outcome;
    e.event_time = *at;
    e.received_time = *received;
    e.stated_time = millis(*o, field::stated_time);
    e.source = text(*o, field::source);
    e.reference = text(*o, field::reference);
    e.dedupe_key = text(*o, field::dedupe_key);
    e.keyword = text(*o, field::keyword);
    e.match = text(*o, field::match);
    e.actor = text(*o, field::actor);
    e.language = text(*o, field::language);
    e.scope = text(*o, field::scope);
    return e;
}

}  // namespace optgate
