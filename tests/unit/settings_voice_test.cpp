// The `voice:` section: hotlines, programs, what callers hear and in which language; the
// defaults, that every refusal names the key and its line, and that SIGHUP changes it live.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config/settings_loader.hpp"
#include "config/settings_reload.hpp"
#include "config_test_text.hpp"
#include "example_config.hpp"

namespace optgate::test {
namespace {

using ::testing::HasSubstr;

// minimal_config with a voice section from line 10.
std::string with_voice(const std::string& lines) {
    return std::string(minimal_config) + "voice:\n" + lines;
}

TEST(SettingsVoice, DefaultPromptsNameDistrictCallsAndSayHowToChangeConsent) {
    const settings s = parse(minimal_config);
    const auto& p = s.voice.prompts;
    EXPECT_TRUE(s.voice.hotlines.empty());
    EXPECT_EQ(s.voice.programs, std::vector<std::string>{"district"});
    EXPECT_EQ(s.voice.language, "");
    EXPECT_EQ(s.voice.default_country, "US");
    EXPECT_THAT(p.menu, HasSubstr("district calls"));
    EXPECT_THAT(p.menu, HasSubstr("press 1"));
    EXPECT_THAT(p.menu, HasSubstr("press 2"));
    EXPECT_THAT(p.opted_in, HasSubstr("district calls"));
    EXPECT_THAT(p.opted_out, HasSubstr("no more district calls"));
    EXPECT_THAT(p.invalid_caller, HasSubstr("from the line you want to change"));
    EXPECT_THAT(p.invalid_caller, HasSubstr("without hiding your number"));
    EXPECT_FALSE(p.invalid_digit.empty());
    EXPECT_THAT(p.goodbye, HasSubstr("Goodbye"));
}

TEST(SettingsVoice, ReadsPromptsAndLanguage) {
    const settings s = parse(with_voice(R"(  hotlines: ["855-502-7867", "+1 651 555 1000"]
  programs: [district, emergency]
  language: es-MX
  prompts:
    menu: "Para recibir llamadas, marque 1. Para no recibirlas, marque 2."
    opted_in: "Recibirá llamadas."
    opted_out: "No recibirá llamadas."
    invalid_caller: "Su número está oculto."
    invalid_digit: "Opción no válida."
    goodbye: "Adiós."
)"));
    EXPECT_EQ(s.voice.hotlines, (std::vector<std::string>{"+18555027867", "+16515551000"}));
    EXPECT_EQ(s.voice.programs, (std::vector<std::string>{"district", "emergency"}));
    EXPECT_EQ(s.voice.language, "es-MX");
    const auto& p = s.voice.prompts;
    EXPECT_EQ(p.menu, "Para recibir llamadas, marque 1. Para no recibirlas, marque 2.");
    EXPECT_EQ(p.opted_in, "Recibirá llamadas.");
    EXPECT_EQ(p.opted_out, "No recibirá llamadas.");
    EXPECT_EQ(p.invalid_caller, "Su número está oculto.");
    EXPECT_EQ(p.invalid_digit, "Opción no válida.");
    EXPECT_EQ(p.goodbye, "Adiós.");
}

TEST(SettingsVoice, APromptLeftOutKeepsItsDefault) {
    const settings s = parse(with_voice("  prompts: { goodbye: \"Bye.\" }\n"));
    EXPECT_EQ(s.voice.prompts.goodbye, "Bye.");
    EXPECT_EQ(s.voice.prompts.menu, parse(minimal_config).voice.prompts.menu);
    // An empty `prompts:` is an absent one.
    EXPECT_EQ(parse(with_voice("  prompts:\n")).voice.prompts.menu,
              parse(minimal_config).voice.prompts.menu);
}

TEST(SettingsVoice, RefusalsNameTheKeyAndItsLine) {
    EXPECT_EQ(error_of(with_voice("  prompts: { menu: \"\" }\n")),
              "config: voice.prompts.menu (line 11): expected a text to say, of 1 to 4096 "
              "characters");
    EXPECT_THAT(
        error_of(with_voice("  prompts: { goodbye: \"" + std::string(4097, 'a') + "\" }\n")),
        HasSubstr("voice.prompts.goodbye (line 11): expected a text to say"));
    EXPECT_EQ(error_of(with_voice("  prompts: { welcome: hi }\n")),
              "config: voice.prompts.welcome (line 11): unknown key");
    EXPECT_EQ(error_of(with_voice("  prompts: [hi]\n")),
              "config: voice.prompts (line 11): expected a map");
    EXPECT_EQ(error_of(with_voice("  language: \"en US\"\n")),
              "config: voice.language (line 11): expected a language tag such as en-US or es-MX");
    EXPECT_THAT(error_of(with_voice("  language: \"en-US\\\" voice=\\\"x\"\n")),
                HasSubstr("voice.language (line 11)"));
    EXPECT_EQ(error_of(with_voice("  voices: 1\n")), "config: voice.voices (line 11): unknown key");
}

TEST(SettingsVoice, AHotlineNeedsAProgram) {
    EXPECT_EQ(error_of(with_voice("  hotlines: [\"+18555027867\"]\n  programs: []\n")),
              "config: voice.programs (line 12): a hotline needs a program for its digits to "
              "change");
    // Without a district program and without a list, there is none either.
    EXPECT_THAT(error_of(R"(listen: "0.0.0.0:80"
public_url: "http://gate.local"
redis: { url: "redis://r" }
journal: { dir: /j }
programs: { alerts: { default: opted_out } }
voice: { hotlines: ["+18555027867"] }
)"),
                HasSubstr("voice (line 6): a hotline needs a program"));
    EXPECT_TRUE(parse(with_voice("  programs: []\n")).voice.programs.empty());  // no hotline
}

TEST(SettingsVoice, HotlinesAndPromptsChangeOnReload) {
    const settings running = parse(with_voice("  hotlines: [\"+18555027867\"]\n"));
    const auto result =
        apply_reload(running, parse(with_voice("  hotlines: [\"+16515551000\"]\n  language: en-GB\n"
                                               "  prompts: { menu: \"New menu.\" }\n")));
    EXPECT_TRUE(result.kept_until_restart.empty());
    EXPECT_EQ(result.next.voice.hotlines, std::vector<std::string>{"+16515551000"});
    EXPECT_EQ(result.next.voice.language, "en-GB");
    EXPECT_EQ(result.next.voice.prompts.menu, "New menu.");
}

TEST(SettingsVoice, TheExampleFileDocumentsEveryPrompt) {
    const settings s = test::load_example_config();
    EXPECT_EQ(s.voice.hotlines, std::vector<std::string>{"+18555027867"});
    EXPECT_EQ(s.voice.language, "en-US");
    EXPECT_THAT(s.voice.prompts.menu, HasSubstr("Saint Paul Public Schools"));
    EXPECT_THAT(s.voice.prompts.invalid_caller, HasSubstr("without hiding your number"));
}

}  // namespace
}  // namespace optgate::test
