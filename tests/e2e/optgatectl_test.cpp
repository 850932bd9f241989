// optgatectl, the built binary, against a running daemon: help, exit statuses (usage, a
// refused key, an unreachable daemon), get/set/history, check from a file and from stdin
// (and a hundred thousand lines in one request), export-audit in both formats, hash-key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "core/digest.hpp"
#include "tests/e2e/optgatectl_fixture.hpp"
#include "tests/support/https_receiver.hpp"

namespace optgate::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* family = "+16515550100";

class Optgatectl : public optgatectl_test {
  protected:
    // set FAMILY sms/district -> state, at a fixed time with a fixed request id.
    static void set_family(const daemon_process& daemon, const std::string& state,
                           const std::string& at, const std::string& request_id) {
        const auto r =
            ctl(daemon, {"set", family, "--channel", "sms", "--program", "district", "--state",
                         state, "--at", at, "--source", "office", "--request-id", request_id});
        ASSERT_EQ(r.status, 0) << r.err;
        EXPECT_THAT(r.out, StartsWith("applied: ")) << r.out;
    }
};

TEST_F(Optgatectl, HelpListsEveryCommandAndTheExitStatuses) {
    const auto r = ctl_alone({"--help"});
    EXPECT_EQ(r.status, 0);
    for (const char* name : {"get", "set", "history", "check", "import", "export-audit", "hash-key",
                             "link", "watch", "feed-status"}) {
        EXPECT_THAT(r.out, HasSubstr("\n  " + std::string(name) + " ")) << name;
        const auto help = ctl_alone({name, "--help"});
        EXPECT_EQ(help.status, 0) << name;
        EXPECT_THAT(help.out, StartsWith("usage: optgatectl " + std::string(name)));
        EXPECT_THAT(help.out, HasSubstr("Exit status:"));
    }
    EXPECT_THAT(r.out, HasSubstr("5  not found"));
    EXPECT_THAT(r.out, HasSubstr("not through the TLS proxy"));
}

TEST_F(Optgatectl, BadUsageExitsTwoAndSaysWhy) {
    const auto daemon = start_daemon();
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{}, "no command given"},
        {{"frobnicate"}, "unknown command"},
        {{"get"}, "usage: optgatectl get ADDRESS"},
        {{"set", family, "--channel", "sms", "--program", "district", "--state", "maybe"},
         "--state opted_in|opted_out"},
        {{"set", family, "--channel", "sms", "--program", "district", "--state", "opted_in", "--at",
          "yesterday"},
         "--at must be an RFC 3339 time"},
        {{"get", family, "--api-key", "test-key"}, "never given on the command line"},
        {{"check", "--channel", "sms", "--program", "district", "/nonexistent"},
         "cannot read /nonexistent"},
        {{"export-audit", "--since", "last week"}, "--since must be an RFC 3339 time"},
        {{"get", family, "--timeout", "soon"}, "--timeout"},
    };
    for (const auto& [args, message] : cases) {
        const auto r = ctl(*daemon, args);
        EXPECT_EQ(r.status, 2) << ::testing::PrintToString(args) << r.err;
        EXPECT_THAT(r.err, HasSubstr(message)) << ::testing::PrintToString(args);
    }
    command_options with_key;
    with_key.env["OPTGATE_API_KEY"] = test_api_key;
    const auto https = ctl_alone({"get", family, "--url", "https://optgate.example.org"}, with_key);
    EXPECT_EQ(https.status, 2);
    EXPECT_THAT(https.err, HasSubstr("https:// is not supported: talk to optgated directly"));
    // The daemon finds a request malformed (an unknown program): also a usage error.
    const auto r = ctl(*daemon, {"set", family, "--channel", "sms", "--program", "sports",
                                 "--state", "opted_out"});
    EXPECT_EQ(r.status, 2);
    EXPECT_THAT(r.err, HasSubstr("the daemon answered 400: \"program\" must name a configured"));
    EXPECT_TRUE(audit_entries(*daemon).empty());
}

