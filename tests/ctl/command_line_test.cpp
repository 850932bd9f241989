// optgatectl's argument parsing: commands and their options as each command declares them,
// the common options anywhere, and a clear usage error for everything else, including an
// API key on the command line (it would show in `ps`).
#include "ctl/command_line.hpp"

#include <gtest/gtest.h>

#include "ctl/commands.hpp"

namespace optgate::ctl {
namespace {

std::variant<command_line, usage_error> parse(std::vector<std::string> args) {
    return parse_command_line(args, all_specs());
}

command_line parsed(std::vector<std::string> args) {
    auto result = parse(std::move(args));
    if (const auto* e = std::get_if<usage_error>(&result)) {
        ADD_FAILURE() << e->message;
        return {};
    }
    return std::get<command_line>(result);
}

std::string error_of(std::vector<std::string> args) {
    auto result = parse(std::move(args));
    if (const auto* e = std::get_if<usage_error>(&result)) return e->message;
    ADD_FAILURE() << "parsed without error";
    return {};
}

TEST(CommandLine, ReadsACommandItsOptionsAndOperands) {
    const auto line = parsed(
        {"set", "+16515550100", "--channel", "sms", "--program=district", "--state", "opted_out"});
    EXPECT_EQ(line.command, "set");
    EXPECT_EQ(line.operands, std::vector<std::string>{"+16515550100"});
    EXPECT_EQ(line.value("channel"), "sms");
    EXPECT_EQ(line.value("program"), "district");
    EXPECT_EQ(line.value("state"), "opted_out");
    EXPECT_EQ(line.value("at"), std::nullopt);
}

TEST(CommandLine, CommonOptionsGoBeforeOrAfterTheCommand) {
    const auto line = parsed({"--url", "http://127.0.0.1:9000", "get", "+16515550100",
                              "--timeout=5", "--api-key-file", "/etc/optgate/key"});
    EXPECT_EQ(line.command, "get");
    EXPECT_EQ(line.value("url"), "http://127.0.0.1:9000");
    EXPECT_EQ(line.value("timeout"), "5");
    EXPECT_EQ(line.value("api-key-file"), "/etc/optgate/key");
}

TEST(CommandLine, RepeatableOptionsKeepEveryValueInOrder) {
    const auto line = parsed({"import", "sis.csv", "--phone-column", "Mobile", "--phone-column",
                              "Home Phone", "--program", "district", "--progress"});
    EXPECT_EQ(line.all("phone-column"), (std::vector<std::string>{"Mobile", "Home Phone"}));
    EXPECT_TRUE(line.flag("progress"));
    EXPECT_FALSE(line.flag("no-progress"));
}

TEST(CommandLine, ADashIsAnOperandAndDoubleDashEndsOptions) {
    EXPECT_EQ(parsed({"check", "--channel", "sms", "--program", "district", "-"}).operands,
              std::vector<std::string>{"-"});
    EXPECT_EQ(parsed({"get", "--", "--odd-name@example.org"}).operands,
              std::vector<std::string>{"--odd-name@example.org"});
}

TEST(CommandLine, HelpAndVersionNeedNoOperands) {
    EXPECT_TRUE(parsed({"--help"}).help);
    EXPECT_TRUE(parsed({"-h"}).help);
    EXPECT_TRUE(parsed({"--version"}).version);
    const auto line = parsed({"import", "--help"});
    EXPECT_TRUE(line.help);
    EXPECT_EQ(line.command, "import");
}

TEST(CommandLine, UsageErrorsSayWhatIsWrong) {
    EXPECT_EQ(error_of({}), "no command given");
    EXPECT_EQ(error_of({"frobnicate"}), "unknown command \"frobnicate\"");
    EXPECT_EQ(error_of({"get", "+16515550100", "--channel", "sms"}),
              "unknown option --channel for get");
    EXPECT_EQ(error_of({"set", "+16515550100", "--state"}), "--state needs a value");
    EXPECT_EQ(error_of({"set", "x", "--state", "opted_in", "--state", "opted_out"}),
              "--state is given twice");
    EXPECT_EQ(error_of({"get", "--json=yes", "x"}), "--json takes no value");
    EXPECT_EQ(error_of({"get", "-x", "a"}), "unknown option \"-x\"");
}

TEST(CommandLine, WrongNumberOfOperandsShowsTheSynopsis) {
    EXPECT_EQ(error_of({"get"}),
              "wrong number of operands; usage: optgatectl get ADDRESS [--json]");
    EXPECT_NE(error_of({"get", "a", "b"}).find("usage: optgatectl get"), std::string::npos);
    EXPECT_NE(error_of({"import"}).find("usage: optgatectl import FILE"), std::string::npos);
    EXPECT_NE(error_of({"link", "--program", "district"}).find("link ADDRESS..."),
              std::string::npos);
}

TEST(CommandLine, AnApiKeyIsNeverAnArgument) {
    for (auto args : {std::vector<std::string>{"get", "x", "--api-key", "secret"},
                      std::vector<std::string>{"--api-key=secret", "get", "x"}}) {
        const auto message = error_of(args);
        EXPECT_NE(message.find("OPTGATE_API_KEY"), std::string::npos) << message;
        EXPECT_EQ(message.find("secret"), std::string::npos) << message;
    }
}

TEST(CommandLine, UsageErrorsNameTheCommandWhoseHelpApplies) {
    auto result = parse({"check", "--chanel", "sms"});
    ASSERT_TRUE(std::holds_alternative<usage_error>(result));
    EXPECT_EQ(std::get<usage_error>(result).command, "check");
}

TEST(SplitList, SplitsOnCommasAndDropsBlanks) {
    EXPECT_EQ(split_list("sms,voice"), (std::vector<std::string>{"sms", "voice"}));
    EXPECT_EQ(split_list(" sms , ,voice,"), (std::vector<std::string>{"sms", "voice"}));
    EXPECT_TRUE(split_list("").empty());
}

}  // namespace
}  // namespace optgate::ctl
