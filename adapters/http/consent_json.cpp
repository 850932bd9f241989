#include "adapters/http/consent_json.hpp"

#include <array>
#include <string_view>

#include "core/csv_field.hpp"
#include "core/feed_cursor.hpp"
#include "core/json_text.hpp"

namespace optgate {
namespace {

// The audit columns in order: names and values for both JSON and CSV.
// stated_time: the time the provider or operator gave, when the event is not dated by it
// (ahead of the receipt, or "none" when it gave none); empty otherwise. language: of the
// keyword that carried it; scope: the opt_out_scope that reached this program when the signal
// did not name it. Each added last, so that older readers keep working.
constexpr std::array<std::string_view, 17> audit_columns{
    "address",    "channel",       "program",     "from",      "to",         "outcome",
    "event_time", "received_time", "source",      "reference", "dedupe_key", "keyword",
    "match",      "actor",         "stated_time", "language",  "scope"};

std::array<std::string, 17> audit_values(const audit_entry& e) {
    return {e.address,
            std::string(to_string(e.channel)),
            e.program,
            e.from ? std::string(to_string(*e.from)) : std::string(),
            std::string(to_string(e.to)),
            std::string(to_string(e.outcome)),
            format_rfc3339(e.event_time),
            format_rfc3339(e.received_time),
            e.source,
            e.reference,
            e.dedupe_key,
            e.keyword,
            e.match,
            e.actor,
            !e.stated_time       ? std::string()
            : *e.stated_time > 0 ? format_rfc3339(*e.stated_time)
                                 : std::string("none"),
            e.language,
            e.scope};
}

}  // namespace

void append_record_json(std::string& out, const program_record& r) {
    out += "{\"channel\":";
    append_json_string(out, to_string(r.channel));
    out += ",\"program\":";
    append_json_string(out, r.program);
    out += ",\"state\":";
    append_json_string(out, to_string(r.record.state));
    out += ",\"since\":";
    append_json_string(out, format_rfc3339(r.record.event_time));
    out += ",\"source\":";
    append_json_string(out, r.record.source);
    out += ",\"reference\":";
    append_json_string(out, r.record.reference);
    out += ",\"language\":";
    append_json_string(out, r.record.language);
    out += "}";
}

void append_audit_json(std::string& out, const audit_entry& e) {
    const auto values = audit_values(e);
    out.push_back('{');
    for (std::size_t i = 0; i < audit_columns.size(); ++i) {
        if (i) out.push_back(',');
        append_json_string(out, audit_columns[i]);
        out.push_back(':');
        if (audit_columns[i] == "from" && !e.from)
            out += "null";
        else
            append_json_string(out, values[i]);
    }
    out.push_back('}');
}

void append_change_json(std::string& out, const feed_change& change) {
    out += "{\"cursor\":";
    append_json_string(out, change.cursor);
    out += ",\"id\":";
    append_json_string(out, feed_change_id(change.entry));
    out.push_back(',');
    const auto fields = out.size();
    append_audit_json(out, change.entry);
    out.erase(fields, 1);  // the entry's opening brace: its fields go on in this object
}

std::string audit_csv_header() {
    std::string out;
    for (std::size_t i = 0; i < audit_columns.size(); ++i) {
        if (i) out.push_back(',');
        out += audit_columns[i];
    }
    out += "\r\n";
    return out;
}

void append_audit_csv(std::string& out, const audit_entry& e) {
    const auto values = audit_values(e);
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out.push_back(',');
        append_csv_field(out, values[i], csv_quoting::always);
    }
    out += "\r\n";
}

}  // namespace optgate
