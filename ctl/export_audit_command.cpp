// export-audit: the audit trail of a time range (GET /v1/audit), streamed to a file or to
// stdout as the daemon pages it out of Redis.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "core/timestamp.hpp"
#include "ctl/command.hpp"
#include "ctl/exit_status.hpp"

namespace optgate::ctl {
namespace {

namespace http = boost::beast::http;

// "/v1/audit?format=...&since=...&until=..."; "" with `problem` set on a bad option.
std::string audit_target(const command_line& line, std::string& problem) {
    const auto format = line.value("format").value_or("ndjson");
    if (format != "ndjson" && format != "csv") {
        problem = "--format is csv or ndjson";
        return {};
    }
    std::string target = "/v1/audit?format=" + format;
    for (const char* name : {"since", "until"}) {
        const auto value = line.value(name);
        if (!value) continue;
        if (!parse_rfc3339(*value)) {
            problem = std::string("--") + name +
                      " must be an RFC 3339 time with a zone, e.g. 2026-01-05T10:00:00Z";
            return {};
        }
        target += std::string("&") + name + "=" + path_segment(*value);
    }
    return target;
}

int run_export_audit(const command_line& line, const daemon_access& access) {
    std::string problem;
    const auto target = audit_target(line, problem);
    if (target.empty()) {
        complain(problem);
        return exit_usage;
    }
    // A file is written beside its name and renamed when complete: a cut-off export never
    // looks like a whole one.
    const auto output = line.value("output");
    const std::string partial = output ? *output + ".part" : std::string();
    std::ofstream file;
    if (output) {
        file.open(partial, std::ios::binary | std::ios::trunc);
        if (!file) {
            complain("cannot write " + partial);
            return exit_usage;
        }
    }
    std::ostream& out = output ? file : std::cout;
    std::size_t bytes = 0, lines = 0;
    auto connection = access.connect();
    auto reply = connection.send({http::verb::get, target, {}, {}}, [&](std::string_view piece) {
        out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
        bytes += piece.size();
        lines += static_cast<std::size_t>(std::count(piece.begin(), piece.end(), '\n'));
        return bool(out);
    });
    const bool written = reply && reply->status == 200 && bool(out.flush());
    if (output) file.close();
    if (!written || (output && !file)) {
        if (output) std::remove(partial.c_str());
        if (!reply) return report_transport_error(access, reply.error());
        if (reply->status != 200) return report_refusal(*reply);
        complain("cannot write " + (output ? *output : std::string("to stdout")));
        return exit_failed;
    }
    if (output && std::rename(partial.c_str(), output->c_str()) != 0) {
        complain("cannot rename " + partial + " to " + *output);
        return exit_failed;
    }
    std::cerr << "export-audit: " << bytes << " bytes, " << lines << " lines"
              << (output ? " written to " + *output : std::string()) << '\n';
    return exit_ok;
}

}  // namespace

const command export_audit_command{
    {"export-audit",
     "export-audit [--since T] [--until T] [--format csv|ndjson] [--output FILE]",
     {{"since", option_kind::value},
      {"until", option_kind::value},
      {"format", option_kind::value},
      {"output", option_kind::value}},
     0,
     0},
    "stream the audit trail of a time range to a file or stdout",
    R"(Streams every audit entry received in [since, until] (by the time optgate received it),
oldest first, as the daemon reads it out of Redis. Role: audit.

  --since T        RFC 3339 with a zone, e.g. 2026-01-01T00:00:00Z (default: the beginning)
  --until T        (default: none, every entry stored, even by an instance whose clock is
                   ahead)
  --format F       ndjson (default: one JSON object per line) or csv (a header row, then
                   RFC 4180 rows)
  --output FILE    write to FILE instead of stdout; it is written as FILE.part and renamed
                   once complete, so an interrupted export leaves no FILE behind
)",
    true,
    run_export_audit};

}  // namespace optgate::ctl
