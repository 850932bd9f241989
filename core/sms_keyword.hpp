// The SMS keyword rules of SPEC: which inbound text is an opt-out, an opt-in, a help request,
// or nothing at all.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/sms_language.hpp"

namespace optgate {

enum class keyword_kind {
    none,         // any other text: changes nothing
    opt_out,      // opted_out for the short code's program
    opt_out_all,  // STOPALL / STOP ALL: opted_out for every program on sms
    opt_in,       // opted_in for the short code's program
    help,         // no change; the help reply
};

enum class keyword_match {
    exact,      // the body is the keyword alone
    contained,  // an opt-out word inside a longer message ("please stop texting me")
    provider,   // the provider read the text as an opt-out (Twilio's OptOutType=STOP)
};

struct keyword_result {
    keyword_kind kind = keyword_kind::none;
    keyword_match match = keyword_match::exact;
    std::string keyword;   // the keyword as matched, in canonical form ("STOP", "OPT OUT")
    std::string language;  // the BCP 47 tag of the language it is a keyword of ("en", "es")
};

// The keywords of every language, each kept with its look-alike skeleton, ready to match.
class keyword_rules {
  public:
    // English and Spanish as built in (sms_language.hpp), contained opt-outs on.
    keyword_rules();
    keyword_rules(const std::vector<sms_language>& languages, bool contained_opt_out);

    // Adds `keyword` (written as a family would) to `language`'s keywords of `kind` (opt-outs
    // that count inside a longer message when `contained`). Returns what the keyword already
    // meant, in any language, when that is something else (it is then not added): another
    // keyword alone, or, for an opt-in or help keyword, an opt-out in any reading ("S T O P",
    // "HOW TO STOP"); keyword_kind::none when it was added, or was one of `kind` already.
    keyword_result add(const std::string& language, keyword_kind kind, std::string_view keyword,
                       bool contained = false);

    bool contained_opt_out() const { return contained_opt_out_; }
    void set_contained_opt_out(bool on) { contained_opt_out_ = on; }

    // What the text means; an opt-out in any reading wins. Matched on its words (sms_words: NFKC,
    // case folded, accents on Latin letters and invisible characters removed, every space,
    // punctuation mark, symbol
    // and emoji a separator): "ＳＴＯＰ", "Stop 🛑", "\u200BSTOP!!" are all STOP, and "No
    // más" is NO MAS. An opt-out keyword alone is matched first (a keyword of two languages
    // is the first language's), then an opt-out inside a longer message (the first in the
    // text), then the readings of sms_text.hpp (look-alike letters, letters spelled one by
    // one, text under a right-to-left override), which find only opt-outs; only then an
    // opt-in or help keyword alone.
    keyword_result classify(std::string_view body) const;

  private:
    struct keyword {
        std::string words;  // canonical
        std::string skeleton;
        std::vector<std::string> parts;           // words, one by one
        std::vector<std::string> skeleton_parts;  // skeleton, one by one
        keyword_kind kind;
        bool contained;
        std::string language;
    };
    keyword_result exact(std::string_view text) const;
    keyword_result contained_in(const std::vector<std::string_view>& words, bool by_skeleton) const;
    // The first opt-out any reading of `body` (whose words are `text`) finds, counting those
    // inside a longer message when `contained`.
    keyword_result opt_out_reading(std::string_view body, const std::string& text,
                                   bool contained) const;
    keyword_result opt_out_in(const std::string& text, bool contained) const;
    keyword_result look_alike_opt_out(const std::string& words, bool contained) const;

    std::vector<keyword> keywords_;  // in the order added
    bool contained_opt_out_ = true;
};

// The form keywords are compared in (sms_words). Exposed so that configured keywords are
// stored the same way.
std::string canonical_keyword(std::string_view text);

std::string_view to_string(keyword_kind kind);
std::string_view to_string(keyword_match match);

}  // namespace optgate
