#include "adapters/redis/consent_codec.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

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
    auto o = parse_object(text_json);
    if (!o) return std::nullopt;
    const auto state = parse_consent_state(text(*o, "state"));
    const auto at = millis(*o, "at");
    if (!state || !at) return std::nullopt;
    return consent_record{*state, *at, text(*o, "source"), text(*o, "ref")};
}

std::optional<audit_entry> parse_audit_json(std::string_view text_json) {
    auto o = parse_object(text_json);
    if (!o) return std::nullopt;
    audit_entry e;
    const auto ch = parse_channel(text(*o, "channel"));
    const auto to = parse_consent_state(text(*o, "to"));
    const auto outcome = parse_event_outcome(text(*o, "outcome"));
    const auto at = millis(*o, "at");
    const auto received = millis(*o, "received");
    if (!ch || !to || !outcome || !at || !received) return std::nullopt;
    e.address = text(*o, "address");
    e.channel = *ch;
    e.program = text(*o, "program");
    e.from = parse_consent_state(text(*o, "from"));
    e.to = *to;
    e.outcome = *outcome;
    e.event_time = *at;
    e.received_time = *received;
    e.stated_time = millis(*o, "stated");
    e.source = text(*o, "source");
    e.reference = text(*o, "ref");
    e.dedupe_key = text(*o, "dedupe");
    e.keyword = text(*o, "keyword");
    e.match = text(*o, "match");
    e.actor = text(*o, "actor");
    return e;
}

}  // namespace optgate
