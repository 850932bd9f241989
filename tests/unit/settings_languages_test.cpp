// The config of languages and scopes: sms.languages (keywords and replies per BCP 47 tag),
// opt_out_scope, and which programs are emergency-purpose; each refusal names its key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config_test_text.hpp"

namespace optgate::test {
namespace {

using ::testing::HasSubstr;

std::string with_sms(const std::string& sms) {
    return std::string(minimal_config) + "sms:\n" + sms;
}

TEST(SettingsLanguages, SpanishAndEnglishAreBuiltIn) {
    const settings s = parse(minimal_config);
    EXPECT_EQ(s.sms.keywords.classify("ALTO").language, "es");
    EXPECT_EQ(s.sms.keywords.classify("ayuda").kind, keyword_kind::help);
    EXPECT_THAT(s.sms.replies.at("es").help, HasSubstr("Responda ALTO"));
    EXPECT_THAT(s.sms.replies.at("en").help, HasSubstr("Reply STOP"));
}

TEST(SettingsLanguages, ADistrictAddsALanguageWithItsReplies) {
    const settings s = parse(with_sms(R"(  languages:
    SO:
      opt_out_contained: [jooji]
      opt_in: [bilow]
      help: [caawimo]
      replies: { opt_out: "Waa la joojiyay.", opt_in: "Waa la bilaabay.", help: "Caawimo." }
    es-MX:
      opt_out: ["ya no"]
      replies: { help: "Ayuda del distrito." }
)"));
    const auto jooji = s.sms.keywords.classify("fadlan jooji");
    EXPECT_EQ(jooji.kind, keyword_kind::opt_out);
    EXPECT_EQ(jooji.language, "so");  // the tag as BCP 47 writes it
    EXPECT_EQ(s.sms.replies.at("so").opt_out, "Waa la joojiyay.");
    EXPECT_EQ(s.sms.keywords.classify("bilow").kind, keyword_kind::opt_in);
    // A regional tag is a language of its own, answered in its own replies or, where it has
    // none, in those of the language it narrows.
    EXPECT_EQ(s.sms.keywords.classify("Ya no").language, "es-MX");
    EXPECT_EQ(s.sms.keywords.classify("please ya no").kind, keyword_kind::none);  // alone only
    EXPECT_EQ(s.sms.replies_in("es-MX").help, "Ayuda del distrito.");
    EXPECT_EQ(s.sms.replies_in("es-MX").opt_out, s.sms.replies.at("es").opt_out);
}

TEST(SettingsLanguages, BuiltInLanguagesTakeMoreKeywordsAndOtherReplies) {
    const settings s = parse(with_sms(R"(  languages:
    es:
      opt_out_contained: [basta]
      replies: { opt_out: "Listo: no más mensajes." }
)"));
    EXPECT_EQ(s.sms.keywords.classify("basta ya").kind, keyword_kind::opt_out);
    EXPECT_EQ(s.sms.keywords.classify("alto").kind, keyword_kind::opt_out);  // still there
    EXPECT_EQ(s.sms.replies.at("es").opt_out, "Listo: no más mensajes.");
    EXPECT_THAT(s.sms.replies.at("es").opt_in, HasSubstr("volverá a recibir"));
}

TEST(SettingsLanguages, RefusesWhatCannotBeRight) {
    // A new language without its replies would leave families unanswered in it.
    EXPECT_THAT(error_of(with_sms("  languages: { hmn: { opt_out: [tsum] } }\n")),
                HasSubstr("sms.languages.hmn (line 11): a language that is not built in needs its "
                          "replies (opt_out, opt_in, help), unless sms.replies is off"));
    EXPECT_THAT(
        error_of(with_sms("  languages: { hmn: { opt_out: [tsum], replies: { opt_out: x } } }\n")),
        HasSubstr("sms.languages.hmn.replies (line 11): missing opt_in: a language"));
    // ... unless replies are off.
    EXPECT_EQ(error_of(with_sms("  replies: off\n  languages: { hmn: { opt_out: [tsum] } }\n")),
              "");
    EXPECT_THAT(error_of(with_sms("  languages: { \"not a tag\": { opt_out: [x] } }\n")),
                HasSubstr("expected a BCP 47 language tag"));
    EXPECT_THAT(error_of(with_sms("  languages: { es: { help: [x] }, ES: { help: [y] } }\n")),
                HasSubstr("repeated language es"));
    EXPECT_THAT(error_of(with_sms("  languages: { es: { opt_in: [stop] } }\n")),
                HasSubstr("sms.languages.es.opt_in[0] (line 11): \"STOP\" already means "
                          "opt_out in en"));
    EXPECT_THAT(error_of(with_sms("  languages: { es: { opt_out: [\"!!\"] } }\n")),
                HasSubstr("sms.languages.es.opt_out[0] (line 11): expected a keyword"));
    // Replies for a tag no keyword is in would never be sent.
    EXPECT_THAT(error_of(with_sms("  languages: { es-MX: { replies: { help: x } } }\n")),
                HasSubstr("sms.languages.es-MX.replies (line 11): no keyword of es-MX is "
                          "configured, so these replies would never be sent"));
    // An opt-in that any reading takes for an opt-out would be an opt-out anyway.
    EXPECT_THAT(error_of(with_sms("  languages: { es: { opt_in: [\"S T O P\"] } }\n")),
                HasSubstr("sms.languages.es.opt_in[0] (line 11): \"S T O P\" already means "
                          "opt_out in en"));
    EXPECT_THAT(error_of(with_sms("  keywords: { help: [\"how to stop\"] }\n")),
                HasSubstr("\"HOW TO STOP\" already means opt_out in en"));
    EXPECT_THAT(error_of(with_sms("  languages: { es: { stop: [x] } }\n")),
                HasSubstr("sms.languages.es.stop (line 11): unknown key"));
    EXPECT_THAT(error_of(with_sms("  replies: { help: x }\n  languages: { en: { replies: { help: "
                                  "y } } }\n")),
                HasSubstr("the English replies are given twice"));
}

TEST(SettingsLanguages, ReadsTheScopeAndTheEmergencyPrograms) {
    const settings s = parse(test::with("programs",
                                        "{ district: {}, emergency: {}, closings: "
                                        "{ emergency: true }, sports: {} }") +
                             "opt_out_scope: all\n");
    EXPECT_EQ(s.opt_out_scope, opt_out_scope::all);
    EXPECT_EQ(s.sms.scope, opt_out_scope::all);
    EXPECT_EQ(s.voice.scope, opt_out_scope::all);
    EXPECT_EQ(
        s.sms.programs,
        (std::vector<program_purpose>{
            {"district", false}, {"emergency", true}, {"closings", true}, {"sports", false}}));
    EXPECT_EQ(s.voice.all_programs, s.sms.programs);
    // "emergency" is emergency-purpose unless the config says otherwise.
    EXPECT_FALSE(parse(test::with("programs", "{ emergency: { emergency: false } }"))
                     .sms.programs[0]
                     .emergency);
    EXPECT_EQ(parse(minimal_config).opt_out_scope, opt_out_scope::program);
    EXPECT_THAT(error_of(std::string(minimal_config) + "opt_out_scope: everything\n"),
                HasSubstr("opt_out_scope (line 10): expected program, channel or all"));
    EXPECT_THAT(error_of(test::with("programs", "{ district: { emergency: maybe } }")),
                HasSubstr("programs.district.emergency (line 7): expected true or false"));
}

}  // namespace
}  // namespace optgate::test
