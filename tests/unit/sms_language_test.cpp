// The keywords of each built-in language (core/sms_language.hpp) on real messages families
// send, the language each match reports, and what a district's own languages add.
#include "core/sms_language.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/sms_keyword.hpp"
#include "tests/unit/keyword_cases.hpp"

namespace optgate {
namespace {

using namespace keyword_testing;

const std::string a_acute = "\xC3\xA1";               // U+00E1 á
const std::string combining_acute = "\xCC\x81";       // U+0301, after a plain "a"
const std::string inverted_bang = "\xC2\xA1";         // U+00A1 ¡
const std::string inverted_query = "\xC2\xBF";        // U+00BF ¿
const std::string n_tilde = "\xC3\xB1";               // U+00F1 ñ
const std::string folded_hands = "\xF0\x9F\x99\x8F";  // U+1F64F

// Every match of `cases` (none aside) must report `language`.
void expect_language(const std::vector<keyword_case>& cases, const keyword_rules& rules,
                     const std::string& language) {
    for (const auto& c : cases) {
        if (c.kind == none) continue;
        EXPECT_EQ(rules.classify(c.body).language, language) << c.body;
    }
}

// Spanish: ALTO (CTIA's word for Spanish short codes), PARAR, PARE, DETENER and DE BAJA
// ("darme de baja") count in a longer message; CANCELAR, BAJA and NO MAS only alone, as
// CANCEL does in English. Accents are optional.
TEST(SmsLanguage, SpanishMessagesFamiliesSend) {
    const std::vector<keyword_case> cases{
        {"ALTO", out, exact, "ALTO"},
        {"alto", out, exact, "ALTO"},
        {inverted_bang + "Alto!", out, exact, "ALTO"},
        {"PARAR", out, exact, "PARAR"},
        {"Pare", out, exact, "PARE"},
        {"Detener.", out, exact, "DETENER"},
        {"cancelar", out, exact, "CANCELAR"},
        {"Baja", out, exact, "BAJA"},
        {"No m" + a_acute + "s", out, exact, "NO MAS"},
        {"NO MAS", out, exact, "NO MAS"},
        {"no ma" + combining_acute + "s!!", out, exact, "NO MAS"},
        {"No m" + a_acute + "s " + folded_hands, out, exact, "NO MAS"},
        {"Por favor alto, ya no quiero mensajes", out, contained, "ALTO"},
        {"ALTO por favor", out, contained, "ALTO"},
        {"Quiero parar estos mensajes", out, contained, "PARAR"},
        {"Pare de enviarme mensajes", out, contained, "PARE DE"},
        {"Pare", out, exact, "PARE"},
        {"Favor de detener los mensajes de texto", out, contained, "DETENER"},
        {"Quiero darme de baja", out, contained, "DE BAJA"},
        {"Paren de enviarme mensajes", out, contained, "PAREN DE"},
        {"Paren", out, exact, "PAREN"},
        {"No m" + a_acute + "s mensajes por favor", out, contained, "NO MAS MENSAJES"},
        {inverted_bang + "Basta!", out, exact, "BASTA"},
        {"Detengan los mensajes", out, contained, "DETENGAN"},
        {"Det" + std::string("\xC3\xA9") + "n los mensajes", out, contained, "DETEN"},
        {"Quiero cancelar suscripci" + std::string("\xC3\xB3") + "n", out, contained,
         "CANCELAR SUSCRIPCION"},
        {"Me quiero dar de baja de la lista " + folded_hands, out, contained, "DE BAJA"},
        {"INICIAR", in, exact, "INICIAR"},
        {"Comenzar", in, exact, "COMENZAR"},
        {"alta", in, exact, "ALTA"},
        {"AYUDA", help, exact, "AYUDA"},
        {inverted_query + "Ayuda?", help, exact, "AYUDA"},
        {inverted_query + "Van a cancelar las clases ma" + n_tilde + "ana?", none, exact, ""},
        {"Mi hijo no va a la escuela, no m" + a_acute + "s de dos d" + "\xC3\xAD" + "as", none,
         exact, ""},
        {"La baja de temperatura cerr" + std::string("\xC3\xB3") + " la escuela?", none, exact, ""},
        {"Gracias", none, exact, ""},
        {"Hi this is Mrs. Par" + std::string("\xC3\xA9") + ", Lucas's mom", none, exact, ""},
        {"We need to pare down the list", none, exact, ""},
        {"Basta de tarea hoy?", none, exact, ""},
        {"Quiero iniciar la inscripci" + std::string("\xC3\xB3") + "n", none, exact, ""},
    };
    expect_cases(cases, keyword_rules{});
    expect_language(cases, keyword_rules{}, "es");
}

TEST(SmsLanguage, EnglishMatchesSayEnglish) {
    const std::vector<keyword_case> cases{
        {"STOP", out, exact, "STOP"},         {"please stop texting me", out, contained, "STOP"},
        {"STOP ALL", all, exact, "STOP ALL"}, {"start", in, exact, "START"},
        {"HELP", help, exact, "HELP"},
    };
    expect_cases(cases, keyword_rules{});
    expect_language(cases, keyword_rules{}, "en");
}

TEST(SmsLanguage, SpanishContainedOptOutsFollowTheSetting) {
    keyword_rules alone;
    alone.set_contained_opt_out(false);
    expect_cases(
        {
            {"Por favor alto", none, exact, ""},
            {"Quiero darme de baja", none, exact, ""},
            {"Alto!", out, exact, "ALTO"},
            {"no mas", out, exact, "NO MAS"},
        },
        alone);
}

TEST(SmsLanguage, ADistrictAddsALanguage) {
    sms_language somali{"so", {}, {"JOOJI"}, {}, {"BILOW"}, {"CAAWIMO"}, {"a", "b", "c"}};
    keyword_rules rules({english_sms_language(), spanish_sms_language(), somali}, true);
    const std::vector<keyword_case> cases{
        {"Jooji", out, exact, "JOOJI"},
        {"fadlan jooji fariimaha", out, contained, "JOOJI"},
        {"bilow", in, exact, "BILOW"},
        {"CAAWIMO?", help, exact, "CAAWIMO"},
    };
    expect_cases(cases, rules);
    expect_language(cases, rules, "so");
    // The built-in languages are still there.
    EXPECT_EQ(rules.classify("alto").language, "es");
    EXPECT_EQ(rules.classify("stop").language, "en");
}

// A keyword means one thing: another meaning in any language is refused (and reported), the
// same meaning again is accepted and changes nothing but, for an opt-out, whether it counts
// inside a longer message.
TEST(SmsLanguage, AKeywordMeansOneThingInEveryLanguage) {
    keyword_rules rules;
    const auto conflict = rules.add("hmn", keyword_kind::opt_in, "alto");
    EXPECT_EQ(conflict.kind, keyword_kind::opt_out);
    EXPECT_EQ(conflict.language, "es");
    EXPECT_EQ(rules.classify("alto").kind, keyword_kind::opt_out);

    EXPECT_EQ(rules.add("hmn", keyword_kind::opt_out, "Stop").kind, keyword_kind::none);
    EXPECT_EQ(rules.classify("stop").language, "en");  // the first language keeps it

    EXPECT_EQ(rules.classify("please cancelar").kind, keyword_kind::none);
    EXPECT_EQ(rules.add("es", keyword_kind::opt_out, "cancelar", true).kind, keyword_kind::none);
    EXPECT_EQ(rules.classify("please cancelar").kind, keyword_kind::opt_out);
}

// A keyword a config adds as an opt-in or help that any reading takes for an opt-out is
// refused, and were one there anyway, the opt-out would win: no configured word can turn a
// family's STOP, however written, into an opt-in.
TEST(SmsLanguage, NoOptInOrHelpKeywordCanHideAnOptOut) {
    keyword_rules rules;
    for (const char* disguised : {"S T O P", "ST0P", "\xD0\x85\xD0\xA2\xD0\x9E\xD0\xA0",
                                  "HOW TO STOP", "ALTO NO", "S.T.O.P."}) {
        const auto refused = rules.add("es", keyword_kind::opt_in, disguised);
        EXPECT_TRUE(refused.kind == keyword_kind::opt_out) << disguised;
        EXPECT_EQ(rules.classify(disguised).kind, keyword_kind::opt_out) << disguised;
    }
    // Added before the opt-out word that it contains, an opt-in still loses to it.
    keyword_rules late({}, true);
    EXPECT_EQ(late.add("so", keyword_kind::opt_in, "jooji maya").kind, keyword_kind::none);
    EXPECT_EQ(late.add("so", keyword_kind::opt_out, "jooji", true).kind, keyword_kind::none);
    EXPECT_EQ(late.classify("jooji maya").kind, keyword_kind::opt_out);
}

// Accented look-alikes of other scripts are read without their accents when looking for
// opt-outs: Cyrillic "ЅТӦР" (O with diaeresis), Greek "ALTΌ" (omicron with tonos).
TEST(SmsLanguage, AccentedLookAlikesOfAnyScriptStillOptOut) {
    expect_cases(
        {
            {"\xD0\x85\xD0\xA2\xD3\xA6\xD0\xA0", out, exact, "STOP"},
            {"ALT\xCE\x8C", out, exact, "ALTO"},
            {"please \xD0\x85\xD0\xA2\xD3\xA6\xD0\xA0", out, contained, "STOP"},
            {"\xD0\x81ND", out, exact, "END"},
        },
        keyword_rules{});
}

TEST(SmsLanguage, LanguageTagsAreWrittenAsBcp47Does) {
    EXPECT_EQ(canonical_language_tag("es"), "es");
    EXPECT_EQ(canonical_language_tag("ES-mx"), "es-MX");
    EXPECT_EQ(canonical_language_tag("HMN"), "hmn");
    EXPECT_EQ(canonical_language_tag("so"), "so");
    EXPECT_EQ(canonical_language_tag("ksw"), "ksw");
    for (const char* bad : {"", "not a tag", "x", "es_MX!", "123", "-es"})
        EXPECT_EQ(canonical_language_tag(bad), std::nullopt) << bad;
    EXPECT_EQ(canonical_language_tag(std::string(100, 'a')), std::nullopt);
}

}  // namespace
}  // namespace optgate