TEST_F(Optgatectl, WithoutAKeyExitsTwoAndWithAWrongOneThree) {
    const auto daemon = start_daemon();
    auto r = ctl_alone({"--url=http://127.0.0.1:" + std::to_string(daemon->port()), "get", family});
    EXPECT_EQ(r.status, 2);
    EXPECT_THAT(r.err, HasSubstr("no API key: set OPTGATE_API_KEY or use --api-key-file"));
    r = ctl(*daemon, {"get", family}, {}, "not-a-configured-key");
    EXPECT_EQ(r.status, 3);
    EXPECT_THAT(r.err, HasSubstr("the daemon answered 401"));
    // A key without the admin role may not change consent.
    r = ctl(*daemon,
            {"set", family, "--channel", "sms", "--program", "district", "--state", "opted_out"},
            {}, test_check_only_key);
    EXPECT_EQ(r.status, 3);
    EXPECT_THAT(r.err, HasSubstr("the daemon answered 403: this API key lacks the role admin"));
    EXPECT_EQ(text_of(check_one(*daemon, family), "reason"), "default");
    // From a file, the key works (one trailing newline is not part of it).
    const auto key_file = write_file("key", std::string(test_api_key) + "\n");
    r = ctl_alone({"--url=http://127.0.0.1:" + std::to_string(daemon->port()), "get", family,
                   "--api-key-file", key_file.string()});
    EXPECT_EQ(r.status, 0) << r.err;
}

TEST_F(Optgatectl, AnUnreachableDaemonExitsOne) {
    auto daemon = start_daemon();
    daemon->stop();  // its port is now closed
    const auto r = ctl(*daemon, {"get", family, "--timeout", "5"});
    EXPECT_EQ(r.status, 1);
    EXPECT_THAT(r.err, HasSubstr("cannot talk to the daemon at http://127.0.0.1:"));
}

TEST_F(Optgatectl, SetGetAndHistoryNewestFirst) {
    const auto daemon = start_daemon();
    set_family(*daemon, "opted_out", "2026-01-05T10:00:00Z", "req-1");
    set_family(*daemon, "opted_in", "2026-01-06T10:00:00Z", "req-2");
    // The same request id again changes nothing.
    auto r = ctl(*daemon, {"set", family, "--channel", "sms", "--program", "district", "--state",
                           "opted_out", "--request-id", "req-2"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_THAT(r.out, StartsWith("duplicate: "));

    // Any usual form of the number names the same address.
    r = ctl(*daemon, {"get", "(651) 555-0100"});
    ASSERT_EQ(r.status, 0) << r.err;
    auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    EXPECT_EQ(lines[0], "address +16515550100");
    EXPECT_THAT(lines[1], StartsWith("CHANNEL  PROGRAM   STATE     SINCE"));
    EXPECT_TRUE(std::regex_match(
        lines[2],
        std::regex("sms +district +opted_in +2026-01-06T10:00:00.000Z +office +req-2 +-")))
        << lines[2];

    r = ctl(*daemon, {"get", family, "--json"});
    ASSERT_EQ(r.status, 0);
    const auto doc = boost::json::parse(r.out);
    EXPECT_EQ(doc.at("records").at(0).at("state"), "opted_in");

    r = ctl(*daemon, {"history", family});
    ASSERT_EQ(r.status, 0) << r.err;
    lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    EXPECT_THAT(lines[0], StartsWith("RECEIVED"));
    EXPECT_TRUE(std::regex_search(
        lines[1], std::regex("opted_out +opted_in +applied +office +office +req-2")))
        << lines[1];
    EXPECT_TRUE(
        std::regex_search(lines[2], std::regex(" - +opted_out +applied +office +office +req-1")))
        << lines[2];

    r = ctl(*daemon, {"history", family, "--json"});
    ASSERT_EQ(r.status, 0);
    const auto history = boost::json::parse(r.out).as_array();
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].at("reference"), "req-2");

    // An import row may not re-opt-in (rule 7).
    set_family(*daemon, "opted_out", "2026-01-07T10:00:00Z", "req-3");
    r = ctl(*daemon, {"set", family, "--channel", "sms", "--program", "district", "--state",
                      "opted_in", "--source", "import"});
    EXPECT_EQ(r.status, 0);
    EXPECT_THAT(r.out, StartsWith("refused: "));
    EXPECT_EQ(text_of(check_one(*daemon, family), "reason"), "opted_out");
}

