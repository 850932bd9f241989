#include "core/sms_keyword.hpp"

#include <algorithm>
#include <array>
#include <optional>

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

// "S T O P", "S.T.O.P": a text of single letters, read as one word; else empty.
std::string letters_joined(std::string_view skeleton) {
    const auto words = split_words(skeleton);
    std::string joined;
    for (const auto w : words) {
        if (w.size() != 1) return {};
        joined += w;
    }
    return words.size() > 1 ? joined : std::string();
}

// An opt-out written with letters that only look like the keyword's (Cyrillic "ЅТОР", Greek
// "ΕΝD", "ST0P" with a zero) or spelled letter by letter ("S T O P"): the text and the
// opt-out keywords compared by their look-alike skeletons. Only ever an opt-out.
// A built-in keyword list with the look-alike skeleton of each word, computed once.
template <std::size_t N>
struct skeletons_of {
    explicit skeletons_of(const std::array<std::string_view, N>& list) : words(list) {
        for (std::size_t i = 0; i < N; ++i) skeletons[i] = look_alike_skeleton(words[i]);
    }
    // The word whose skeleton `text` is, if any.
    std::optional<std::string_view> find(std::string_view text) const {
        for (std::size_t i = 0; i < N; ++i)
            if (skeletons[i] == text) return words[i];
        return std::nullopt;
    }
    const std::array<std::string_view, N>& words;
    std::array<std::string, N> skeletons;
};

constexpr std::array<std::string_view, 2> opt_out_pair{"OPT", "OUT"};

keyword_result look_alike_opt_out(const std::string& words, const keyword_rules& rules) {
    static const skeletons_of all_alike(opt_out_all_words);
    static const skeletons_of out_alike(opt_out_words);
    static const skeletons_of contained_alike(contained_words);
    static const skeletons_of pair_alike(opt_out_pair);
    const auto skeleton = look_alike_skeleton(words);
    const auto joined = letters_joined(skeleton);
    for (const auto text : {std::string_view(skeleton), std::string_view(joined)}) {
        if (text.empty()) continue;
        if (const auto w = all_alike.find(text))
            return {keyword_kind::opt_out_all, keyword_match::exact, std::string(*w)};
        if (const auto w = out_alike.find(text))
            return {keyword_kind::opt_out, keyword_match::exact, std::string(*w)};
        for (const auto& w : rules.extra_opt_out)
            if (text == look_alike_skeleton(w))
                return {keyword_kind::opt_out, keyword_match::exact, w};
    }
    if (!rules.contained_opt_out) return {};
    const auto split = split_words(skeleton);
    for (std::size_t i = 0; i < split.size(); ++i) {
        if (const auto w = contained_alike.find(split[i]))
            return {keyword_kind::opt_out, keyword_match::contained, std::string(*w)};
        if (pair_alike.find(split[i]) == "OPT" && i + 1 < split.size() &&
            pair_alike.find(split[i + 1]) == "OUT")
            return {keyword_kind::opt_out, keyword_match::contained, "OPT OUT"};
    }
    return {};
}

}  // namespace

std::string canonical_keyword(std::string_view text) {
    return sms_words(text);
}

keyword_result classify_sms(std::string_view body, const keyword_rules& rules) {
    // No early return for a text without words: squared letters are symbols, read below.
    const std::string text = sms_words(body);
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
    // Only opt-outs from here on, never anything else: letters decorated with marks that
    // compose into none ("S\u0332T\u0332O\u0332P\u0332", underlined), then letters that only
    // look like a keyword's or a keyword spelled letter by letter.
    for (const auto invisible :
         {invisible_characters::removed, invisible_characters::separate_words}) {
        const auto words = sms_words(body, invisible, combining_marks::removed);
        if (auto found = opt_out_in(words, rules); found.kind != keyword_kind::none) return found;
        if (auto found = look_alike_opt_out(words, rules); found.kind != keyword_kind::none)
            return found;
    }
    // Letters that only look Latin by their names (small capitals, squared letters), and text
    // under a right-to-left override, read as the phone shows them.
    if (const auto shown = as_shown(body); shown != body) {
        const auto words =
            sms_words(shown, invisible_characters::removed, combining_marks::removed);
        if (auto found = opt_out_in(words, rules); found.kind != keyword_kind::none) return found;
        if (auto found = look_alike_opt_out(words, rules); found.kind != keyword_kind::none)
            return found;
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
