// The SMS keyword rules, on any text a phone can send. SPEC: with sms.contained_opt_out on,
// a text with STOP (or Spanish ALTO) as a word is an opt-out, whatever else it holds; so the
// input with " STOP " or " ALTO " put before it, after it or into its middle (ASCII spaces: a
// separator in every reading) must be opt_out or opt_out_all. Only the public API: the Unicode
// reading behind it may change.
#include <string>

#include "core/sms_keyword.hpp"
#include "fuzz/fuzz_invariant.hpp"

namespace optgate::fuzz {
namespace {

bool has_lower_ascii(std::string_view s) {
    return s.find_first_of("abcdefghijklmnopqrstuvwxyz") != std::string_view::npos;
}

// The form keywords are compared in: upper case, single spaces between words, none around.
void check_canonical(std::string_view text) {
    FUZZ_INVARIANT(!text.starts_with(' ') && !text.ends_with(' '));
    FUZZ_INVARIANT(text.find("  ") == std::string_view::npos);
    FUZZ_INVARIANT(!has_lower_ascii(text));
}

void check_result(const keyword_result& r) {
    if (r.kind == keyword_kind::none) return;
    FUZZ_INVARIANT(!r.keyword.empty());
    FUZZ_INVARIANT(r.language == "en" || r.language == "es");
    check_canonical(r.keyword);
}

bool is_opt_out(const keyword_result& r) {
    return r.kind == keyword_kind::opt_out || r.kind == keyword_kind::opt_out_all;
}

}  // namespace
}  // namespace optgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace optgate;
    using namespace optgate::fuzz;
    const std::string_view text = as_text(data, size);
    // The defaults (English and Spanish, contained_opt_out on, no extra keywords) and the
    // same without contained opt-outs; built once.
    static const keyword_rules contained;
    static const keyword_rules alone = [] {
        keyword_rules rules;
        rules.set_contained_opt_out(false);
        return rules;
    }();

    check_canonical(canonical_keyword(text));
    check_result(contained.classify(text));
    const auto exact_only = alone.classify(text);
    check_result(exact_only);
    // Without contained_opt_out only a keyword alone counts.
    FUZZ_INVARIANT(exact_only.kind == keyword_kind::none ||
                   exact_only.match == keyword_match::exact);

    const std::size_t middle = text.size() / 2;
    for (const std::string stop : {" STOP ", " ALTO "}) {
        for (const std::string& body :
             {stop + std::string(text), std::string(text) + stop,
              std::string(text.substr(0, middle)) + stop + std::string(text.substr(middle))}) {
            const auto r = contained.classify(body);
            check_result(r);
            FUZZ_INVARIANT(is_opt_out(r));
        }
    }
    return 0;
}
