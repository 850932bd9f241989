// check: who may be reached. Recipients one per line from a file or stdin, sent in one
// POST /v1/check (a million lines are one request); the answer is printed as it streams in.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <map>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "core/consent.hpp"
#include "core/csv_field.hpp"
#include "ctl/check_results_reader.hpp"
#include "ctl/command.hpp"
#include "ctl/exit_status.hpp"

namespace optgate::ctl {
namespace {

namespace http = boost::beast::http;

constexpr std::size_t output_flush_size = 256 * 1024;

// The request body, built line by line; blank lines are skipped.
bool read_request(std::istream& in, const std::string& channel, const std::string& program,
                  std::string& body, std::size_t& count) {
    body = "{\"channel\":" + boost::json::serialize(boost::json::string(channel)) +
           ",\"program\":" + boost::json::serialize(boost::json::string(program)) +
           ",\"recipients\":[";
    std::string line;
    count = 0;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        if (count++) body.push_back(',');
        body += boost::json::serialize(boost::json::string_view(line));
    }
    body += "]}";
    return !in.bad();
}

void append_csv_row(std::string& out, const check_result& r) {
    for (const auto* field : {&r.input, &r.address}) {
        append_csv_field(out, *field);
        out.push_back(',');
    }
    out += r.allowed ? "allowed," : "denied,";
    for (const auto* field : {&r.state, &r.reason, &r.since}) {
        append_csv_field(out, *field);
        out.push_back(',');
    }
    append_csv_field(out, r.source);
    out += "\r\n";
}

int run_check(const command_line& line, const daemon_access& access) {
    const auto ch = line.value("channel"), program = line.value("program");
    if (!ch || !parse_channel(*ch) || !program) {
        complain("check needs --channel sms|voice|email and --program P");
        return exit_usage;
    }
    const std::string source = line.operands.empty() ? "-" : line.operands[0];
    std::ifstream file;
    if (source != "-") {
        file.open(source);
        if (!file) {
            complain("cannot read " + source);
            return exit_usage;
        }
    }
    if (source == "-" && ::isatty(STDIN_FILENO) == 1)
        std::cerr << "check: reading recipients from the terminal, one per line; Ctrl-D ends\n";
    std::string body;
    std::size_t count = 0;
    if (!read_request(source == "-" ? std::cin : file, *ch, *program, body, count)) {
        complain("cannot read " + source);
        return exit_usage;
    }
    const bool raw = line.flag("json");
    std::string out = raw ? "" : "input,address,decision,state,reason,since,source\r\n";
    std::map<std::string, std::uint64_t> denied_by_reason;
    std::size_t results = 0;
    check_results_reader reader([&](const check_result& r) {
        ++results;
        if (!r.allowed) ++denied_by_reason[r.reason];
        if (raw) return;
        append_csv_row(out, r);
        if (out.size() >= output_flush_size) {
            std::cout << out;
            out.clear();
        }
    });
    auto connection = access.connect();
    auto reply =
        connection.send({http::verb::post, "/v1/check", std::move(body), "application/json"},
                        [&](std::string_view piece) {
                            if (raw) std::cout << piece;
                            return reader.write(piece);
                        });
    // An answer cut by the daemon itself, whose store was lost midway: the rows printed so
    // far are true but not all, and nothing may be sent on this answer.
    if (!reader.error_message().empty()) {
        complain("the daemon could not finish the check: " + reader.error_message() +
                 "; the answer is incomplete (" + std::to_string(results) + " of " +
                 std::to_string(count) + " results); check again later");
        return exit_failed;
    }
    if (!reply) return report_transport_error(access, reply.error());
    if (reply->status != 200) return report_refusal(*reply);
    if (!reader.finish()) {
        complain("the daemon's reply was cut short or is not a check result");
        return exit_failed;
    }
    // A whole answer has one result per recipient sent, each counted once.
    if (results != count || reader.allowed() + reader.denied() != results) {
        complain("the daemon's reply has " + std::to_string(results) + " results for " +
                 std::to_string(count) + " recipients, counted as " +
                 std::to_string(reader.allowed()) + " allowed and " +
                 std::to_string(reader.denied()) + " denied; send nothing on it");
        return exit_failed;
    }
    std::cout << out << (raw ? "\n" : "") << std::flush;
    std::string summary = "check: " + std::to_string(count) + " recipients, " +
                          std::to_string(reader.allowed()) + " allowed, " +
                          std::to_string(reader.denied()) + " denied";
    std::string reasons;
    for (const auto& [reason, n] : denied_by_reason)
        reasons += (reasons.empty() ? "" : ", ") + reason + " " + std::to_string(n);
    std::cerr << summary << (reasons.empty() ? "" : " (" + reasons + ")") << '\n';
    return exit_ok;
}

}  // namespace

const command check_command{
    {"check",
     "check --channel C --program P [FILE|-] [--json]",
     {{"channel", option_kind::value},
      {"program", option_kind::value},
      {"json", option_kind::flag}},
     0,
     1},
    "who may be reached: recipients from a file or stdin",
    R"(Reads recipients one per line from FILE, or from stdin when FILE is - or absent (blank
lines are skipped), asks the daemon in one request (a million lines are fine), and prints
one CSV row per recipient, in input order, as the answer streams in:

  input,address,decision,state,reason,since,source

decision is allowed or denied; reason is opted_in, opted_out, default or invalid_address.
A summary goes to stderr. Role: check.

If the daemon loses its store midway through the answer, the rows printed so far are not
all of them: check says so on stderr and exits 1. Send nothing on an answer that did not
exit 0.

  --channel C   sms, voice or email
  --program P   a program configured in the daemon
  --json        print the daemon's reply unchanged instead of CSV
)",
    true,
    run_check};

}  // namespace optgate::ctl
