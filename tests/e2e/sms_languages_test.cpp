// Families in their own languages, end to end: signed Twilio webhooks in English and Spanish
// (the built-in languages) and in a language a district adds, into the built daemon; the reply
// in the keyword's language, the check that follows, and the language on /v1/consent and in
// the audit. Then how far an opt-out reaches under opt_out_scope, and what a check of the
// emergency program says of the others (SPEC: SMS keywords; docs/scope.md).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/voice_webhook.hpp"

namespace optgate::testing {
namespace {

constexpr const char* family = "+16515550100";

// The replies of the built-in Spanish (sms_language.cpp), as the daemon sends them.
const std::string spanish_opt_out =
    "Mensajes del distrito: ya no recibirá mensajes de texto de este número. Responda INICIAR "
    "para volver a recibirlos.";
const std::string spanish_opt_in =
    "Mensajes del distrito: volverá a recibir mensajes de texto de este número. Responda ALTO "
    "para no recibirlos más.";
const std::string spanish_help =
    "Mensajes del distrito. Responda ALTO para no recibir más mensajes, INICIAR para volver a "
    "recibirlos.";

// One family's opt-out, opt-in and help in one language.
struct language_case {
    std::string language;
    std::string opt_out, opt_in, help;  // what the family texts
    std::string opt_out_reply, opt_in_reply, help_reply;
};

class SmsLanguages : public e2e_test {
  protected:
    // Texts the case's keywords to the district's short code, checking each reply, the check,
    // the record's language and the audit's.
    void expect_round_trip(const daemon_process& daemon, const language_case& c, int first_sid) {
        SCOPED_TRACE(c.language + ": " + c.opt_out);
        expect_twiml(send_sms(daemon, family, district_code, c.help, message_sid(first_sid)),
                     twiml_message(c.help_reply));
        expect_twiml(send_sms(daemon, family, district_code, c.opt_out, message_sid(first_sid + 1)),
                     twiml_message(c.opt_out_reply));
        EXPECT_EQ(text_of(check_one(daemon, family), "reason"), "opted_out");
        const auto records = value_of(consent_of(daemon, family), "records").as_array();
        ASSERT_EQ(records.size(), 1u);
        EXPECT_EQ(text_of(records[0].as_object(), "language"), c.language);
        expect_twiml(send_sms(daemon, family, district_code, c.opt_in, message_sid(first_sid + 2)),
                     twiml_message(c.opt_in_reply));
        EXPECT_EQ(value_of(check_one(daemon, family), "allowed"), json::value(true));
        const auto audit = audit_entries(daemon);
        ASSERT_GE(audit.size(), 2u);
        EXPECT_EQ(text_of(audit[audit.size() - 2], "language"), c.language);
        EXPECT_EQ(text_of(audit[audit.size() - 2], "keyword"), c.opt_out);
        EXPECT_EQ(text_of(audit.back(), "language"), c.language);
    }
};

TEST_F(SmsLanguages, EachBuiltInLanguagesKeywordsAndRepliesThroughTheWebhook) {
    const auto daemon = start_daemon();
    const std::vector<language_case> cases{
        {"en", "STOP", "START", "HELP", opt_out_reply, opt_in_reply, help_reply},
        {"en", "please stop texting me", "Yes", "info", opt_out_reply, opt_in_reply, help_reply},
        {"es", "ALTO", "INICIAR", "AYUDA", spanish_opt_out, spanish_opt_in, spanish_help},
        {"es", "No más", "Comenzar", "¿Ayuda?", spanish_opt_out, spanish_opt_in, spanish_help},
        {"es", "Por favor, quiero parar los mensajes", "alta", "ayuda", spanish_opt_out,
         spanish_opt_in, spanish_help},
        {"es", "Pare", "INICIAR", "AYUDA", spanish_opt_out, spanish_opt_in, spanish_help},
        {"es", "Detener", "INICIAR", "AYUDA", spanish_opt_out, spanish_opt_in, spanish_help},
        {"es", "cancelar", "INICIAR", "AYUDA", spanish_opt_out, spanish_opt_in, spanish_help},
        {"es", "BAJA", "INICIAR", "AYUDA", spanish_opt_out, spanish_opt_in, spanish_help},
    };
    int sid = 1;
    for (const auto& c : cases) {
        expect_round_trip(*daemon, c, sid);
        sid += 3;
    }
    // A Spanish text that only uses an alone-only word in a sentence changes nothing.
    expect_twiml(
        send_sms(*daemon, family, district_code, "¿Van a cancelar las clases?", message_sid(sid)),
        twiml_empty());
    EXPECT_EQ(value_of(check_one(*daemon, family), "allowed"), json::value(true));
}

TEST_F(SmsLanguages, ADistrictAddsALanguageWithItsOwnReplies) {
    auto config = default_test_config(redis().url(), key_prefix(), "", "");
    const std::string anchor = "sms:\n";
    config.insert(config.find(anchor) + anchor.size(), R"(  languages:
    so:
      opt_out_contained: [jooji]
      opt_in: [bilow]
      help: [caawimo]
      replies: { opt_out: "Waa la joojiyay.", opt_in: "Waa la bilaabay.", help: "Caawimo." }
)");
    daemon_process daemon(config);
    ASSERT_TRUE(daemon.wait_until_ready()) << daemon.log_text();
    expect_round_trip(daemon,
                      {"so", "Fadlan jooji", "BILOW", "caawimo", "Waa la joojiyay.",
                       "Waa la bilaabay.", "Caawimo."},
                      1);
    // English and Spanish still answer in their own.
    expect_twiml(send_sms(daemon, family, district_code, "alto", message_sid(10)),
                 twiml_message(spanish_opt_out));
}

// The carrier blocks a number that texted STOP to a code from that code only: the emergency
// code may still text a family that left the district's news, and the check says so.
TEST_F(SmsLanguages, AnEmergencyCheckSaysWhichOtherProgramsTheFamilyLeft) {
    const auto daemon = start_daemon();
    expect_twiml(send_sms(*daemon, family, district_code, "ALTO", message_sid(1)),
                 twiml_message(spanish_opt_out));
    const auto emergency = check_one(*daemon, family, "emergency");
    EXPECT_EQ(value_of(emergency, "allowed"), json::value(true));
    EXPECT_EQ(text_of(emergency, "reason"), "default");
    EXPECT_EQ(value_of(emergency, "other_opt_outs"), json::parse(R"(["district"])"));
    // A check of a program that is not emergency-purpose names no others.
    EXPECT_FALSE(check_one(*daemon, "+16515550101", "district").contains("other_opt_outs"));

    // The family's own STOP to the emergency code denies it.
    expect_twiml(send_sms(*daemon, family, emergency_code, "STOP", message_sid(2)),
                 twiml_message(opt_out_reply));
    const auto denied = check_one(*daemon, family, "emergency");
    EXPECT_EQ(value_of(denied, "allowed"), json::value(false));
    EXPECT_EQ(text_of(denied, "reason"), "opted_out");
    EXPECT_EQ(value_of(denied, "other_opt_outs"), json::parse(R"(["district"])"));
}

// opt_out_scope: all: one STOP to the district's code stops district texts and calls, never
// the emergency program; the audit says which records the scope reached.
TEST_F(SmsLanguages, ScopeAllStopsEveryNonEmergencyProgramOnBothPhoneChannels) {
    const auto daemon = start_daemon("opt_out_scope: all\n");
    expect_twiml(send_sms(*daemon, family, district_code, "STOP", message_sid(1)),
                 twiml_message(opt_out_reply));
    EXPECT_EQ(text_of(check_one(*daemon, family, "district", "sms"), "reason"), "opted_out");
    EXPECT_EQ(text_of(check_one(*daemon, family, "district", "voice"), "reason"), "opted_out");
    EXPECT_EQ(value_of(check_one(*daemon, family, "emergency", "sms"), "allowed"),
              json::value(true));
    EXPECT_EQ(value_of(check_one(*daemon, family, "emergency", "voice"), "allowed"),
              json::value(true));
    const auto audit = audit_entries(*daemon);
    ASSERT_EQ(audit.size(), 2u);
    EXPECT_EQ(text_of(audit[0], "channel"), "sms");
    EXPECT_EQ(text_of(audit[0], "scope"), "");
    EXPECT_EQ(text_of(audit[1], "channel"), "voice");
    EXPECT_EQ(text_of(audit[1], "program"), "district");
    EXPECT_EQ(text_of(audit[1], "scope"), "all");
}

// The default scope is the program: the same STOP leaves calls alone.
TEST_F(SmsLanguages, ScopeProgramIsTheDefault) {
    const auto daemon = start_daemon();
    expect_twiml(send_sms(*daemon, family, district_code, "STOP", message_sid(1)),
                 twiml_message(opt_out_reply));
    EXPECT_EQ(text_of(check_one(*daemon, family, "district", "voice"), "reason"), "default");
    EXPECT_EQ(audit_entries(*daemon).size(), 1u);
}

// The hotline's 2 under opt_out_scope: all: its own programs on voice, and the non-emergency
// ones on sms.
TEST_F(SmsLanguages, TheHotlineFollowsTheScope) {
    const auto daemon = start_daemon(test_voice_yaml + "opt_out_scope: all\n");
    call_and_press(*daemon, "CA00000000000000000000000000000001", "2", family);
    // test_voice_yaml names both programs for the hotline: both are the caller's own.
    EXPECT_EQ(text_of(check_one(*daemon, family, "district", "voice"), "reason"), "opted_out");
    EXPECT_EQ(text_of(check_one(*daemon, family, "emergency", "voice"), "reason"), "opted_out");
    // `all` reaches sms too, but only the non-emergency program.
    EXPECT_EQ(text_of(check_one(*daemon, family, "district", "sms"), "reason"), "opted_out");
    EXPECT_EQ(text_of(check_one(*daemon, family, "emergency", "sms"), "reason"), "default");
}

}  // namespace
}  // namespace optgate::testing
