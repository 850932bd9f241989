#include "core/sms_keyword.hpp"

#include <algorithm>

#include "core/sms_text.hpp"

namespace optgate {
namespace {

std::vector<std::string_view> split_words(std::string_view words) {
    std::vector<std::string_view> out;
    while (!words.empty()) {
        const auto space = words.find(' ');
        out.push_back(words.substr(0, space));
        words = space == std::string_view::npos ? std::string_view() : words.substr(space + 1);
    }
    return out;
}

std::vector<std::string> owned_words(std::string_view words) {
    const auto parts = split_words(words);
    return {parts.begin(), parts.end()};
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

bool is_opt_out(keyword_kind kind) {
    return kind == keyword_kind::opt_out || kind == keyword_kind::opt_out_all;
}

bool found(const keyword_result& r) {
    return r.kind != keyword_kind::none;
}

}  // namespace

keyword_rules::keyword_rules() : keyword_rules(built_in_sms_languages(), true) {}

keyword_rules::keyword_rules(const std::vector<sms_language>& languages, bool contained_opt_out)
    : contained_opt_out_(contained_opt_out) {
    for (const auto& l : languages) {
        for (const auto& w : l.opt_out_all) add(l.tag, keyword_kind::opt_out_all, w);
        for (const auto& w : l.opt_out_contained) add(l.tag, keyword_kind::opt_out, w, true);
        for (const auto& w : l.opt_out) add(l.tag, keyword_kind::opt_out, w);
        for (const auto& w : l.opt_in) add(l.tag, keyword_kind::opt_in, w);
        for (const auto& w : l.help) add(l.tag, keyword_kind::help, w);
    }
}

keyword_result keyword_rules::add(const std::string& language, keyword_kind kind,
                                  std::string_view keyword, bool contained) {
    auto words = canonical_keyword(keyword);
    if (words.empty() || kind == keyword_kind::none) return {};
    if (auto meant = exact(words); found(meant)) {
        if (meant.kind != kind) return meant;
        // The same kind already: an opt-out may still come to count inside longer messages.
        for (auto& k : keywords_)
            if (k.words == words) k.contained = k.contained || contained;
        return {};
    }
    // An opt-in or help keyword that any reading takes for an opt-out ("S T O P", "HOW TO
    // STOP", "ALTO NO") would never be matched: classify() lets the opt-out win.
    if (!is_opt_out(kind))
        if (auto meant = opt_out_reading(keyword, words, true); found(meant)) return meant;
    auto skeleton = look_alike_skeleton(words);
    keywords_.push_back({words, skeleton, owned_words(words), owned_words(skeleton), kind,
                         contained && kind == keyword_kind::opt_out, language});
    return {};
}

keyword_result keyword_rules::exact(std::string_view text) const {
    for (const auto& k : keywords_)
        if (k.words == text) return {k.kind, keyword_match::exact, k.words, k.language};
    return {};
}

// The first opt-out that counts inside a longer message, as words of `words` (or as their
// look-alike skeletons).
keyword_result keyword_rules::contained_in(const std::vector<std::string_view>& words,
                                           bool by_skeleton) const {
    for (std::size_t i = 0; i < words.size(); ++i)
        for (const auto& k : keywords_) {
            if (!k.contained) continue;
            const auto& parts = by_skeleton ? k.skeleton_parts : k.parts;
            if (parts.size() > words.size() - i) continue;
            if (std::equal(parts.begin(), parts.end(), words.begin() + static_cast<long>(i)))
                return {keyword_kind::opt_out, keyword_match::contained, k.words, k.language};
        }
    return {};
}

// An opt-out in a reading of the text that only looks for opt-outs: the whole text one, or
// (if contained ones count) one inside it.
keyword_result keyword_rules::opt_out_in(const std::string& text, bool contained) const {
    if (text.empty()) return {};
    if (auto r = exact(text); is_opt_out(r.kind)) return r;
    if (!contained) return {};
    return contained_in(split_words(text), false);
}

// An opt-out written with letters that only look like the keyword's (Cyrillic "ЅТОР", Greek
// "ΕΝD", "ST0P" with a zero) or spelled letter by letter ("S T O P"): the text and the
// opt-out keywords compared by their look-alike skeletons. Only ever an opt-out.
keyword_result keyword_rules::look_alike_opt_out(const std::string& words, bool contained) const {
    const auto skeleton = look_alike_skeleton(words);
    const auto joined = letters_joined(skeleton);
    for (const auto text : {std::string_view(skeleton), std::string_view(joined)}) {
        if (text.empty()) continue;
        for (const auto& k : keywords_)
            if (is_opt_out(k.kind) && k.skeleton == text)
                return {k.kind, keyword_match::exact, k.words, k.language};
    }
    if (!contained) return {};
    return contained_in(split_words(skeleton), true);
}

keyword_result keyword_rules::classify(std::string_view body) const {
    // No early return for a text without words: squared letters are symbols, read below.
    const std::string text = sms_words(body);
    const auto alone = exact(text);
    if (is_opt_out(alone.kind)) return alone;
    // An opt-out in any reading outranks an opt-in or help keyword alone: a keyword a config
    // added ("S T O P" as an opt-in) can never turn a family's STOP into its opposite.
    if (auto r = opt_out_reading(body, text, contained_opt_out_); found(r)) return r;
    return alone;
}

keyword_result keyword_rules::opt_out_reading(std::string_view body, const std::string& text,
                                              bool contained) const {
    if (contained) {
        if (auto r = contained_in(split_words(text), false); found(r)) return r;
        // A zero-width space between two words hides them from the first reading.
        const auto spaced = sms_words(body, invisible_characters::separate_words);
        if (auto r = contained_in(split_words(spaced), false); found(r)) return r;
    }
    // Only opt-outs from here on, never anything else: letters decorated with marks that
    // compose into none, then letters that only look like a keyword's or a keyword spelled
    // letter by letter.
    for (const auto invisible :
         {invisible_characters::removed, invisible_characters::separate_words}) {
        const auto words = sms_words(body, invisible, combining_marks::removed);
        if (auto r = opt_out_in(words, contained); found(r)) return r;
        if (auto r = look_alike_opt_out(words, contained); found(r)) return r;
    }
    // Letters that only look Latin by their names (small capitals, squared letters), and text
    // under a right-to-left override, read as the phone shows them.
    if (const auto shown = as_shown(body); shown != body) {
        const auto words =
            sms_words(shown, invisible_characters::removed, combining_marks::removed);
        if (auto r = opt_out_in(words, contained); found(r)) return r;
        if (auto r = look_alike_opt_out(words, contained); found(r)) return r;
    }
    return {};
}

std::string canonical_keyword(std::string_view text) {
    return sms_words(text);
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
