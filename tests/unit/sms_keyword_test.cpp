// The SMS keyword rules of SPEC ("SMS keywords"): which inbound text is an opt-out, an
// opt-in, a help request or nothing, over case, spacing, punctuation and phone Unicode.
#include "core/sms_keyword.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace optgate {
namespace {

struct keyword_case {
    std::string body;
    keyword_kind kind;
    keyword_match match;
    std::string keyword;  // empty for none
};

constexpr auto out = keyword_kind::opt_out;
constexpr auto all = keyword_kind::opt_out_all;
constexpr auto in = keyword_kind::opt_in;
constexpr auto help = keyword_kind::help;
constexpr auto none = keyword_kind::none;
constexpr auto exact = keyword_match::exact;
constexpr auto contained = keyword_match::contained;

// UTF-8 sequences phones put into texts, spelled as bytes so the table reads unambiguously.
const std::string nbsp = "\xC2\xA0";                   // U+00A0 NO-BREAK SPACE
const std::string ellipsis = "\xE2\x80\xA6";           // U+2026 HORIZONTAL ELLIPSIS
const std::string fullwidth_bang = "\xEF\xBC\x81";     // U+FF01 FULLWIDTH EXCLAMATION MARK
const std::string fullwidth_query = "\xEF\xBC\x9F";    // U+FF1F FULLWIDTH QUESTION MARK
const std::string left_dquote = "\xE2\x80\x9C";        // U+201C
const std::string right_dquote = "\xE2\x80\x9D";       // U+201D
const std::string left_squote = "\xE2\x80\x98";        // U+2018
const std::string right_squote = "\xE2\x80\x99";       // U+2019
const std::string ideographic_space = "\xE3\x80\x80";  // U+3000
const std::string e_acute = "\xC3\xA9";                // U+00E9
const std::string stop_sign = "\xF0\x9F\x9B\x91";      // U+1F6D1 OCTAGONAL SIGN

std::string describe(const keyword_result& r) {
    return std::string(to_string(r.kind)) + "/" + std::string(to_string(r.match)) + "/" + r.keyword;
}

void expect_cases(const std::vector<keyword_case>& cases, const keyword_rules& rules) {
    for (const auto& c : cases) {
        SCOPED_TRACE("body " + testing::PrintToString(c.body));
        const keyword_result r = classify_sms(c.body, rules);
        EXPECT_EQ(r.kind, c.kind) << describe(r);
        if (c.kind == none) {
            EXPECT_EQ(r.keyword, "");
            continue;
        }
        EXPECT_EQ(r.match, c.match) << describe(r);
        EXPECT_EQ(r.keyword, c.keyword) << describe(r);
    }
}

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

// Bodies as phones and people really send them: emoji keyboards, predictive text, copy and
// paste from other apps, other scripts' spaces, invisible characters. Each is a STOP that an
// ASCII-only reading would miss, or a text that must stay nothing.
TEST(SmsKeyword, RealWorldBodiesAfterUnicodeNormalisation) {
    const std::string zwsp = "\xE2\x80\x8B";            // U+200B ZERO WIDTH SPACE
    const std::string zwnj = "\xE2\x80\x8C";            // U+200C ZERO WIDTH NON-JOINER
    const std::string zwj = "\xE2\x80\x8D";             // U+200D ZERO WIDTH JOINER
    const std::string bom = "\xEF\xBB\xBF";             // U+FEFF BYTE ORDER MARK
    const std::string word_joiner = "\xE2\x81\xA0";     // U+2060 WORD JOINER
    const std::string vs16 = "\xEF\xB8\x8F";            // U+FE0F VARIATION SELECTOR-16
    const std::string soft_hyphen = "\xC2\xAD";         // U+00AD
    const std::string rtl_mark = "\xE2\x80\x8F";        // U+200F RIGHT-TO-LEFT MARK
    const std::string narrow_nbsp = "\xE2\x80\xAF";     // U+202F
    const std::string em_space = "\xE2\x80\x83";        // U+2003
    const std::string line_separator = "\xE2\x80\xA8";  // U+2028
    const std::string en_dash = "\xE2\x80\x93";         // U+2013
    const std::string inverted_bang = "\xC2\xA1";       // U+00A1
    const std::string fullwidth_stop = "\xEF\xBC\xB3\xEF\xBC\xB4\xEF\xBC\xAF\xEF\xBC\xB0";
    const std::string fullwidth_start =
        "\xEF\xBD\x93\xEF\xBD\x94\xEF\xBD\x81\xEF\xBD\x92\xEF\xBD\x94";  // ｓｔａｒｔ
    const std::string math_bold_stop =
        "\xF0\x9D\x90\x92\xF0\x9D\x90\x93\xF0\x9D\x90\x8E\xF0\x9D\x90\x8F";  // 𝐒𝐓𝐎𝐏
    const std::string circled_stop = "\xE2\x93\x88\xE2\x93\x89\xE2\x93\x84\xE2\x93\x85";  // ⓈⓉⓄⓅ
    const std::string hand = "\xE2\x9C\x8B";           // U+270B RAISED HAND
    const std::string skin_tone = "\xF0\x9F\x8F\xBD";  // U+1F3FD
    const std::string red_heart = "\xE2\x9D\xA4";      // U+2764
    const std::string angry = "\xF0\x9F\x98\xA1";      // U+1F621
    const std::string thumbs_up = "\xF0\x9F\x91\x8D";  // U+1F44D
    const std::string no_entry = "\xE2\x9B\x94";       // U+26D4
    const std::string family =                         // man ZWJ woman ZWJ girl
        "\xF0\x9F\x91\xA8" + zwj + "\xF0\x9F\x91\xA9" + zwj + "\xF0\x9F\x91\xA7";
    const std::string keycap_one = "1" + vs16 + "\xE2\x83\xA3";  // 1️⃣
    const std::string flag_us = "\xF0\x9F\x87\xBA\xF0\x9F\x87\xB8";
    const std::string bullet = "\xE2\x80\xA2";  // U+2022
    const std::string guillemets_l = "\xC2\xAB", guillemets_r = "\xC2\xBB";
    const std::string check_mark = "\xE2\x9C\x85";  // U+2705

    expect_cases(
        {
            // Emoji before, after and glued to the word.
            {"STOP" + stop_sign, out, exact, "STOP"},
            {stop_sign + "STOP", out, exact, "STOP"},
            {stop_sign + " stop " + stop_sign, out, exact, "STOP"},
            {"Stop" + hand + skin_tone, out, exact, "STOP"},
            {"STOP" + angry + angry + angry, out, exact, "STOP"},
            {"stop" + red_heart + vs16, out, exact, "STOP"},
            {no_entry + vs16 + "STOP" + no_entry + vs16, out, exact, "STOP"},
            {"stop " + family, out, exact, "STOP"},
            {"STOP" + flag_us, out, exact, "STOP"},
            {"start" + thumbs_up, in, exact, "START"},
            {check_mark + "YES", in, exact, "YES"},
            {"STOP " + keycap_one, out, contained,
             "STOP"},  // "STOP 1": STOP in a message
                       // Invisible characters around and inside the word.
            {bom + "STOP", out, exact, "STOP"},
            {"STOP" + bom, out, exact, "STOP"},
            {zwsp + "stop" + zwsp, out, exact, "STOP"},
            {"ST" + zwsp + "OP", out, exact, "STOP"},
            {"S" + zwj + "T" + zwnj + "O" + word_joiner + "P", out, exact, "STOP"},
            {"STOP" + vs16, out, exact, "STOP"},
            {"st" + soft_hyphen + "op", out, exact, "STOP"},
            {rtl_mark + "STOP" + rtl_mark, out, exact, "STOP"},
            {word_joiner + "Stop" + word_joiner + "!", out, exact, "STOP"},
            {"stop" + zwsp + "please", out, contained, "STOP"},
            // The second reading errs on the side of the family: an opt-out, not nothing.
            {"non" + zwsp + "stop", out, contained, "STOP"},
            // Full width, compatibility and styled letters.
            {fullwidth_stop, out, exact, "STOP"},
            {fullwidth_stop + fullwidth_bang, out, exact, "STOP"},
            {fullwidth_start, in, exact, "START"},
            {math_bold_stop, out, exact, "STOP"},
            {circled_stop, out, exact, "STOP"},
            // Every kind of space, line break and dash.
            {narrow_nbsp + "STOP" + narrow_nbsp, out, exact, "STOP"},
            {em_space + "stop" + em_space, out, exact, "STOP"},
            {"STOP" + line_separator, out, exact, "STOP"},
            {"stop" + line_separator + "all", all, exact, "STOP ALL"},
            {"opt" + en_dash + "out", out, exact, "OPT OUT"},
            {"Opt" + nbsp + "Out", out, exact, "OPT OUT"},
            {"\r\n\r\nSTOP\r\n\r\n", out, exact, "STOP"},
            {"Stop\n\nSent from my iPhone", out, contained, "STOP"},
            // Mixed case and repeated punctuation in several scripts' marks.
            {"sToP!!!!!!!", out, exact, "STOP"},
            {"STOP?!?!", out, exact, "STOP"},
            {inverted_bang + "STOP!", out, exact, "STOP"},
            {guillemets_l + "stop" + guillemets_r, out, exact, "STOP"},
            {bullet + " STOP", out, exact, "STOP"},
            {"***STOP***", out, exact, "STOP"},
            {"<STOP>", out, exact, "STOP"},
            {"STOP.....", out, exact, "STOP"},
            {"\"Stop\"", out, exact, "STOP"},
            {"Unsubscribe" + ellipsis + " thanks", out, contained, "UNSUBSCRIBE"},
            {"PLEASE STOP" + stop_sign + stop_sign, out, contained, "STOP"},
            {"Stop texting me" + angry, out, contained, "STOP"},
            {"i said STOP" + fullwidth_bang + fullwidth_bang, out, contained, "STOP"},
            {"STOP, thank you", out, contained, "STOP"},
            {"stop pls" + red_heart + vs16, out, contained, "STOP"},
            // ...and what must stay nothing.
            {"stopwatch" + stop_sign, none, exact, ""},
            {"did they cancel school?" + thumbs_up, none, exact, ""},
            {"Did they cancel school" + fullwidth_query, none, exact, ""},
            {"Thanks" + red_heart + vs16, none, exact, ""},
            {stop_sign, none, exact, ""},
            {zwsp + bom + vs16, none, exact, ""},
            {"unstoppable" + hand, none, exact, ""},
            {"the end" + thumbs_up, none, exact, ""},
        },
        keyword_rules{});
}

// "Fancy text" keyboards decorate each letter with a combining mark that composes into no
// letter: underlined, struck through, circled. A person reads STOP; so must optgate. The
// Turkish capital dotted I casefolds to "i" and a combining dot. Such a reading only ever
// finds opt-outs: a decorated YES is no opt-in, and a letter that NFKC composes (STÖP) is
// still another word.
TEST(SmsKeyword, LettersDecoratedWithCombiningMarksStillOptOut) {
    const std::string underline = "\xCC\xB2";   // U+0332 COMBINING LOW LINE
    const std::string strike = "\xCC\xB6";      // U+0336 COMBINING LONG STROKE OVERLAY
    const std::string circle = "\xE2\x83\x9D";  // U+20DD COMBINING ENCLOSING CIRCLE
    const auto decorate = [](std::string_view word, const std::string& mark) {
        std::string out;
        for (char c : word) out += std::string(1, c) + mark;
        return out;
    };
    expect_cases(
        {
            {decorate("STOP", underline), out, exact, "STOP"},
            {decorate("stop", strike), out, exact, "STOP"},
            {decorate("STOP", circle), out, exact, "STOP"},
            {decorate("STOP", underline) + " " + decorate("ALL", underline), all, exact,
             "STOP ALL"},
            {"please " + decorate("stop", underline) + " texting", out, contained, "STOP"},
            {decorate("QUIT", strike), out, exact, "QUIT"},
            {"UNSUBSCR\xC4\xB0"
             "BE",
             out, exact, "UNSUBSCRIBE"},  // U+0130
            {decorate("YES", underline), none, exact, ""},
            {decorate("START", strike), none, exact, ""},
            {decorate("HELP", underline), none, exact, ""},
            {"ST\xC3\x96P", none, exact, ""},   // STÖP, composed
            {"STO\xCC\x88P", none, exact, ""},  // STÖP, decomposed: NFKC composes it
            {"did they " + decorate("cancel", underline) + " school?", none, exact, ""},
        },
        keyword_rules{});
    keyword_rules exact_only;
    exact_only.contained_opt_out = false;
    expect_cases({{decorate("STOP", underline), out, exact, "STOP"},
                  {"please " + decorate("stop", underline), none, exact, ""}},
                 exact_only);
}

// Letters of other scripts or digits that only look like a keyword's, and a keyword spelled
// letter by letter, are read as what a person reads: an opt-out; never anything else.
TEST(SmsKeyword, LookAlikeLettersAndSpelledOutKeywordsStillOptOut) {
    expect_cases(
        {
            {"\xD0\x85\xD0\xA2\xD0\x9E\xD0\xA0", out, exact, "STOP"},  // Cyrillic ЅТОР
            {"\xD1\x95\xD1\x82\xD0\xBE\xD1\x80", out, exact, "STOP"},  // Cyrillic ѕтор
            {"ST0P", out, exact, "STOP"},
            {"st0p!!", out, exact, "STOP"},
            {"\xCE\x95\xCE\x9D\x44", out, exact, "END"},  // Greek ΕΝ, Latin D
            {"UNSUBSCRlBE", out, exact, "UNSUBSCRIBE"},   // a small L for the I
            {"S T O P", out, exact, "STOP"},
            {"S.T.O.P.", out, exact, "STOP"},
            {"s-t-o-p", out, exact, "STOP"},
            {"U N S U B S C R I B E", out, exact, "UNSUBSCRIBE"},
            {"please ST0P texting", out, contained, "STOP"},
            {"\xD0\xA0LEASE \xD0\x85\xD0\xA2\xD0\x9E\xD0\xA0", out, contained, "STOP"},
            // Letters Unicode names as Latin ones without a compatibility mapping, and text
            // under a right-to-left override, read as the phone shows them.
            {"\uA731\u1D1B\u1D0F\u1D18", out, exact, "STOP"},                  // small capitals
            {"\U0001F182\U0001F183\U0001F17E\U0001F17F", out, exact, "STOP"},  // squared
            {"\u1D18\u029F\u1D07\u1D00\uA731\u1D07 \uA731\u1D1B\u1D0F\u1D18", out, contained,
             "STOP"},
            {"\u202Epots", out, exact, "STOP"},
            {"\u202Epots\u202C please", out, contained, "STOP"},
            {"\u202Etrats", none, exact, ""},                     // START shown: never an opt-in
            {"\uA731\u1D1B\u1D00\u0280\u1D1B", none, exact, ""},  // small-capital START
            // Invisible tag letters and a combining letter show no letter of their own.
            {"\U000E0053\U000E0054\U000E004F\U000E0050", none, exact, ""},
            {"S\u036DOP", none, exact, ""},
            // Never an opt-in, help or anything else, and words that merely resemble stay none.
            {"Y E S", none, exact, ""},
            {"ST4RT", none, exact, ""},
            {"ST0RE", none, exact, ""},
            {"T0P", none, exact, ""},
            {"5TOP", none, exact, ""},
            {"I N F O", none, exact, ""},
            {"a b", none, exact, ""},
        },
        keyword_rules{});
}

// Bytes that are not UTF-8 never hide a keyword next to them, nor make one.
TEST(SmsKeyword, InvalidUtf8IsASeparator) {
    expect_cases(
        {
            {"STOP\xFF", out, exact, "STOP"},
            {"\xC3STOP", out, exact, "STOP"},
            {"please\x80stop", out, contained, "STOP"},
            {"\xFF\xFE", none, exact, ""},
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
    rules.contained_opt_out = false;
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
    rules.extra_opt_out.push_back(canonical_keyword("halt"));
    rules.extra_opt_out.push_back(canonical_keyword("  no more  texts! "));
    rules.extra_opt_in.push_back(canonical_keyword("Subscribe again"));
    rules.extra_help.push_back(canonical_keyword("aide"));
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
