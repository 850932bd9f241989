#include "core/sms_keyword.hpp"

#include <algorithm>
#include <array>

#include "core/sms_text.hpp"

namespace optgate {
namespace {

// Keywords as sms_words() spells them: "OPT-OUT" reads as "OPT OUT".
constexpr std::array<std::string_view, 9> opt_out_words{
    "STOP", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT", "REMOVE"};
constexpr std::array<std::string_view, 2> opt_out_all_words{"STOPALL", "STOP ALL"};
constexpr std::array<std::string_view, 3> opt_in_words{"START", "YES", "UNSTOP"};
constexpr std::array<std::string_view, 2> help_words{"HELP", "INFO"};
// Only these count inside a longer message; END, QUIT, CANCEL and REMOVE count only alone.
constexpr std::array<std::string_view, 4> contained_words{"STOP", "UNSUBSCRIBE", "REVOKE",
                                                          "OPTOUT"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view w) {
    return std::find(words.begin(), words.end(), w) != words.end();
}

bool contains(const std::vector<std::string>& words, std::string_view w) {
    return std::find(words.begin(), words.end(), w) != words.end();
}

std::vector<std::string_view> split_words(std::string_view words) {
    std::vector<std::string_view> out;
    while (!words.empty()) {
        const auto space = words.find(' ');
        out.push_back(words.substr(0, space));
        words = space == std::string_view::npos ? std::string_view() : words.substr(space + 1);
    }
    return out;
}

keyword_result contained_opt_out(const std::string& text) {
    const auto words = split_words(text);
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (contains(contained_words, words[i]))
            return {keyword_kind::opt_out, keyword_match::contained, std::string(words[i])};
        if (words[i] == "OPT" && i + 1 < words.size() && words[i + 1] == "OUT")
            return {keyword_kind::opt_out, keyword_match::contained, "OPT OUT"};
    }
    return {};
}

// An opt-out in a reading of the text that only looks for opt-outs: the whole text one, or
// (if contained ones count) one inside it.
keyword_result opt_out_in(const std::string& text, const keyword_rules& rules) {
    if (text.empty()) return {};
    if (contains(opt_out_all_words, text))
        return {keyword_kind::opt_out_all, keyword_match::exact, text};
    if (contains(opt_out_words, text) || contains(rules.extra_opt_out, text))
        return {keyword_kind::opt_out, keyword_match::exact, text};
    if (!rules.contained_opt_out) return {};
    return contained_opt_out(text);
}

}  // namespace

std::string canonical_keyword(std::string_view text) {
    return sms_words(text);
}

keyword_result classify_sms(std::string_view body, const keyword_rules& rules) {
    const std::string text = sms_words(body);
    if (text.empty()) return {};
    if (contains(opt_out_all_words, text))
        return {keyword_kind::opt_out_all, keyword_match::exact, text};
    if (contains(opt_out_words, text) || contains(rules.extra_opt_out, text))
        return {keyword_kind::opt_out, keyword_match::exact, text};
    if (contains(opt_in_words, text) || contains(rules.extra_opt_in, text))
        return {keyword_kind::opt_in, keyword_match::exact, text};
    if (contains(help_words, text) || contains(rules.extra_help, text))
        return {keyword_kind::help, keyword_match::exact, text};
    if (rules.contained_opt_out) {
        if (auto found = contained_opt_out(text); found.kind != keyword_kind::none) return found;
        // A zero-width space between two words hides them from the first reading.
        if (auto found = contained_opt_out(sms_words(body, invisible_characters::separate_words));
            found.kind != keyword_kind::none)
            return found;
    }
    // Letters decorated with marks that compose into none ("S\u0332T\u0332O\u0332P\u0332",
    // underlined) are still read as an opt-out; never as anything else.
    if (auto found = opt_out_in(
            sms_words(body, invisible_characters::removed, combining_marks::removed), rules);
        found.kind != keyword_kind::none)
        return found;
    return opt_out_in(
        sms_words(body, invisible_characters::separate_words, combining_marks::removed), rules);
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
    switch (match) {
        case keyword_match::contained:
            return "contained";
        case keyword_match::provider:
            return "provider";
        case keyword_match::exact:
            break;
    }
    return "exact";
}

}  // namespace optgate
