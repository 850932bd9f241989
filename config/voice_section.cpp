#include "config/voice_section.hpp"

#include <string_view>

#include "config/program_references.hpp"
#include "core/address.hpp"
#include "core/sms_language.hpp"

namespace optgate {
namespace {

// Generic texts naming "district calls": a district replaces them with its own (see the
// example config). Said by Twilio's text-to-speech, so written to be heard, not read.
constexpr std::string_view default_menu =
    "District calls. To get district calls at this number again, press 1. To stop district "
    "calls to this number, press 2.";
constexpr std::string_view default_opted_in =
    "You will get district calls at this number again. Goodbye.";
constexpr std::string_view default_opted_out =
    "You will get no more district calls at this number. Goodbye.";
constexpr std::string_view default_invalid_caller =
    "District calls. Your phone number was not shown, so nothing can be changed. Please call "
    "again from the line you want to change, without hiding your number. Goodbye.";
constexpr std::string_view default_invalid_digit = "Sorry, that is not one of the choices.";
constexpr std::string_view default_goodbye = "Nothing was changed. Goodbye.";

// Twilio refuses a <Say> longer than this.
constexpr std::size_t max_prompt = 4096;

void read_prompt(const config_map& prompts, std::string_view key, std::string& into) {
    const auto node = prompts.find(key);
    if (!node) return;
    into = node->as_string();
    if (into.empty() || into.size() > max_prompt)
        node->fail("expected a text to say, of 1 to 4096 characters");
}

}  // namespace

void read_voice(const config_node& node, settings& out) {
    const config_map voice(node, {"hotlines", "programs", "prompts", "language"});
    voice_policy& policy = out.voice;
    policy.default_country = out.default_country;
    policy.scope = out.opt_out_scope;
    policy.all_programs = program_purposes(out);
    if (auto hotlines = voice.find("hotlines")) {
        for (const auto& item : hotlines->as_list()) {
            auto phone = normalize_phone(item.as_string(), out.default_country);
            if (!phone) item.fail("expected a phone number");
            policy.hotlines.push_back(std::move(*phone));
        }
    }
    const auto programs = voice.find("programs");
    policy.programs = read_program_list(programs, out);
    if (!policy.hotlines.empty() && policy.programs.empty())
        (programs ? *programs : node).fail("a hotline needs a program for its digits to change");

    policy.prompts = {std::string(default_menu),          std::string(default_opted_in),
                      std::string(default_opted_out),     std::string(default_invalid_caller),
                      std::string(default_invalid_digit), std::string(default_goodbye)};
    if (auto prompts = voice.find("prompts")) {
        const config_map texts(*prompts, {"menu", "opted_in", "opted_out", "invalid_caller",
                                          "invalid_digit", "goodbye"});
        read_prompt(texts, "menu", policy.prompts.menu);
        read_prompt(texts, "opted_in", policy.prompts.opted_in);
        read_prompt(texts, "opted_out", policy.prompts.opted_out);
        read_prompt(texts, "invalid_caller", policy.prompts.invalid_caller);
        read_prompt(texts, "invalid_digit", policy.prompts.invalid_digit);
        read_prompt(texts, "goodbye", policy.prompts.goodbye);
    }
    if (auto language = voice.find("language")) {
        // A BCP 47 tag as Twilio's <Say language> takes it: "en-US", "es-MX", "cmn-CN".
        const auto tag = canonical_language_tag(language->as_string());
        if (!tag) language->fail("expected a language tag such as en-US or es-MX");
        policy.language = *tag;
    }
}

}  // namespace optgate
