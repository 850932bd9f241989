// The SMS keyword rules of SPEC ("SMS keywords"): which inbound text is an opt-out, an
// opt-in, a help request or nothing, over case, spacing, punctuation and phone Unicode.
#include "core/sms_keyword.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/keyword_cases.hpp"

namespace optgate {
namespace {

using namespace keyword_testing;

// Other UTF-8 sequences phones put into texts (keyword_cases.hpp has the common ones).
const std::string left_dquote = "\xE2\x80\x9C";        // U+201C
const std::string right_dquote = "\xE2\x80\x9D";       // U+201D
const std::string left_squote = "\xE2\x80\x98";        // U+2018
const std::string right_squote = "\xE2\x80\x99";       // U+2019
const std::string ideographic_space = "\xE3\x80\x80";  // U+3000
const std::string e_acute = "\xC3\xA9";                // U+00E9

TEST(SmsKeyword, EveryKeywordOfSpecInAnyCase) {
    expect_cases(
        {
            {"STOP", out, exact, "STOP"},
            {"stop", out, exact, "STOP"},
            {"Stop", out, exact, "STOP"},
            {"sToP", out, exact, "STOP"},
            {"UNSUBSCRIBE", out, exact, "UNSUBSCRIBE"},
            {"unsubscribe", out, exact, "UNSUBSCRIBE"},
            {"UnSubscribe", out, exact, "UNSUBSCRIBE"},
            {"CANCEL", out, exact, "CANCEL"},
            {"cancel", out, exact, "CANCEL"},
            {"Cancel", out, exact, "CANCEL"},
            {"END", out, exact, "END"},
            {"end", out, exact, "END"},
            {"End", out, exact, "END"},
            {"QUIT", out, exact, "QUIT"},
            {"quit", out, exact, "QUIT"},
            {"Quit", out, exact, "QUIT"},
            {"REVOKE", out, exact, "REVOKE"},
            {"revoke", out, exact, "REVOKE"},
            {"Revoke", out, exact, "REVOKE"},
            {"OPTOUT", out, exact, "OPTOUT"},
            {"optout", out, exact, "OPTOUT"},
            {"OptOut", out, exact, "OPTOUT"},
            {"OPT OUT", out, exact, "OPT OUT"},
            {"opt out", out, exact, "OPT OUT"},
            {"Opt Out", out, exact, "OPT OUT"},
            {"OPT-OUT", out, exact, "OPT OUT"},
            {"opt-out", out, exact, "OPT OUT"},
            {"Opt-Out", out, exact, "OPT OUT"},
            {"REMOVE", out, exact, "REMOVE"},
            {"remove", out, exact, "REMOVE"},
            {"Remove", out, exact, "REMOVE"},
            {"STOPALL", all, exact, "STOPALL"},
            {"stopall", all, exact, "STOPALL"},
            {"StopAll", all, exact, "STOPALL"},
            {"STOP ALL", all, exact, "STOP ALL"},
            {"stop all", all, exact, "STOP ALL"},
            {"Stop All", all, exact, "STOP ALL"},
            {"START", in, exact, "START"},
            {"start", in, exact, "START"},
            {"Start", in, exact, "START"},
            {"YES", in, exact, "YES"},
            {"yes", in, exact, "YES"},
            {"Yes", in, exact, "YES"},
            {"UNSTOP", in, exact, "UNSTOP"},
            {"unstop", in, exact, "UNSTOP"},
            {"UnStop", in, exact, "UNSTOP"},
            {"HELP", help, exact, "HELP"},
            {"help", help, exact, "HELP"},
            {"Help", help, exact, "HELP"},
            {"INFO", help, exact, "INFO"},
            {"info", help, exact, "INFO"},
            {"Info", help, exact, "INFO"},
        },
        keyword_rules{});
}

TEST(SmsKeyword, SurroundingWhiteSpaceTrailingPunctuationAndInnerSpacesAreIgnored) {
    expect_cases(
        {
            {"  stop  ", out, exact, "STOP"},
            {"\tSTOP\t", out, exact, "STOP"},
            {"\nstop\n", out, exact, "STOP"},
            {"\r\nStop\r\n", out, exact, "STOP"},
            {" \t\n Start \n\t ", in, exact, "START"},
            {"Stop!", out, exact, "STOP"},
            {"STOP.", out, exact, "STOP"},
            {"stop!!!", out, exact, "STOP"},
            {"Stop?", out, exact, "STOP"},
            {"stop ?! ", out, exact, "STOP"},
            {"Cancel.", out, exact, "CANCEL"},
            {"END!", out, exact, "END"},
            {"Opt-Out!", out, exact, "OPT OUT"},
            {"yes!", in, exact, "YES"},
            {"Help?", help, exact, "HELP"},
            {"info...", help, exact, "INFO"},
            {"stop   all", all, exact, "STOP ALL"},
            {"stop\tall", all, exact, "STOP ALL"},
            {" Stop \n All! ", all, exact, "STOP ALL"},
            {"STOPALL!", all, exact, "STOPALL"},
            {"opt   out", out, exact, "OPT OUT"},
            {"opt\nout.", out, exact, "OPT OUT"},
        },
        keyword_rules{});
}

TEST(SmsKeyword, StopUnsubscribeRevokeAndOptOutCountInsideALongerMessage) {
    expect_cases(
        {
            {"please stop texting me", out, contained, "STOP"},
            {"Unsubscribe me!", out, contained, "UNSUBSCRIBE"},
            {"I want to opt out", out, contained, "OPT OUT"},
            {"I want to opt-out please", out, contained, "OPT OUT"},
            {"optout now", out, contained, "OPTOUT"},
            {"revoke my consent", out, contained, "REVOKE"},
            {"Please STOP.", out, contained, "STOP"},
            {"STOP STOP", out, contained, "STOP"},
            {"don't stop", out, contained, "STOP"},
            // STOP ALL counts only alone: inside a message it is the short code's program only.
            {"stop all texts please", out, contained, "STOP"},
        },
        keyword_rules{});
}

TEST(SmsKeyword, EndQuitCancelRemoveAndOptInHelpCountOnlyAlone) {
    expect_cases(
        {
            {"did they cancel school?", none, exact, ""},
            {"the end", none, exact, ""},
            {"The End.", none, exact, ""},
            {"quit it", none, exact, ""},
            {"please remove me", none, exact, ""},
            {"yes please", none, exact, ""},
            {"please start again", none, exact, ""},
            {"help me", none, exact, ""},
            {"more info", none, exact, ""},
        },
        keyword_rules{});
}

TEST(SmsKeyword, WordsThatMerelyContainStopAreNotStop) {
    expect_cases(
        {
            {"stopwatch", none, exact, ""},
            {"nonstop", none, exact, ""},
            {"unstoppable", none, exact, ""},
            {"stopping by later", none, exact, ""},
            {"my stopwatch broke", none, exact, ""},
            {"stop" + e_acute, none, exact, ""},
            {"endless", none, exact, ""},
        },
        keyword_rules{});
}

TEST(SmsKeyword, PhoneUnicodeSpacesAndPunctuation) {
    expect_cases(
        {
            {nbsp + "STOP" + nbsp, out, exact, "STOP"},
            {"STOP" + ellipsis, out, exact, "STOP"},
            {"Stop" + fullwidth_bang, out, exact, "STOP"},
            {"help" + fullwidth_query, help, exact, "HELP"},
            {left_dquote + "stop" + right_dquote, out, exact, "STOP"},
            {left_squote + "Start" + right_squote, in, exact, "START"},
            {ideographic_space + "STOP" + ideographic_space, out, exact, "STOP"},
            {"stop" + nbsp + "all", all, exact, "STOP ALL"},
            {"STOP " + stop_sign, out, exact, "STOP"},
            {"stop" + e_acute, none, exact, ""},
        },
        keyword_rules{});
}

TEST(SmsKeyword, EmptyWhiteSpaceAndPunctuationOnlyBodiesAreNothing) {
    expect_cases(
        {
            {"", none, exact, ""},
            {" ", none, exact, ""},
            {" \t\r\n ", none, exact, ""},
            {nbsp + ideographic_space, none, exact, ""},
            {"!!!", none, exact, ""},
            {"...", none, exact, ""},
            {"?!.", none, exact, ""},
            {ellipsis, none, exact, ""},
            {"hello", none, exact, ""},
            {"see you at the game tonight", none, exact, ""},
        },
        keyword_rules{});
}

TEST(SmsKeyword, ContainedOptOutCanBeTurnedOff) {
    keyword_rules rules;
    rules.set_contained_opt_out(false);
    expect_cases(
        {
            {"please stop texting me", none, exact, ""},
            {"Unsubscribe me!", none, exact, ""},
            {"I want to opt out", none, exact, ""},
            {"revoke my consent", none, exact, ""},
            {"please stop " + stop_sign, none, exact, ""},
            // Keywords alone still count, emoji and all.
            {"STOP " + stop_sign, out, exact, "STOP"},
            {"Stop!", out, exact, "STOP"},
            {"stop all", all, exact, "STOP ALL"},
            {"start", in, exact, "START"},
            {"help", help, exact, "HELP"},
        },
        rules);
}

TEST(SmsKeyword, ExtraConfiguredKeywordsForEachKind) {
    keyword_rules rules;
    rules.add("en", out, "halt");
    rules.add("en", out, "  no more  texts! ");
    rules.add("en", in, "Subscribe again");
    rules.add("en", help, "aide");
    expect_cases(
        {
            {"HALT", out, exact, "HALT"},
            {"Halt!", out, exact, "HALT"},
            {"no   more texts", out, exact, "NO MORE TEXTS"},
            {"Subscribe   again.", in, exact, "SUBSCRIBE AGAIN"},
            {"aide?", help, exact, "AIDE"},
            // Extra keywords count alone only, like the built-in opt-in and help keywords.
            {"please halt", none, exact, ""},
            // Built-in keywords still work.
            {"stop", out, exact, "STOP"},
        },
        rules);
}

TEST(SmsKeyword, ExtraKeywordsAreNotKnownWithoutConfiguration) {
    expect_cases({{"halt", none, exact, ""}, {"aide", none, exact, ""}}, keyword_rules{});
}

TEST(SmsKeyword, CanonicalKeyword) {
    EXPECT_EQ(canonical_keyword("  stop   all!! "), "STOP ALL");
    EXPECT_EQ(canonical_keyword("Opt-Out."), "OPT OUT");
    EXPECT_EQ(canonical_keyword("\xEF\xBC\xB3\xEF\xBC\xB4\xEF\xBC\xAF\xEF\xBC\xB0"), "STOP");
    EXPECT_EQ(canonical_keyword("\tyes\n"), "YES");
    EXPECT_EQ(canonical_keyword(nbsp + "yes" + ellipsis), "YES");
    EXPECT_EQ(canonical_keyword(""), "");
    EXPECT_EQ(canonical_keyword("?!"), "");
}

TEST(SmsKeyword, WireNames) {
    EXPECT_EQ(to_string(keyword_kind::none), "none");
    EXPECT_EQ(to_string(keyword_kind::opt_out), "opt_out");
    EXPECT_EQ(to_string(keyword_kind::opt_out_all), "opt_out_all");
    EXPECT_EQ(to_string(keyword_kind::opt_in), "opt_in");
    EXPECT_EQ(to_string(keyword_kind::help), "help");
    EXPECT_EQ(to_string(keyword_match::exact), "exact");
    EXPECT_EQ(to_string(keyword_match::contained), "contained");
}

}  // namespace
}  // namespace optgate
