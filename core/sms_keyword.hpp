// The SMS keyword rules of SPEC: which inbound text is an opt-out, an opt-in, a help request,
// or nothing at all.
#pragma once

#include <string>
#include <string_view>
#include <vector>

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
    std::string keyword;  // the keyword as matched, upper case ("STOP", "OPT OUT")
};

struct keyword_rules {
    bool contained_opt_out = true;
    // Extra keywords per kind, from the config; matched like the built-in ones.
    std::vector<std::string> extra_opt_out;
    std::vector<std::string> extra_opt_in;
    std::vector<std::string> extra_help;
};

// Matched on the text's words (sms_words: NFKC, case folded, invisible characters removed,
// every space, punctuation mark, symbol and emoji a separator): "ＳＴＯＰ", "Stop 🛑" and
// "\u200BSTOP!!" are all STOP.
keyword_result classify_sms(std::string_view body, const keyword_rules& rules);

// The form keywords are compared in (sms_words). Exposed so that configured keywords are
// stored the same way.
std::string canonical_keyword(std::string_view text);

std::string_view to_string(keyword_kind kind);
std::string_view to_string(keyword_match match);

}  // namespace optgate
