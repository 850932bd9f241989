#include "adapters/pipeline/event_codec.hpp"

#include <boost/json.hpp>

#include "core/event_wire_fields.hpp"

namespace optgate {
namespace {

namespace json = boost::json;

// The keys' order is part of the format: tests/golden holds the bytes journals already hold.
// `language` and `scope` came later: written only when the event has them, so that an event
// without stays byte for byte as before, and an older optgate reads either (it ignores them).
json::object to_json(const consent_event& e) {
    namespace field = wire_field;
    json::object o{{field::address, e.address},
                   {field::channel, to_string(e.channel)},
                   {field::program, e.program},
                   {field::state, to_string(e.state)},
                   {field::event_time, e.event_time},
                   {field::received_time, e.received_time},
                   {field::source, e.source},
                   {field::reference, e.reference},
                   {field::dedupe_key, e.dedupe_key},
                   {field::keyword, e.keyword},
                   {field::match, e.match},
                   {field::actor, e.actor},
                   {field::bulk_import, e.bulk_import}};
    if (!e.language.empty()) o[field::language] = e.language;
    if (!e.scope.empty()) o[field::scope] = e.scope;
    return o;
}

std::optional<consent_event> from_json(const json::value& v) {
    const auto* o = v.if_object();
    if (!o) return std::nullopt;
    auto str = [&](std::string_view key) -> std::optional<std::string> {
        const auto* f = o->if_contains(key);
        if (!f || !f->is_string()) return std::nullopt;
        return std::string(f->as_string());
    };
    auto num = [&](std::string_view key) -> std::optional<epoch_ms> {
        const auto* f = o->if_contains(key);
        if (!f || !f->is_int64()) return std::nullopt;
        return f->as_int64();
    };
    namespace field = wire_field;
    const auto* import = o->if_contains(field::bulk_import);
    const auto address = str(field::address), channel_name = str(field::channel),
               program = str(field::program), state_name = str(field::state),
               source = str(field::source), ref = str(field::reference),
               dedupe = str(field::dedupe_key), keyword = str(field::keyword),
               match = str(field::match), actor = str(field::actor);
    const auto at = num(field::event_time), received = num(field::received_time);
    if (!address || !channel_name || !program || !state_name || !source || !ref || !dedupe ||
        !keyword || !match || !actor || !at || !received || !import || !import->is_bool())
        return std::nullopt;
    const auto ch = parse_channel(*channel_name);
    const auto state = parse_consent_state(*state_name);
    // Absent in records written before them; present, they must be text.
    const auto language = o->contains(field::language) ? str(field::language) : std::string();
    const auto scope = o->contains(field::scope) ? str(field::scope) : std::string();
    if (!ch || !state || !language || !scope) return std::nullopt;
    return consent_event{*address,          *ch,       *program, *state,   *at,    *received,
                         *source,           *ref,      *dedupe,  *keyword, *match, *actor,
                         import->as_bool(), *language, *scope};
}

}  // namespace

std::string encode_events(const std::vector<consent_event>& events) {
    json::array a;
    a.reserve(events.size());
    for (const auto& e : events) a.push_back(to_json(e));
    return json::serialize(a);
}

std::optional<std::vector<consent_event>> decode_events(std::string_view record) {
    boost::system::error_code ec;
    // A text body is whatever bytes the provider sent: every record must decode again, or a
    // journaled STOP would never reach Redis.
    json::parse_options options;
    options.allow_invalid_utf8 = true;
    const auto v = json::parse(record, ec, {}, options);
    if (ec || !v.is_array()) return std::nullopt;
    std::vector<consent_event> events;
    for (const auto& item : v.as_array()) {
        auto e = from_json(item);
        if (!e) return std::nullopt;
        events.push_back(std::move(*e));
    }
    return events;
}

}  // namespace optgate
