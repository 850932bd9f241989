// get, history and set: one address's consent records, its audit history, and an admin
// change (GET and PUT /v1/consent/{address}).
#include <iostream>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "core/consent.hpp"
#include "core/timestamp.hpp"
#include "ctl/command.hpp"
#include "ctl/exit_status.hpp"
#include "ctl/reply_json.hpp"
#include "ctl/text_table.hpp"

namespace optgate::ctl {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

// GET /v1/consent/{address}: exit_ok with the reply in `consent`, or the exit status.
int read_consent(const command_line& line, const daemon_access& access,
                 std::optional<json::object>& consent, std::string& raw) {
    auto connection = access.connect();
    api_reply reply;
    const int status = call_daemon(
        access, connection,
        {http::verb::get, "/v1/consent/" + path_segment(line.operands[0]), {}, {}}, reply);
    if (status != exit_ok) return status;
    raw = std::move(reply.body);
    consent = reply_object(raw);
    return consent ? exit_ok : exit_failed;
}

// The array at `key`, or an empty one.
json::array array_at(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_array() ? v->as_array() : json::array();
}

int run_get(const command_line& line, const daemon_access& access) {
    std::optional<json::object> consent;
    std::string raw;
    if (const int status = read_consent(line, access, consent, raw); status != exit_ok)
        return status;
    if (line.flag("json")) {
        std::cout << raw << '\n';
        return exit_ok;
    }
    const auto records = array_at(*consent, "records");
    std::cout << "address " << field_text(*consent, "address") << '\n';
    if (records.empty()) {
        std::cout << "no records: every program's configured default applies\n";
        return exit_ok;
    }
    text_table table({"CHANNEL", "PROGRAM", "STATE", "SINCE", "SOURCE", "REFERENCE", "LANGUAGE"});
    for (const auto& r : records) {
        if (!r.is_object()) continue;
        const auto& o = r.as_object();
        const auto language = field_text(o, "language");
        table.add({field_text(o, "channel"), field_text(o, "program"), field_text(o, "state"),
                   field_text(o, "since"), field_text(o, "source"), field_text(o, "reference"),
                   language.empty() ? "-" : language});
    }
    table.print(std::cout);
    return exit_ok;
}

int run_history(const command_line& line, const daemon_access& access) {
    std::optional<json::object> consent;
    std::string raw;
    if (const int status = read_consent(line, access, consent, raw); status != exit_ok)
        return status;
    const auto history = array_at(*consent, "history");
    if (line.flag("json")) {
        std::cout << json::serialize(history) << '\n';
        return exit_ok;
    }
    if (history.empty()) {
        std::cout << "no history for " << field_text(*consent, "address") << '\n';
        return exit_ok;
    }
    text_table table({"RECEIVED", "EVENT TIME", "CHANNEL", "PROGRAM", "FROM", "TO", "OUTCOME",
                      "SOURCE", "ACTOR", "REFERENCE"});
    for (const auto& e : history) {
        if (!e.is_object()) continue;
        const auto& o = e.as_object();
        const auto from = field_text(o, "from");
        table.add({field_text(o, "received_time"), field_text(o, "event_time"),
                   field_text(o, "channel"), field_text(o, "program"), from.empty() ? "-" : from,
                   field_text(o, "to"), field_text(o, "outcome"), field_text(o, "source"),
                   field_text(o, "actor"), field_text(o, "reference")});
    }
    table.print(std::cout);
    return exit_ok;
}

std::string_view meaning_of(std::string_view outcome) {
    if (outcome == "applied") return "the record now says so";
    if (outcome == "duplicate") return "this request id was seen before: nothing changed";
    if (outcome == "superseded") return "a newer event decides: nothing changed (audited)";
    if (outcome == "refused") return "an import never opts an opted-out address back in (rule 7)";
    return "journaled: applied as soon as Redis answers";
}

int run_set(const command_line& line, const daemon_access& access) {
    const auto ch = line.value("channel"), program = line.value("program"),
               state = line.value("state");
    if (!ch || !parse_channel(*ch) || !program || !state || !parse_consent_state(*state)) {
        complain("set needs --channel sms|voice|email, --program P and --state opted_in|opted_out");
        return exit_usage;
    }
    json::object body{{"channel", *ch},
                      {"program", *program},
                      {"state", *state},
                      {"source", line.value("source").value_or("admin")}};
    if (const auto at = line.value("at")) {
        if (!parse_rfc3339(*at)) {
            complain("--at must be an RFC 3339 time with a zone, e.g. 2026-01-05T10:00:00Z");
            return exit_usage;
        }
        body["at"] = *at;
    }
    if (const auto id = line.value("request-id")) body["request_id"] = *id;
    auto connection = access.connect();
    api_reply reply;
    const int status =
        call_daemon(access, connection,
                    {http::verb::put, "/v1/consent/" + path_segment(line.operands[0]),
                     json::serialize(body), "application/json"},
                    reply);
    if (status != exit_ok) return status;
    const auto answer = reply_object(reply.body);
    if (!answer) return exit_failed;
    const auto outcome = field_text(*answer, "outcome");
    std::cout << outcome << ": " << line.operands[0] << ' ' << *ch << '/' << *program << " -> "
              << *state << " (request " << field_text(*answer, "request_id")
              << "): " << meaning_of(outcome) << '\n';
    return exit_ok;
}

}  // namespace

const command get_command{
    {"get", "get ADDRESS [--json]", {{"json", option_kind::flag}}, 1, 1},
    "the consent records of an address",
    R"(Shows every consent record of ADDRESS (a phone number in any usual form, or an email
address): channel, program, state, since when, from which source. Programs without a
record are at their configured default. Role: admin or audit.

  --json   print the daemon's reply (records and history) unchanged
)",
    true,
    run_get};

const command history_command{
    {"history", "history ADDRESS [--json]", {{"json", option_kind::flag}}, 1, 1},
    "the audit history of an address, newest first",
    R"(Shows every audited event of ADDRESS, newest first: when it was received, when it
happened, the change (from -> to), its outcome (applied, superseded, refused), its source,
who made it (an API key's name for admin changes) and its reference. Role: admin or audit.

  --json   print the history as a JSON array
)",
    true,
    run_history};

const command set_command{
    {"set",
     "set ADDRESS --channel C --program P --state opted_in|opted_out [--at T] [--source S] "
     "[--request-id ID]",
     {{"channel", option_kind::value},
      {"program", option_kind::value},
      {"state", option_kind::value},
      {"at", option_kind::value},
      {"source", option_kind::value},
      {"request-id", option_kind::value}},
     1,
     1},
    "an admin change of one consent record",
    R"(Records an admin change (a form, a call to the office) and prints its outcome:
applied, duplicate (this request id was seen before), superseded (a newer event decides),
or pending (journaled, applied as soon as Redis answers). Role: admin.

  --channel C        sms, voice or email
  --program P        a program configured in the daemon (district, emergency, ...)
  --state S          opted_in or opted_out
  --at T             when the family asked, RFC 3339 with a zone (default: now)
  --source S         where the change comes from, recorded in the audit trail: lower-case
                     letters, digits, - _ . (default: admin; e.g. office, phone-call)
  --request-id ID    the change's reference and dedupe key: the same id sent twice changes
                     consent once (default: a new random id)
)",
    true,
    run_set};

}  // namespace optgate::ctl
