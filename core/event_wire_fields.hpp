// The names consent events, records and audit entries carry in stored bytes: the keys of the
// journal's event records and of the record and audit entry JSON the apply script keeps in Redis.
// Journals and Redis already hold these names: renaming one makes them unreadable, and the
// golden tests (tests/golden/) fail before that ships.
#pragma once

#include <array>
#include <string_view>

namespace optgate {

// Named after what they hold (consent_event, consent_record, audit_entry), valued by the
// name on the wire. The Lua script (adapters/redis/apply_script.hpp) spells them literally;
// tests/unit/apply_script_test.cpp holds it to this list.
namespace wire_field {
inline constexpr std::string_view address = "address";
inline constexpr std::string_view channel = "channel";
inline constexpr std::string_view program = "program";
inline constexpr std::string_view state = "state";  // of an event or a record
inline constexpr std::string_view event_time = "at";
inline constexpr std::string_view received_time = "received";
inline constexpr std::string_view stated_time = "stated";
inline constexpr std::string_view source = "source";
inline constexpr std::string_view reference = "ref";
inline constexpr std::string_view dedupe_key = "dedupe";
inline constexpr std::string_view keyword = "keyword";
inline constexpr std::string_view match = "match";
inline constexpr std::string_view actor = "actor";
inline constexpr std::string_view bulk_import = "import";
inline constexpr std::string_view language = "language";  // written only when known
inline constexpr std::string_view scope = "scope";        // written only when widened
inline constexpr std::string_view from_state = "from";    // null: there was no record
inline constexpr std::string_view to_state = "to";
inline constexpr std::string_view outcome = "outcome";
inline constexpr std::string_view replayed_by = "by";  // of a record, written only by replays
}  // namespace wire_field

// A record in the consent hash (written by the apply script, read by consent_codec).
inline constexpr std::array stored_record_fields{
    wire_field::state,     wire_field::event_time, wire_field::source,
    wire_field::reference, wire_field::language,   wire_field::replayed_by,
};

// An audit entry in the audit list, the seen hash and the audit index (written by the apply
// script, read by consent_codec). `stated` is written only when it is not the event time,
// `language` and `scope` only when the event has them.
inline constexpr std::array audit_entry_fields{
    wire_field::address,     wire_field::channel, wire_field::program,    wire_field::from_state,
    wire_field::to_state,    wire_field::outcome, wire_field::event_time, wire_field::received_time,
    wire_field::stated_time, wire_field::source,  wire_field::reference,  wire_field::dedupe_key,
    wire_field::keyword,     wire_field::match,   wire_field::actor,      wire_field::language,
    wire_field::scope,
};

}  // namespace optgate
