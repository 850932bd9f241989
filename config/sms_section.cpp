#include "config/sms_section.hpp"

#include <algorithm>
#include <set>
#include <string_view>

#include "config/program_references.hpp"
#include "core/address.hpp"
#include "core/sms_language.hpp"

namespace optgate {
namespace {

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Twilio posts `To` as the short code ("60680") or, for a long code, in E.164.
std::string read_short_code(const std::string& code, const config_node& node, const settings& out) {
    if (code.starts_with('+')) {
        if (auto phone = normalize_phone(code, out.default_country)) return *phone;
    } else if (all_digits(code) && code.size() >= 3 && code.size() <= 8) {
        return code;
    }
    node.fail("expected a short code (3 to 8 digits) or a +E.164 number as key");
}

// The keyword lists a language may name, and what each adds.
struct keyword_list {
    std::string_view key;
    keyword_kind kind;
    bool contained;
};
constexpr keyword_list keyword_lists[] = {
    {"opt_out", keyword_kind::opt_out, false},
    {"opt_out_contained", keyword_kind::opt_out, true},
    {"opt_out_all", keyword_kind::opt_out_all, false},
    {"opt_in", keyword_kind::opt_in, false},
    {"help", keyword_kind::help, false},
};

void read_keywords(const config_map& lists, const std::string& language, keyword_rules& rules) {
    for (const auto& list : keyword_lists) {
        const auto node = lists.find(list.key);
        if (!node) continue;
        for (const auto& item : node->as_list()) {
            const std::string written = item.as_string();
            const std::string keyword = canonical_keyword(written);
            if (keyword.empty()) item.fail("expected a keyword: letters or digits");
            // A keyword that already means something else would never reach this list.
            const auto meant = rules.add(language, list.kind, written, list.contained);
            if (meant.kind != keyword_kind::none)
                item.fail("\"" + keyword + "\" already means " +
                          std::string(to_string(meant.kind)) + " in " + meant.language);
        }
    }
}

// The three texts of `node` over `into` (each may be "", no reply of that kind).
void read_replies(const config_node& node, sms_replies& into) {
    const config_map texts(node, {"opt_out", "opt_in", "help"});
    if (auto text = texts.find("opt_out")) into.opt_out = text->as_string();
    if (auto text = texts.find("opt_in")) into.opt_in = text->as_string();
    if (auto text = texts.find("help")) into.help = text->as_string();
}

// sms.languages: keywords and replies added to the built-in languages, and new languages,
// each of which needs its three replies (unless replies are off).
void read_languages(const config_node& node, sms_policy& policy, bool english_replies_given) {
    std::set<std::string> seen;
    const config_map languages(node);
    for (const auto& [written_tag, value] : languages.entries()) {
        const auto tag = canonical_language_tag(written_tag);
        if (!tag) value.fail("expected a BCP 47 language tag as key, such as es, hmn or so");
        if (!seen.insert(*tag).second) value.fail("repeated language " + *tag);
        const config_map fields(
            value, {"opt_out", "opt_out_contained", "opt_out_all", "opt_in", "help", "replies"});
        const auto replies = fields.find("replies");
        if (*tag == policy.fallback_language && replies && english_replies_given)
            replies->fail("the English replies are given twice: here and in sms.replies");
        // Families who text in a language must be answered in it: a language that is not
        // built in (and narrows none that is, as es-MX narrows es) brings its three replies.
        if (!policy.replies_of(*tag) && policy.replies_enabled) {
            const std::string needed =
                "a language that is not built in needs its replies (opt_out, opt_in, help), "
                "unless sms.replies is off";
            if (!replies) value.fail(needed);
            const config_map given(*replies, {"opt_out", "opt_in", "help"});
            for (const auto key : {"opt_out", "opt_in", "help"})
                if (!given.find(key)) replies->fail(std::string("missing ") + key + ": " + needed);
        }
        const bool has_keywords =
            std::any_of(std::begin(keyword_lists), std::end(keyword_lists),
                        [&](const keyword_list& list) { return fields.find(list.key); });
        // Replies are sent in the language of a keyword: a language that is not built in and
        // names no keyword of its own would never be answered in ("es-MX" beside "es").
        const auto built_in = built_in_sms_languages();
        const bool is_built_in = std::any_of(built_in.begin(), built_in.end(),
                                             [&](const auto& l) { return l.tag == *tag; });
        if (replies && !has_keywords && !is_built_in)
            replies->fail("no keyword of " + *tag +
                          " is configured, so these replies would "
                          "never be sent: give them to the language whose keywords families "
                          "use, or add " +
                          *tag + "'s keywords");
        if (replies) {
            // Over the replies it had (built in, or those of the language it narrows).
            sms_replies own = policy.replies_in(*tag);
            read_replies(*replies, own);
            policy.replies[*tag] = std::move(own);
        }
        read_keywords(fields, *tag, policy.keywords);
    }
}

}  // namespace

void read_sms(const config_node& node, settings& out) {
    const config_map sms(node,
                         {"short_codes", "contained_opt_out", "replies", "keywords", "languages"});
    sms_policy& policy = out.sms;
    policy.default_country = out.default_country;
    policy.scope = out.opt_out_scope;
    policy.programs = program_purposes(out);
    if (auto codes = sms.find("short_codes")) {
        const config_map code_map(*codes);
        for (const auto& [code, program] : code_map.entries())
            if (!policy.short_codes
                     .emplace(read_short_code(code, program, out), read_program_name(program, out))
                     .second)
                program.fail("repeated short code");
    }
    if (auto contained = sms.find("contained_opt_out"))
        policy.keywords.set_contained_opt_out(contained->as_bool());

    for (const auto& language : built_in_sms_languages())
        policy.replies[language.tag] = language.replies;
    policy.fallback_language = english_sms_language().tag;
    const auto replies = sms.find("replies");
    const bool english_replies = replies && !replies->yaml().IsScalar();
    if (english_replies)
        read_replies(*replies, policy.replies[policy.fallback_language]);
    else if (replies)
        policy.replies_enabled = replies->as_bool();  // `replies: off`
    // sms.keywords: more English keywords (as before sms.languages).
    if (auto keywords = sms.find("keywords"))
        read_keywords(config_map(*keywords,
                                 {"opt_out", "opt_out_contained", "opt_out_all", "opt_in", "help"}),
                      policy.fallback_language, policy.keywords);
    if (auto languages = sms.find("languages")) read_languages(*languages, policy, english_replies);
}

}  // namespace optgate
