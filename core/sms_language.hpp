// The keywords and replies of one language a district's families text in (SPEC: "SMS
// keywords", `sms.languages`), and the two languages built in: English and Spanish.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace optgate {

struct sms_replies {
    std::string opt_out;
    std::string opt_in;
    std::string help;
};

// Keywords are written as a family would ("No más", "opt-out"); the rules compare them in
// the form canonical_keyword() gives (sms_keyword.hpp).
struct sms_language {
    std::string tag;  // BCP 47: "en", "es", "hmn", "so", "ksw"
    // Opt-outs that count alone ("CANCEL", but not "did they cancel school?").
    std::vector<std::string> opt_out;
    // Opt-outs that count alone and, with sms.contained_opt_out, as words of a longer message
    // ("please stop texting me").
    std::vector<std::string> opt_out_contained;
    // Opt-outs of every program on sms (STOPALL).
    std::vector<std::string> opt_out_all;
    std::vector<std::string> opt_in;
    std::vector<std::string> help;
    sms_replies replies;
};

// English as SPEC lists it (the carriers' and the FCC's words) and Spanish (the words US
// carriers and Spanish-speaking families use, CTIA's ALTO and AYUDA among them), each with
// generic replies that name "District messages". Built in: a config adds to their keywords
// and replaces their replies, and cannot remove a keyword.
sms_language english_sms_language();
sms_language spanish_sms_language();
// Both, English first.
std::vector<sms_language> built_in_sms_languages();

// `tag` as BCP 47 writes it ("es-MX", "hmn"), by ICU, if it is a well-formed language tag.
std::optional<std::string> canonical_language_tag(std::string_view tag);

}  // namespace optgate
