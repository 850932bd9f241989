#include "core/sms_keyword.hpp"

#include <algorithm>
#include <array>

namespace optgate {
namespace {

constexpr std::array<std::string_view, 12> opt_out_words{
    "STOP",   "UNSUBSCRIBE", "CANCEL",  "END",    "QUIT",    "REVOKE",
    "OPTOUT", "OPT OUT",     "OPT-OUT", "REMOVE", "STOPALL", "STOP ALL"};
constexpr std::array<std::string_view, 3> opt_in_words{"START", "YES", "UNSTOP"};
constexpr std::array<std::string_view, 2> help_words{"HELP", "INFO"};
// Only these count inside a longer message; END, QUIT, CANCEL and REMOVE count only alone.
constexpr std::array<std::string_view, 4> contained_words{"STOP", "UNSUBSCRIBE", "REVOKE",
                                                          "OPTOUT"};

// UTF-8 sequences that phones put in texts and that read as white space or punctuation:
// NBSP, the U+2000 block of spaces and quotes, ellipsis, ideographic space, full-width
// punctuation. Each becomes one ASCII space.
constexpr std::array<std::string_view, 22> unicode_separators{
    "\xC2\xA0",     "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82", "\xE2\x80\x83", "\xE2\x80\x84",
    "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88", "\xE2\x80\x89", "\xE2\x80\x8A",
    "\xE2\x80\x8B", "\xE2\x80\xAF", "\xE3\x80\x80", "\xE2\x80\x98", "\xE2\x80\x99", "\xE2\x80\x9C",
    "\xE2\x80\x9D", "\xE2\x80\xA6", "\xEF\xBC\x81", "\xEF\xBC\x9F"};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

bool is_ascii_punct(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x80 && ((u >= '!' && u <= '/') || (u >= ':' && u <= '@') ||
                        (u >= '[' && u <= '`') || (u >= '{' && u <= '~'));
}

// Letters, digits and non-ASCII bytes (accented letters) make up words; "stopé" is one word.
bool is_word_byte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string upper_with_ascii_spaces(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size();) {
        bool replaced = false;
        for (auto sep : unicode_separators) {
            if (in.substr(i, sep.size()) == sep) {
                out.push_back(' ');
                i += sep.size();
                replaced = true;
                break;
            }
        }
        if (replaced) continue;
        const char c = in[i++];
        out.push_back(c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : (is_space(c) ? ' ' : c));
    }
    return out;
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view w) {
    return std::find(words.begin(), words.end(), w) != words.end();
}

bool contains(const std::vector<std::string>& words, std::string_view w) {
    return std::find(words.begin(), words.end(), w) != words.end();
}

std::vector<std::string_view> split_words(std::string_view s) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && !is_word_byte(s[i])) ++i;
        const auto start = i;
        while (i < s.size() && is_word_byte(s[i])) ++i;
        if (i > start) words.push_back(s.substr(start, i - start));
    }
    return words;
}

}  // namespace

std::string canonical_keyword(std::string_view text) {
    const std::string upper = upper_with_ascii_spaces(text);
    std::string out;
    for (char c : upper) {
        if (c == ' ') {
            if (!out.empty() && out.back() != ' ') out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    while (!out.empty() && (out.back() == ' ' || is_ascii_punct(out.back()))) out.pop_back();
    return out;
}

keyword_result classify_sms(std::string_view body, const keyword_rules& rules) {
    const std::string text = canonical_keyword(body);
    if (text.empty()) return {};
    if (text == "STOPALL" || text == "STOP ALL")
        return {keyword_kind::opt_out_all, keyword_match::exact, text};
    if (contains(opt_out_words, text) || contains(rules.extra_opt_out, text))
        return {keyword_kind::opt_out, keyword_match::exact, text};
    if (contains(opt_in_words, text) || contains(rules.extra_opt_in, text))
        return {keyword_kind::opt_in, keyword_match::exact, text};
    if (contains(help_words, text) || contains(rules.extra_help, text))
        return {keyword_kind::help, keyword_match::exact, text};
    if (!rules.contained_opt_out) return {};
    const auto words = split_words(text);
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (contains(contained_words, words[i]))
            return {keyword_kind::opt_out, keyword_match::contained, std::string(words[i])};
        if (words[i] == "OPT" && i + 1 < words.size() && words[i + 1] == "OUT")
            return {keyword_kind::opt_out, keyword_match::contained, "OPT OUT"};
    }
    return {};
}

std::string_view to_string(keyword_kind kind) {
    switch (kind) {
        case keyword_kind::opt_out:
            return "opt_out";
        case keyword_kind::opt_out_all:
            return "opt_out_all";
        case keyword_kind::opt_in:
            return "opt_in";
        case keyword_kind::help:
            return "help";
        case keyword_kind::none:
            break;
    }
    return "none";
}

std::string_view to_string(keyword_match match) {
    return match == keyword_match::exact ? "exact" : "contained";
}

}  // namespace optgate