TEST_F(Optgatectl, GetOfAnAddressWithoutRecordsSaysTheDefaultsApply) {
    const auto daemon = start_daemon();
    const auto r = ctl(*daemon, {"get", "jane@example.org"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out,
              "address jane@example.org\nno records: every program's configured default "
              "applies\n");
    EXPECT_EQ(ctl(*daemon, {"get", "not an address"}).status, 2);
}

TEST_F(Optgatectl, CheckReadsAFileOrStdinAndPrintsCsvInInputOrder) {
    const auto daemon = start_daemon();
    set_family(*daemon, "opted_out", "2026-01-05T10:00:00Z", "req-1");
    const auto list =
        write_file("recipients.txt", "(651) 555-0100\n651-555-0101\r\nbad, \"x\"\n\n");
    const std::string expected =
        "input,address,decision,state,reason,since,source\r\n"
        "(651) 555-0100,+16515550100,denied,opted_out,opted_out,2026-01-05T10:00:00.000Z,office\r\n"
        "651-555-0101,+16515550101,allowed,opted_in,default,,\r\n"
        "\"bad, \"\"x\"\"\",,denied,,invalid_address,,\r\n";
    const std::string summary =
        "check: 3 recipients, 1 allowed, 2 denied (invalid_address 1, opted_out 1)\n";
    auto r = ctl(*daemon, {"check", "--channel", "sms", "--program", "district", list.string()});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, expected);
    EXPECT_EQ(r.err, summary);

    command_options from_stdin;
    from_stdin.stdin_file = list;
    for (const std::vector<std::string>& operands : {std::vector<std::string>{"-"}, {}}) {
        std::vector<std::string> args{"check", "--channel", "sms", "--program", "district"};
        args.insert(args.end(), operands.begin(), operands.end());
        r = ctl(*daemon, args, from_stdin);
        EXPECT_EQ(r.status, 0) << r.err;
        EXPECT_EQ(r.out, expected);
        EXPECT_EQ(r.err, summary);
    }

    r = ctl(*daemon,
            {"check", "--channel", "sms", "--program", "district", "--json", list.string()});
    EXPECT_EQ(r.status, 0) << r.err;
    const auto doc = boost::json::parse(r.out);
    EXPECT_EQ(doc.at("allowed"), 1);
    EXPECT_EQ(doc.at("results").at(2).at("reason"), "invalid_address");
}

TEST_F(Optgatectl, CheckOfAHundredThousandLinesIsOneRequestStreamedOut) {
    const auto daemon = start_daemon();
    auto r = ctl(*daemon, {"set", "+16512000100", "--channel", "sms", "--program", "district",
                           "--state", "opted_out"});
    ASSERT_EQ(r.status, 0) << r.err;
    constexpr int count = 100000;
    std::string list;
    for (int i = 0; i < count; ++i) list += "+1651" + std::to_string(2000000 + i) + "\n";
    const auto path = write_file("many.txt", list);
    r = ctl(*daemon, {"check", "--channel", "sms", "--program", "district", path.string()});
    ASSERT_EQ(r.status, 0) << r.err;
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), count + 1u);
    EXPECT_THAT(lines[1], StartsWith("+16512000000,+16512000000,allowed,"));
    EXPECT_THAT(lines[101], StartsWith("+16512000100,+16512000100,denied,opted_out,"));
    EXPECT_THAT(lines[count], StartsWith("+16512099999,+16512099999,allowed,"));
    EXPECT_EQ(r.err, "check: 100000 recipients, 99999 allowed, 1 denied (opted_out 1)\n");
    EXPECT_THAT(daemon->request(http_call{"GET", "/metrics", {}, {}, std::chrono::seconds(5)}).body,
                HasSubstr("optgate_http_requests_total{route=\"/v1/check\",status=\"200\"} 1\n"));
}

// The daemon cuts its answer when its Redis connection is made again midway: check prints
// the daemon's reason and exits 1, never 0 with the rows of a partial answer. Its output
// goes to a pipe read only after a while, so that it (and the daemon) stop midway.
TEST_F(Optgatectl, CheckOfAnAnswerTheDaemonCutShortSaysWhyAndExits1) {
    const auto daemon = start_daemon();
    std::string list;
    for (int i = 0; i < 300000; ++i) list += "+1651" + std::to_string(2000000 + i) + "\n";
    const auto path = write_file("many.txt", list);
    const auto out = dir() / "out.csv";
    command_result r;
    std::thread run([&] {
        command_options options;
        options.env["OPTGATE_API_KEY"] = test_api_key;
        options.env["OPTGATE_URL"] = "http://127.0.0.1:" + std::to_string(daemon->port());
        r = run_command({"bash", "-c",
                         "set -o pipefail; \"$0\" check --channel sms --program district \"$1\" "
                         "| { sleep 4; cat > \"$2\"; }",
                         optgatectl_path(), path.string(), out.string()},
                        options);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(2000));
    redis().command({"CLIENT", "KILL", "TYPE", "normal"});
    run.join();
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr("the daemon could not finish the check: "));
    EXPECT_THAT(r.err, HasSubstr("the answer is incomplete"));
    EXPECT_THAT(r.err, Not(HasSubstr("check: 300000 recipients")));
}

