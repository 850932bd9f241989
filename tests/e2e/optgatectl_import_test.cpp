// optgatectl import, the built binary, against a running daemon: a student information
// system's CSV export (quoted fields, CRLF, several phone columns, an email column, a state
// column) becomes import rows; bad rows are reported by line and skipped (exit 4); rule 7
// holds (an opted-out family is not opted back in); the same file again changes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "tests/e2e/optgatectl_fixture.hpp"

namespace optgate::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Line 1: header; 2-3: good rows; 4-5: one record with a line break, its phone invalid;
// 6: an unknown state; 7: too few fields; 8: an opted-out family; 9: no address at all.
// Seven rows in all.
const std::string sis_export =
    "Student ID,\"Guardian, Name\",Mobile,Home Phone,Email,Consent\r\n"
    "1001,\"Doe, Jane\",(651) 555-0100,651-555-0101,Jane.Doe@Example.org,Y\r\n"
    "1002,\"O\"\"Brien, Pat\",\"651 555 0102\",,pat@example.org,yes\r\n"
    "1003,\"Line\r\nbreak\",555-0100,,,Y\r\n"
    "1004,Sam,6515550103,,,maybe\r\n"
    "1005,Kim,6515550104\r\n"
    "1006,Lee,6515550105,,,N\r\n"
    "1007,Ray,,,,Y\r\n";

const std::vector<std::string> mapping{"--phone-column", "Mobile",  "--phone-column", "Home Phone",
                                       "--email-column", "Email",   "--state-column", "Consent",
                                       "--program",      "district"};

class OptgatectlImport : public optgatectl_test {
  protected:
    command_result import(const daemon_process& daemon, const std::filesystem::path& file,
                          std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"import", file.string()};
        args.insert(args.end(), mapping.begin(), mapping.end());
        args.insert(args.end(), extra.begin(), extra.end());
        return ctl(daemon, args);
    }
};

// The number on the summary line that starts with `label`.
long summary_count(const std::string& out, const std::string& label) {
    std::smatch m;
    if (!std::regex_search(out, m, std::regex("(^|\\n) *" + label + " +([0-9]+)"))) {
        ADD_FAILURE() << "no \"" << label << "\" in\n" << out;
        return -1;
    }
    return std::stol(m[2]);
}

TEST_F(OptgatectlImport, ImportsTheExportReportsBadRowsByLineAndKeepsOptOuts) {
    const auto daemon = start_daemon();
    // Before the nightly import, the family of +16515550101 texted STOP, and the families of
    // +16515550100 and +16515550105 START.
    ASSERT_EQ(send_sms(*daemon, "+16515550101", district_code, "STOP", message_sid(1)).status, 200);
    ASSERT_EQ(send_sms(*daemon, "+16515550100", district_code, "START", message_sid(2)).status,
              200);
    ASSERT_EQ(send_sms(*daemon, "+16515550105", district_code, "START", message_sid(3)).status,
              200);
    const auto file = write_file("sis.csv", sis_export);
    const auto r = import(*daemon, file);
    EXPECT_EQ(r.status, 4) << r.err;
    const std::string name = file.string();
    EXPECT_THAT(r.err,
                HasSubstr(name + ": line 4: column \"Mobile\" is not a phone number; skipped"));
    EXPECT_THAT(r.err, HasSubstr(name + ": line 6: column \"Consent\": \"maybe\" is neither"));
    EXPECT_THAT(r.err, HasSubstr(name + ": line 7: it has 3 fields, the header has 6"));
    EXPECT_THAT(r.err, Not(HasSubstr("555-0100")));  // bad cells are not echoed
    EXPECT_EQ(summary_count(r.out, "rows"), 7);
    EXPECT_EQ(summary_count(r.out, "bad rows"), 3);
    EXPECT_EQ(summary_count(r.out, "without address"), 1);
    // Phones 0100, 0101, 0102, 0105 on sms and voice; two emails: 10 changes.
    EXPECT_EQ(summary_count(r.out, "addresses"), 6);
    EXPECT_EQ(summary_count(r.out, "changes sent"), 10);
    // Created: the voice records, 0102 on sms, the emails. Changed: 0105 on sms (the form
    // says N). Kept: 0100 on sms, already opted in. Refused: 0101 on sms (rule 7).
    EXPECT_EQ(summary_count(r.out, "created"), 7);
    EXPECT_EQ(summary_count(r.out, "changed"), 1);
    EXPECT_EQ(summary_count(r.out, "kept"), 1);
    EXPECT_THAT(r.out, HasSubstr("unchanged 1 (already so), duplicate 0"));
    EXPECT_EQ(summary_count(r.out, "refused"), 1);
    EXPECT_EQ(summary_count(r.out, "pending"), 0);

    // Rule 7: the STOP stands; voice had no record, so the import created one.
    auto out = check_one(*daemon, "+16515550101");
    EXPECT_EQ(text_of(out, "reason"), "opted_out");
    EXPECT_EQ(text_of(out, "source"), "twilio-sms");
    out = check_one(*daemon, "+16515550101", "district", "voice");
    EXPECT_EQ(text_of(out, "reason"), "opted_in");
    EXPECT_EQ(text_of(out, "source"), "import");
    // The form said N: opted out on both channels; the email, lower-cased, opted in.
    EXPECT_EQ(text_of(check_one(*daemon, "+16515550105", "district", "voice"), "reason"),
              "opted_out");
    out = check_one(*daemon, "jane.doe@example.org", "district", "email");
    EXPECT_EQ(text_of(out, "reason"), "opted_in");
    EXPECT_EQ(text_of(out, "source"), "import");
    // Nothing of the bad rows, nor of the program not named.
    EXPECT_EQ(text_of(check_one(*daemon, "+16515550103"), "reason"), "default");
    EXPECT_EQ(text_of(check_one(*daemon, "+16515550100", "emergency"), "reason"), "default");

    // The same file again: every change is a duplicate, nothing is written or audited again.
    const auto audited = audit_entries(*daemon).size();
    const auto again = import(*daemon, file);
    EXPECT_EQ(again.status, 4);
    EXPECT_EQ(summary_count(again.out, "created"), 0);
    EXPECT_EQ(summary_count(again.out, "changed"), 0);
    EXPECT_EQ(summary_count(again.out, "kept"), 10);
    EXPECT_THAT(again.out, HasSubstr("unchanged 0 (already so), duplicate 10"));
    EXPECT_EQ(summary_count(again.out, "refused"), 0);
    EXPECT_EQ(audit_entries(*daemon).size(), audited);
}

