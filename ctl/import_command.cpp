// import: the student information system's CSV export, every (address, channel, program)
// of it sent as an import row (source "import": rule 7, an import never opts an opted-out
// family back in), with a summary of what the daemon did and every bad row by line number.
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/digest.hpp"
#include "ctl/command.hpp"
#include "ctl/exit_status.hpp"
#include "ctl/import_sender.hpp"
#include "ctl/progress_bar.hpp"

namespace optgate::ctl {
namespace {

constexpr unsigned default_connections = 8;
constexpr unsigned max_connections = 64;
constexpr std::size_t max_bad_rows_listed = 1000;

// The mapping from the flags; "" or a usage problem.
std::string mapping_from(const command_line& line, import_mapping& mapping) {
    mapping.phone_columns = line.all("phone-column");
    mapping.email_columns = line.all("email-column");
    if (mapping.phone_columns.empty() && mapping.email_columns.empty())
        return "name at least one --phone-column or --email-column";
    mapping.state_column = line.value("state-column");
    if (const auto v = line.value("opted-in-values")) mapping.opted_in_values = split_list(*v);
    if (const auto v = line.value("opted-out-values")) mapping.opted_out_values = split_list(*v);
    if (const auto v = line.value("channels")) {
        mapping.phone_channels.clear();
        for (const auto& name : split_list(*v)) {
            const auto c = parse_channel(name);
            if (!c || *c == channel::email) return "--channels takes sms and voice";
            mapping.phone_channels.push_back(*c);
        }
        if (mapping.phone_channels.empty()) return "--channels takes sms and voice";
    }
    for (const auto& p : line.all("program"))
        for (auto& name : split_list(p)) mapping.programs.push_back(std::move(name));
    if (mapping.programs.empty())
        return "name the programs the file gives consent for: --program P";
    return {};
}

std::optional<unsigned> connections_from(const command_line& line) {
    const auto text = line.value("connections");
    if (!text) return default_connections;
    char* end = nullptr;
    const unsigned long n = std::strtoul(text->c_str(), &end, 10);
    if (text->empty() || *end != '\0' || n < 1 || n > max_connections) return std::nullopt;
    return static_cast<unsigned>(n);
}

void print_summary(std::size_t rows, std::size_t bad, const import_plan& plan, import_tally& tally,
                   double seconds) {
    const auto kept = tally.unchanged + tally.duplicate + tally.superseded;
    std::cout << "rows             " << rows << '\n'
              << "bad rows         " << bad << (bad ? "  skipped; listed on stderr" : "") << '\n'
              << "without address  " << plan.rows_without_address() << '\n'
              << "addresses        " << plan.addresses().size() << '\n'
              << "changes sent     " << tally.sent << " of " << plan.change_count() << '\n'
              << "  created        " << tally.created << "  new records\n"
              << "  changed        " << tally.changed << "  opted out by this import\n"
              << "  kept           " << kept << "  unchanged " << tally.unchanged
              << " (already so), duplicate " << tally.duplicate
              << " (already imported from this same file), superseded " << tally.superseded
              << " (a newer event decides)\n"
              << "  refused        " << tally.refused
              << "  opted out stays opted out: an import never opts back in (rule 7)\n"
              << "  pending        " << tally.pending
              << "  journaled; applied as soon as Redis answers\n";
    char rate[64];
    std::snprintf(rate, sizeof rate, "%.1f s, %.0f changes/s", seconds,
                  seconds > 0 ? static_cast<double>(tally.sent) / seconds : 0.0);
    std::cout << "elapsed          " << rate << '\n';
}

int run_import(const command_line& line, const daemon_access& access) {
    import_mapping mapping;
    if (auto problem = mapping_from(line, mapping); !problem.empty()) {
        complain(problem);
        return exit_usage;
    }
    const auto connections = connections_from(line);
    if (!connections) {
        complain("--connections must be a number from 1 to " + std::to_string(max_connections));
        return exit_usage;
    }
    const std::string& path = line.operands[0];
    std::stringstream content;
    if (path == "-") {
        content << std::cin.rdbuf();
    } else {
        std::ifstream file(path, std::ios::binary);
        if (!file || !(content << file.rdbuf())) {
            complain("cannot read " + path);
            return exit_usage;
        }
    }
    const std::string digest = to_hex(sha256(content.view()));
    csv_reader reader(content);
    const auto header = reader.next();
    std::string problem;
    auto plan = header ? import_plan::from_header(*header, mapping, problem) : std::nullopt;
    if (!plan) {
        complain(path + ": " + (header ? problem : std::string("the file is empty")));
        return exit_usage;
    }
    std::size_t rows = 0, bad = 0;
    auto report_bad = [&](std::size_t line_number, const std::string& why) {
        if (++bad <= max_bad_rows_listed)
            std::cerr << path << ": line " << line_number << ": " << why << "; skipped\n";
    };
    while (const auto row = reader.next()) {
        ++rows;
        if (auto why = plan->add_row(*row); !why.empty()) report_bad(row->line, why);
    }
    const bool show_progress =
        line.flag("progress") || (!line.flag("no-progress") && stderr_is_terminal());
    progress_bar progress("import", plan->change_count(), show_progress);
    import_sender sender(access, *plan, digest, *connections);
    const auto start = std::chrono::steady_clock::now();
    const int status = sender.run([&](std::size_t sent) { progress.update(sent); });
    progress.finish();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (const auto& [line_number, why] : sender.tally().rejected) report_bad(line_number, why);
    if (bad > max_bad_rows_listed)
        std::cerr << path << ": " << bad - max_bad_rows_listed << " more bad rows not listed\n";
    print_summary(rows, bad, *plan, sender.tally(), seconds);
    if (status != exit_ok) {
        complain(
            "import stopped; run it again with the same file when the cause is fixed: what "
            "was already imported comes back as duplicate");
        return status;
    }
    return bad ? exit_partly : exit_ok;
}

}  // namespace

const command import_command{
    {"import",
     "import FILE --program P (--phone-column NAME | --email-column NAME)... [options]",
     {{"phone-column", option_kind::repeated},
      {"email-column", option_kind::repeated},
      {"channels", option_kind::value},
      {"program", option_kind::repeated},
      {"state-column", option_kind::value},
      {"opted-in-values", option_kind::value},
      {"opted-out-values", option_kind::value},
      {"connections", option_kind::value},
      {"progress", option_kind::flag},
      {"no-progress", option_kind::flag}},
     1,
     1},
    "import the student information system's CSV export (rule 7 applies)",
    R"(Reads FILE (or stdin for -): CSV as RFC 4180 writes it (a header row, quoted fields with
commas, quotes or line breaks inside, CRLF or LF). Every phone number becomes one change
per channel of --channels and program of --program; every email address one per program on
email. Each change is sent as an import row: an import creates records and can opt out,
but never opts an opted-out address back in (rule 7: the daemon answers "refused").

An address on several rows is sent once; if any of its rows says opted_out, it is
opted_out. Empty cells are skipped. Bad rows (a malformed CSV record, a wrong number of
fields, an invalid phone number or email address, an unknown state) are listed on stderr
with their line numbers (the first 1000) and skipped, and the exit status is then 4.

The summary counts the daemon's outcomes: created (a new record), changed (opted out by
this import), kept (unchanged: the record already said so; duplicate: already imported from
this same file; superseded: a newer event decides), refused (rule 7), pending (journaled,
applied as soon as Redis answers). Request ids derive from the file's content, so importing the same
file again, e.g. after an interruption, changes nothing that was already imported.
Role: admin.

  --phone-column NAME       a column of phone numbers (repeatable)
  --email-column NAME       a column of email addresses (repeatable)
  --channels LIST           the channels of phone numbers (default: sms,voice)
  --program P               a program the file gives consent for (repeatable, or a list);
                            required: optgatectl does not guess which programs to change
  --state-column NAME       the column that says opted in or out (default: none, every
                            address is opted_in: the district's form means consent)
  --opted-in-values LIST    its values for opted in, any case (default:
                            opted_in,y,yes,true,1)
  --opted-out-values LIST   its values for opted out (default: opted_out,n,no,false,0)
  --connections N           requests in flight at once, one keep-alive connection each
                            (default: 8; 1 to 64)
  --progress, --no-progress force the progress bar on stderr on or off (default: on when
                            stderr is a terminal)
)",
    true,
    run_import};

}  // namespace optgate::ctl