TEST_F(Optgatectl, ExportAuditStreamsNdjsonOrCsvToAFileOrStdout) {
    const auto daemon = start_daemon();
    set_family(*daemon, "opted_out", "2026-01-05T10:00:00Z", "req-1");
    set_family(*daemon, "opted_in", "2026-01-06T10:00:00Z", "req-2");
    const auto out = dir() / "audit.ndjson";
    auto r = ctl(*daemon, {"export-audit", "--output", out.string()});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out.string() + ".part"));
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    const auto lines = lines_of(text.str());
    ASSERT_EQ(lines.size(), 2u) << text.str();
    EXPECT_EQ(boost::json::parse(lines[0]).at("reference"), "req-1");
    EXPECT_EQ(boost::json::parse(lines[1]).at("reference"), "req-2");
    EXPECT_THAT(r.err, HasSubstr("2 lines written to " + out.string()));

    r = ctl(*daemon, {"export-audit", "--format", "csv", "--since", "2000-01-01T00:00:00Z",
                      "--until", "2100-01-01T00:00:00+01:00"});
    ASSERT_EQ(r.status, 0) << r.err;
    const auto rows = lines_of(r.out);
    ASSERT_EQ(rows.size(), 3u) << r.out;
    EXPECT_THAT(rows[0], StartsWith("address,channel,program,from,to,outcome,"));
    EXPECT_THAT(rows[1], StartsWith("\"+16515550100\",\"sms\",\"district\",\"\",\"opted_out\""));

    // Nothing was received in the future.
    r = ctl(*daemon, {"export-audit", "--since", "2100-01-01T00:00:00Z"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "");
    // An audit-less key gets nothing, and leaves no file behind.
    const auto refused = dir() / "refused.ndjson";
    r = ctl(*daemon, {"export-audit", "--output", refused.string()}, {}, test_check_only_key);
    EXPECT_EQ(r.status, 3);
    EXPECT_FALSE(std::filesystem::exists(refused));
    EXPECT_FALSE(std::filesystem::exists(refused.string() + ".part"));
}

TEST_F(Optgatectl, HashKeyMatchesSha256sumAndWorksWithoutADaemon) {
    const auto key_file = write_file("key", "k-7f3a9c2e\n");
    command_options options;
    options.stdin_file = key_file;
    const auto r = ctl_alone(
        {"hash-key", "--name", "district-office", "--role", "check,admin", "--role", "audit"},
        options);
    ASSERT_EQ(r.status, 0) << r.err;
    const auto sum = run_command({"sh", "-c", "printf %s k-7f3a9c2e | sha256sum"});
    ASSERT_EQ(sum.status, 0);
    const std::string hex = sum.out.substr(0, 64);
    EXPECT_EQ(r.out, "  - { name: \"district-office\", sha256: \"" + hex +
                         "\", roles: [check, admin, audit] }\n");

    const auto generated = ctl_alone({"hash-key", "--generate"});
    ASSERT_EQ(generated.status, 0) << generated.err;
    const auto lines = lines_of(generated.out);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].size(), 43u);  // 32 random bytes, base64url
    EXPECT_EQ(lines[1], "  - { name: \"CHANGE-ME\", sha256: \"" + to_hex(sha256(lines[0])) +
                            "\", roles: [check] }");
    EXPECT_NE(lines_of(ctl_alone({"hash-key", "--generate"}).out)[0], lines[0]);
    EXPECT_EQ(ctl_alone({"hash-key", "--role", "root"}, options).status, 2);
    EXPECT_EQ(ctl_alone({"hash-key"}).status, 2);  // an empty stdin
}

