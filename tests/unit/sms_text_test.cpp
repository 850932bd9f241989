// The readings of an inbound text that the keyword rules match on (core/sms_text): Unicode
// normalised, letters decorated, look-alike or spelled out, and the text as a phone shows it.
#include "core/sms_text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/sms_keyword.hpp"

#include "tests/unit/keyword_cases.hpp"

namespace optgate {
namespace {

using namespace keyword_testing;

// Bidi controls, spelled as bytes so the table reads unambiguously.
const std::string lre = "\xE2\x80\xAA";  // U+202A LEFT-TO-RIGHT EMBEDDING
const std::string rle = "\xE2\x80\xAB";  // U+202B RIGHT-TO-LEFT EMBEDDING
const std::string pdf = "\xE2\x80\xAC";  // U+202C POP DIRECTIONAL FORMATTING
const std::string lro = "\xE2\x80\xAD";  // U+202D LEFT-TO-RIGHT OVERRIDE
const std::string rlo = "\xE2\x80\xAE";  // U+202E RIGHT-TO-LEFT OVERRIDE
const std::string rli = "\xE2\x81\xA7";  // U+2067 RIGHT-TO-LEFT ISOLATE
const std::string pdi = "\xE2\x81\xA9";  // U+2069 POP DIRECTIONAL ISOLATE
const std::string rlm = "\xE2\x80\x8F";  // U+200F RIGHT-TO-LEFT MARK
const std::string alm = "\xD8\x9C";      // U+061C ARABIC LETTER MARK
// Regional indicator symbols: two make a flag.
const std::string ri_s = "\xF0\x9F\x87\xB8", ri_t = "\xF0\x9F\x87\xB9";
const std::string ri_o = "\xF0\x9F\x87\xB4", ri_p = "\xF0\x9F\x87\xB5";
const std::string ri_a = "\xF0\x9F\x87\xA6", ri_r = "\xF0\x9F\x87\xB7";
const std::string ri_u = "\xF0\x9F\x87\xBA", ri_g = "\xF0\x9F\x87\xAC";
const std::string ri_b = "\xF0\x9F\x87\xA7";
const std::string hebrew_please = "\u05D1\u05D1\u05E7\u05E9\u05D4";         // בבקשה
const std::string hebrew_thanks = "\u05EA\u05D5\u05D3\u05D4";               // תודה
const std::string arabic_please = "\u0645\u0646 \u0641\u0636\u0644\u0643";  // من فضلك

// Bodies as phones and people really send them: emoji keyboards, predictive text, copy and
// paste from other apps, other scripts' spaces, invisible characters. Each is a STOP that an
// ASCII-only reading would miss, or a text that must stay nothing.
TEST(SmsText, RealWorldBodiesAfterUnicodeNormalisation) {
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
// finds opt-outs: a decorated YES is no opt-in. An accent that composes into a letter
// (STÖP, typed composed or decomposed) is an accent: accents are optional in every reading.
TEST(SmsText, LettersDecoratedWithCombiningMarksStillOptOut) {
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
            {"ST\xC3\x96P", out, exact, "STOP"},   // STÖP, composed
            {"STO\xCC\x88P", out, exact, "STOP"},  // STÖP, decomposed: NFKC composes it
            {"did they " + decorate("cancel", underline) + " school?", none, exact, ""},
        },
        keyword_rules{});
    keyword_rules exact_only;
    exact_only.set_contained_opt_out(false);
    expect_cases({{decorate("STOP", underline), out, exact, "STOP"},
                  {"please " + decorate("stop", underline), none, exact, ""}},
                 exact_only);
}

// Letters of other scripts or digits that only look like a keyword's, and a keyword spelled
// letter by letter, are read as what a person reads: an opt-out; never anything else.
TEST(SmsText, LookAlikeLettersAndSpelledOutKeywordsStillOptOut) {
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
TEST(SmsText, InvalidUtf8IsASeparator) {
    expect_cases(
        {
            {"STOP\xFF", out, exact, "STOP"},
            {"\xC3STOP", out, exact, "STOP"},
            {"please\x80stop", out, contained, "STOP"},
            {"\xFF\xFE", none, exact, ""},
        },
        keyword_rules{});
}

// A phone shows a text by Unicode's bidi algorithm: overrides, embeddings and isolates,
// nested or left open, and right-to-left letters. A word shown as STOP is an opt-out.
TEST(SmsText, BidiControlsAndRightToLeftTextReadInTheOrderShown) {
    expect_cases(
        {
            {lre + rlo + "POTS" + pdf + pdf, out, exact, "STOP"},  // an override in an embedding
            {rle + rlo + "pots" + pdf + pdf, out, exact, "STOP"},
            {"please " + rlo + "POTS", out, contained, "STOP"},  // left open to the end
            {rlo + "POTS\nthanks", out, contained, "STOP"},      // ended by its paragraph
            // The isolate ends the override inside it: "TS" shown reversed, then "OP".
            {rli + rlo + "TS" + pdi + "OP", out, exact, "STOP"},
            {hebrew_please + " " + rlo + "POTS" + pdf + " " + hebrew_thanks, out, contained,
             "STOP"},
            {arabic_please + " " + rlo + "POTS" + pdf, out, contained, "STOP"},
            {hebrew_please + " STOP " + hebrew_thanks, out, contained, "STOP"},
            // Invisible right-to-left marks make a right-to-left paragraph: words shown
            // right to left, and the marks between them take no room.
            {rlm + "OP" + rlm + "ST", out, exact, "STOP"},
            {alm + "OP" + alm + "ST", out, exact, "STOP"},
            // As sent, the text holds STOP: that reading's opt-out stands whatever is shown.
            {rlo + "STOP" + pdf, out, exact, "STOP"},
            // ...and what a phone shows as no keyword stays nothing. An embedding or an
            // isolate sets the direction of what has none; Latin letters keep theirs.
            {rle + "POTS" + pdf, none, exact, ""},
            {rli + "POTS" + pdi, none, exact, ""},
            {rle + "P O T S" + pdf, none, exact, ""},
            {rlo + lro + "POTS" + pdf + pdf, none, exact, ""},  // reversed twice: POTS
            {rlo + "OP\nTS", none, exact, ""},       // the override ends with its line: PO, TS
            {rlo + "trats" + pdf, none, exact, ""},  // START shown: never an opt-in
            {hebrew_please + " " + hebrew_thanks, none, exact, ""},
            {"\u05E9\u05DC\u05D5\u05DD, \u05DE\u05D4 \u05E9\u05DC\u05D5\u05DE\u05DA?", none, exact,
             ""},  // שלום, מה שלומך?
            {"\u0645\u0631\u062D\u0628\u0627\u060C \u0643\u064A\u0641 "
             "\u062D\u0627\u0644\u0643\u061F",
             none, exact, ""},  // مرحبا، كيف حالك؟
            {hebrew_thanks + " thanks", none, exact, ""},
        },
        keyword_rules{});
}

// A thousand nested controls, more than the algorithm's 125 levels: the deepest ones that
// count decide what is shown, and 4 KiB of them are read at once.
TEST(SmsText, ThousandsOfNestedBidiControlsReadAsShown) {
    std::string overrides, isolates;
    for (int i = 0; i < 1000; ++i) overrides += rlo;
    for (int i = 0; i < 1000; ++i) isolates += rli + "(";
    const auto kind = [](const std::string& body) { return keyword_rules{}.classify(body).kind; };
    EXPECT_EQ(kind(overrides + "POTS"), out);
    EXPECT_EQ(kind(overrides + "POTS" + overrides), out);
    EXPECT_EQ(kind(isolates + " STOP"), out);
    EXPECT_EQ(kind(isolates + rlo + "POTS"), none);  // deeper than 125 levels: ignored
    EXPECT_EQ(as_shown(overrides + "pots" + overrides), "stop");
    // A paragraph longer than any SMS stays as sent; the next one is still reordered.
    const std::string long_line(5000, 'x');
    EXPECT_EQ(as_shown(long_line + rlo + "ab\n" + rlo + "ab"), long_line + rlo + "ab\nba");
}

// Regional indicator symbols are letters: two make a flag, and "🇸🇹🇴🇵" shows S T O P (or
// two flags of letters a phone does not know). Only ever an opt-out, like every such reading.
TEST(SmsText, RegionalIndicatorsReadAsLetters) {
    expect_cases(
        {
            {ri_s + ri_t + ri_o + ri_p, out, exact, "STOP"},
            {ri_s + ri_t + ri_o + ri_p + " please", out, contained, "STOP"},
            {"please " + ri_s + ri_t + ri_o + ri_p + "!", out, contained, "STOP"},
            {ri_s + "TOP", out, exact, "STOP"},
            {"st" + ri_o + ri_p, out, exact, "STOP"},
            {ri_s + " " + ri_t + " " + ri_o + " " + ri_p, out, exact, "STOP"},
            {ri_s + ri_t + ri_o + ri_p + " " + ri_a + "LL", all, exact, "STOP ALL"},
            {ri_u + ri_s + " school is closed", none, exact, ""},
            {"I love the " + ri_u + ri_s + " and the " + ri_g + ri_b, none, exact, ""},
            {ri_s + ri_t, none, exact, ""},                       // Sao Tome and Principe
            {ri_s + ri_t + ri_a + ri_r + ri_t, none, exact, ""},  // START: never an opt-in
        },
        keyword_rules{});
}

TEST(SmsText, AsShownWritesTheOrderShownAndTheLettersShown) {
    EXPECT_EQ(as_shown(""), "");
    EXPECT_EQ(as_shown("plain text, 1 2 3"), "plain text, 1 2 3");
    EXPECT_EQ(as_shown(rlo + "pots" + pdf + " please"), "stop please");
    EXPECT_EQ(as_shown(rlo + "STOP" + pdf), "POTS");
    EXPECT_EQ(as_shown(lre + rlo + "pots" + pdf + pdf), "stop");
    EXPECT_EQ(as_shown(rlo + lro + "pots" + pdf + pdf), "pots");
    EXPECT_EQ(as_shown(rle + "pots" + pdf), "pots");
    EXPECT_EQ(as_shown(rli + rlo + "ts" + pdi + "op"), "stop");
    EXPECT_EQ(as_shown(rlm + "op" + rlm + "st"), "stop");  // the marks removed
    // A right-to-left paragraph left to right; paragraphs stay in their order, and an
    // override ends with its paragraph.
    EXPECT_EQ(as_shown("\u05D0\u05D1 x"), "x \u05D1\u05D0");
    EXPECT_EQ(as_shown("\u05D0\u05D1\n\u05D2\u05D3\r\nxy"), "\u05D1\u05D0\n\u05D3\u05D2\r\nxy");
    EXPECT_EQ(as_shown(rlo + "ab\ncd"), "ba\ncd");
    // Brackets keep their code points; a mark stays after its letter.
    EXPECT_EQ(as_shown(rlo + "(ab)"), ")ba(");
    EXPECT_EQ(as_shown(rlo + "a\u0332b"), "ba\u0332");
    // Letters by their names and regional indicators, after reordering.
    EXPECT_EQ(as_shown("\uA731\u1D1B\u1D0F\u1D18"), "STOP");
    EXPECT_EQ(as_shown(rlo + "\U0001F17F\U0001F17E\U0001F183\U0001F182"), "STOP");
    EXPECT_EQ(as_shown(ri_s + ri_t + ri_o + ri_p + " " + ri_u + ri_s), "STOP US");
    EXPECT_EQ(as_shown(rlo + ri_s + ri_t + ri_o + ri_p), "POTS");
    // Bytes that are not UTF-8.
    EXPECT_EQ(as_shown(std::string("a\xFF") + "b"), std::string("a\uFFFD") + "b");
}

}  // namespace
}  // namespace optgate