TEST_F(OptgatectlImport, AnOptedOutFamilyIsNotOptedBackInByANewFile) {
    const auto daemon = start_daemon();
    const auto first = write_file("monday.csv", "Phone\n6515550100\n");
    const std::vector<std::string> phone{"--phone-column", "Phone",      "--program",
                                         "district",       "--channels", "sms"};
    auto args = std::vector<std::string>{"import", first.string()};
    args.insert(args.end(), phone.begin(), phone.end());
    auto r = ctl(*daemon, args);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(summary_count(r.out, "created"), 1);
    ASSERT_EQ(send_sms(*daemon, "+16515550100", district_code, "STOP", message_sid(1)).status, 200);
    // Tuesday's export still lists the family (another file: new request ids).
    const auto second =
        write_file("tuesday.csv", "Phone\r\n\"+1 (651) 555-0100\"\r\n6515550199\r\n");
    args[1] = second.string();
    r = ctl(*daemon, args);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(summary_count(r.out, "created"), 1);
    EXPECT_EQ(summary_count(r.out, "refused"), 1);
    EXPECT_EQ(text_of(check_one(*daemon, "+16515550100"), "reason"), "opted_out");
}

TEST_F(OptgatectlImport, ReadsStdinAndDrawsProgressWhenAsked) {
    const auto daemon = start_daemon();
    const auto file = write_file("emails.csv", "Email\nann@example.org\nbo@example.org\n");
    command_options options;
    options.stdin_file = file;
    const auto r = ctl(*daemon,
                       {"import", "-", "--email-column", "Email", "--program", "district,emergency",
                        "--progress", "--connections", "2"},
                       options);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(summary_count(r.out, "created"), 4);
    EXPECT_THAT(r.err, HasSubstr("100%  4/4 changes"));
    EXPECT_EQ(text_of(check_one(*daemon, "bo@example.org", "emergency", "email"), "source"),
              "import");
}

TEST_F(OptgatectlImport, AMissingColumnOrProgramSendsNothing) {
    const auto daemon = start_daemon();
    const auto file = write_file("sis.csv", sis_export);
    auto r =
        ctl(*daemon, {"import", file.string(), "--phone-column", "Cell", "--program", "district"});
    EXPECT_EQ(r.status, 2);
    EXPECT_THAT(r.err, HasSubstr("the header has no column \"Cell\""));
    r = ctl(*daemon, {"import", file.string(), "--phone-column", "Mobile"});
    EXPECT_EQ(r.status, 2);
    EXPECT_THAT(r.err, HasSubstr("--program"));
    // A program the daemon does not know: the first refusal stops the import.
    r = ctl(*daemon, {"import", file.string(), "--phone-column", "Mobile", "--program", "sports"});
    EXPECT_EQ(r.status, 2);
    EXPECT_THAT(r.err, HasSubstr("\"program\" must name a configured program"));
    EXPECT_THAT(r.err, HasSubstr("import stopped"));
    EXPECT_TRUE(audit_entries(*daemon).empty());
}

TEST_F(OptgatectlImport, AWrongKeyStopsTheImportWithExitThree) {
    const auto daemon = start_daemon();
    const auto file = write_file("sis.csv", sis_export);
    auto args = std::vector<std::string>{"import", file.string()};
    args.insert(args.end(), mapping.begin(), mapping.end());
    const auto r = ctl(*daemon, args, {}, test_check_only_key);
    EXPECT_EQ(r.status, 3);
    EXPECT_THAT(r.err, HasSubstr("lacks the role admin"));
    EXPECT_EQ(summary_count(r.out, "changes sent"), 0);
    EXPECT_TRUE(audit_entries(*daemon).empty());
}

}  // namespace
}  // namespace optgate::testing