TEST_F(Optgatectl, LinkPrintsOneClickUrlsThatUnsubscribe) {
    const auto daemon = start_daemon("unsubscribe_links: { secret: \"test-link-secret\" }\n");
    auto r = ctl(*daemon, {"link", "Jane@Example.org", "6515550100", "--program", "district"}, {},
                 test_check_only_key);
    EXPECT_EQ(r.status, 4) << r.err;  // a phone number has no unsubscribe link
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    EXPECT_TRUE(std::regex_match(lines[0], std::regex("INPUT +URL")));
    std::smatch m;
    ASSERT_TRUE(std::regex_match(
        lines[1], m, std::regex("Jane@Example.org +https://optgate\\.test(/unsubscribe/[^ ]+)")))
        << lines[1];
    EXPECT_TRUE(std::regex_match(lines[2], std::regex("6515550100 +error: invalid_address")));

    // The URL works: a one-click POST unsubscribes the address from the program.
    http_call click{"POST",
                    m[1].str(),
                    "List-Unsubscribe=One-Click",
                    {{"Content-Type", "application/x-www-form-urlencoded"}}};
    EXPECT_EQ(daemon->request(click).status / 100, 2);
    EXPECT_EQ(text_of(check_one(*daemon, "jane@example.org", "district", "email"), "reason"),
              "opted_out");

    r = ctl(*daemon, {"link", "ann@example.org", "--program", "district", "--json"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(boost::json::parse(r.out).at("links").at(0).at("address"), "ann@example.org");
}

TEST_F(Optgatectl, LinkWithoutUnsubscribeLinksConfiguredExitsFive) {
    const auto daemon = start_daemon();
    const auto r = ctl(*daemon, {"link", "ann@example.org", "--program", "district"});
    EXPECT_EQ(r.status, 5);
    EXPECT_THAT(r.err, HasSubstr("its config has no unsubscribe_links"));
}

// watch prints the change feed as it comes, a JSON change per line, from any cursor.
TEST_F(Optgatectl, WatchPrintsEachChangeOnALine) {
    const auto daemon = start_daemon();
    set_family(*daemon, "opted_out", "2026-01-05T10:00:00Z", "req-1");
    set_family(*daemon, "opted_in", "2026-01-06T10:00:00Z", "req-2");
    const auto r = ctl(*daemon, {"watch", "--after", "0", "--count", "2"});
    ASSERT_EQ(r.status, 0) << r.err;
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 2u) << r.out;
    EXPECT_THAT(lines[0], HasSubstr("\"to\":\"opted_out\""));
    EXPECT_THAT(lines[1], HasSubstr("\"to\":\"opted_in\""));
    EXPECT_THAT(lines[1], HasSubstr("\"reference\":\"req-2\""));
    EXPECT_EQ(ctl(*daemon, {"watch", "--after", "yesterday"}).status, 2);
}

}  // namespace
// feed-status shows each webhook as the instances share it: its cursor, lag, last delivery
// and which instance delivers it.
TEST_F(Optgatectl, FeedStatusShowsEachWebhook) {
    const auto quiet = start_daemon();
    const auto none = ctl(*quiet, {"feed-status"});
    ASSERT_EQ(none.status, 0) << none.err;
    EXPECT_THAT(none.out, HasSubstr("no webhooks configured"));

    const test_tls_authority authority;
    https_receiver receiver(authority, test_webhook_secret);
    const auto ca = write_file("ca.pem", authority.ca_pem());
    const auto daemon = start_daemon(test_webhook_yaml(receiver.port(), ca.string()));
    set_family(*daemon, "opted_out", "2026-01-05T10:00:00Z", "req-1");
    ASSERT_TRUE(
        wait_until([&] { return receiver.taken_changes().size() == 1; }, std::chrono::seconds(10)));
    const auto r = ctl(*daemon, {"feed-status"});
    ASSERT_EQ(r.status, 0) << r.err;
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    EXPECT_THAT(lines[1], StartsWith("WEBHOOK"));
    EXPECT_THAT(lines[2], StartsWith("sis "));
    EXPECT_THAT(lines[2], HasSubstr(" 0.0 "));  // caught up
    EXPECT_NE(lines[2].back(), '-') << "DELIVERED_BY, the instance holding the lease";
    const auto json_out = ctl(*daemon, {"feed-status", "--json"});
    EXPECT_THAT(json_out.out, HasSubstr("\"name\":\"sis\""));
}

}  // namespace optgate::testing
