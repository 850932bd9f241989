// What an inbound Twilio SMS means (SPEC "SMS keywords"): the consent events it carries for
// the short code's program (or every program for STOPALL) and the reply it gets.
#include "core/twilio_sms.hpp"

#include <gtest/gtest.h>

#include <string>

namespace optgate {
namespace {

constexpr epoch_ms received = 1'795'341'600'000;  // 2026-11-22T10:00:00.000Z

sms_policy district_policy() {
    sms_policy p;
    p.short_codes = {{"60680", "district"}, {"54968", "emergency"}};
    p.programs = {{"district", false}, {"emergency", true}};
    p.replies["en"] = {"You will get no more texts from this number. Reply START to resubscribe.",
                       "You will get texts from this number again. Reply STOP to unsubscribe.",
                       "Saint Paul Public Schools messages. Reply STOP to unsubscribe."};
    return p;
}

form_fields inbound(std::string body, std::string to = "60680", std::string from = "+16515550100",
                    std::string sid = "SM0123456789abcdef") {
    return {{"ToCountry", "US"},   {"SmsMessageSid", sid}, {"Body", std::move(body)},
            {"To", std::move(to)}, {"MessageSid", sid},    {"From", std::move(from)},
            {"NumMedia", "0"}};
}

void expect_sms_event(const consent_event& e, std::string_view program, consent_state state,
                      std::string_view body, std::string_view match) {
    EXPECT_EQ(e.address, "+16515550100");
    EXPECT_EQ(e.channel, channel::sms);
    EXPECT_EQ(e.program, program);
    EXPECT_EQ(e.state, state);
    EXPECT_EQ(e.event_time, received);
    EXPECT_EQ(e.received_time, received);
    EXPECT_EQ(e.source, "twilio-sms");
    EXPECT_EQ(e.reference, "SM0123456789abcdef");
    EXPECT_EQ(e.dedupe_key, "SM0123456789abcdef");
    EXPECT_EQ(e.keyword, body);
    EXPECT_EQ(e.match, match);
    EXPECT_EQ(e.actor, "");
    EXPECT_FALSE(e.bulk_import);
}

TEST(TwilioSms, StopToTheDistrictShortCodeOptsOutOfDistrict) {
    const auto policy = district_policy();
    const auto plan = plan_twilio_sms(inbound("Stop!"), policy, received);
    EXPECT_EQ(plan.status, sms_status::handled);
    EXPECT_EQ(plan.program, "district");
    EXPECT_EQ(plan.keyword.kind, keyword_kind::opt_out);
    EXPECT_EQ(plan.keyword.keyword, "STOP");
    ASSERT_EQ(plan.events.size(), 1u);
    expect_sms_event(plan.events[0], "district", consent_state::opted_out, "Stop!", "exact");
    EXPECT_EQ(plan.reply, policy.replies.at("en").opt_out);
}

// Twilio's Advanced Opt-Out reads texts with the account's own keywords (any language) and
// blocks the number: its STOP is an opt-out here too, confirmed by Twilio, not twice.
TEST(TwilioSms, TwilioOptOutTypeStopOptsOutWhateverTheText) {
    const auto policy = district_policy();
    auto form = inbound("ARRET");
    form.emplace_back("OptOutType", "STOP");
    const auto plan = plan_twilio_sms(form, policy, received);
    EXPECT_EQ(plan.keyword.kind, keyword_kind::opt_out);
    ASSERT_EQ(plan.events.size(), 1u);
    expect_sms_event(plan.events[0], "district", consent_state::opted_out, "ARRET", "provider");
    EXPECT_FALSE(plan.reply);
    // A text that is an opt-out by our keywords keeps its own match and reply.
    auto stop_all = inbound("stop all");
    stop_all.emplace_back("OptOutType", "STOP");
    const auto all = plan_twilio_sms(stop_all, policy, received);
    EXPECT_EQ(all.keyword.kind, keyword_kind::opt_out_all);
    EXPECT_EQ(all.events.size(), 2u);
    EXPECT_EQ(all.reply, policy.replies.at("en").opt_out);
    // Twilio's START or HELP never opts anyone in on its own.
    auto start = inbound("hello");
    start.emplace_back("OptOutType", "START");
    EXPECT_TRUE(plan_twilio_sms(start, policy, received).events.empty());
}

TEST(TwilioSms, ContainedOptOutIsRecordedAsContained) {
    const auto policy = district_policy();
    const auto plan = plan_twilio_sms(inbound("please stop texting me"), policy, received);
    EXPECT_EQ(plan.status, sms_status::handled);
    ASSERT_EQ(plan.events.size(), 1u);
    expect_sms_event(plan.events[0], "district", consent_state::opted_out, "please stop texting me",
                     "contained");
    EXPECT_EQ(plan.reply, policy.replies.at("en").opt_out);
}

TEST(TwilioSms, StopAllOptsOutOfEveryProgramWithOneReply) {
    const auto policy = district_policy();
    for (std::string body : {"STOPALL", "stop all"}) {
        SCOPED_TRACE(body);
        const auto plan = plan_twilio_sms(inbound(body, "54968"), policy, received);
        EXPECT_EQ(plan.status, sms_status::handled);
        EXPECT_EQ(plan.keyword.kind, keyword_kind::opt_out_all);
        EXPECT_EQ(plan.program, "emergency");
        ASSERT_EQ(plan.events.size(), 2u);
        expect_sms_event(plan.events[0], "district", consent_state::opted_out, body, "exact");
        expect_sms_event(plan.events[1], "emergency", consent_state::opted_out, body, "exact");
        EXPECT_EQ(plan.reply, policy.replies.at("en").opt_out);
    }
}

TEST(TwilioSms, StartToTheEmergencyShortCodeOptsInToEmergency) {
    const auto policy = district_policy();
    const auto plan = plan_twilio_sms(inbound("START", "54968"), policy, received);
    EXPECT_EQ(plan.status, sms_status::handled);
    EXPECT_EQ(plan.program, "emergency");
    EXPECT_EQ(plan.keyword.kind, keyword_kind::opt_in);
    ASSERT_EQ(plan.events.size(), 1u);
    expect_sms_event(plan.events[0], "emergency", consent_state::opted_in, "START", "exact");
    EXPECT_EQ(plan.reply, policy.replies.at("en").opt_in);
}

TEST(TwilioSms, HelpChangesNothingAndGetsTheHelpReply) {
    const auto policy = district_policy();
    const auto plan = plan_twilio_sms(inbound("help"), policy, received);
    EXPECT_EQ(plan.status, sms_status::handled);
    EXPECT_EQ(plan.keyword.kind, keyword_kind::help);
    EXPECT_TRUE(plan.events.empty());
    EXPECT_EQ(plan.reply, policy.replies.at("en").help);
}

TEST(TwilioSms, PlainTextChangesNothingAndGetsNoReply) {
    const auto policy = district_policy();
    for (std::string body : {"see you at the game", "did they cancel school?", "", "stopwatch"}) {
        SCOPED_TRACE(body);
        const auto plan = plan_twilio_sms(inbound(body), policy, received);
        EXPECT_EQ(plan.status, sms_status::handled);
        EXPECT_EQ(plan.keyword.kind, keyword_kind::none);
        EXPECT_TRUE(plan.events.empty());
        EXPECT_EQ(plan.reply, std::nullopt);
    }
}

TEST(TwilioSms, MissingBodyIsPlainText) {
    const auto plan =
        plan_twilio_sms({{"To", "60680"}, {"From", "+16515550100"}, {"MessageSid", "SM1"}},
                        district_policy(), received);
    EXPECT_EQ(plan.status, sms_status::handled);
    EXPECT_TRUE(plan.events.empty());
    EXPECT_EQ(plan.reply, std::nullopt);
}

// A number the config does not name sends programs no one knows: a STOP to it must still
// stop the family's texts, so it stops every program; nothing else changes anything.
TEST(TwilioSms, AnOptOutToAnUnknownShortCodeStopsEveryProgram) {
    const auto policy = district_policy();
    for (std::string to : {"12345", "+16515550199", "", "060680"}) {
        SCOPED_TRACE(to);
        const auto plan = plan_twilio_sms(inbound("please stop", to), policy, received);
        EXPECT_EQ(plan.status, sms_status::unknown_short_code);
        EXPECT_EQ(plan.keyword.kind, keyword_kind::opt_out_all);
        ASSERT_EQ(plan.events.size(), 2u);
        expect_sms_event(plan.events[0], "district", consent_state::opted_out, "please stop",
                         "contained");
        expect_sms_event(plan.events[1], "emergency", consent_state::opted_out, "please stop",
                         "contained");
        EXPECT_EQ(plan.reply, policy.replies.at("en").opt_out);
        for (const char* other : {"START", "HELP", "hello"}) {
            const auto nothing = plan_twilio_sms(inbound(other, to), policy, received);
            EXPECT_EQ(nothing.status, sms_status::unknown_short_code);
            EXPECT_TRUE(nothing.events.empty()) << other;
            EXPECT_EQ(nothing.reply, std::nullopt) << other;
        }
    }
}

TEST(TwilioSms, InvalidSenderChangesNothing) {
    for (std::string from : {"anonymous", "12345", "", "+0123456789", "6515550100x1"}) {
        SCOPED_TRACE(from);
        const auto plan =
            plan_twilio_sms(inbound("STOP", "60680", from), district_policy(), received);
        EXPECT_EQ(plan.status, sms_status::invalid_sender);
        EXPECT_TRUE(plan.events.empty());
        EXPECT_EQ(plan.reply, std::nullopt);
    }
}

TEST(TwilioSms, MissingFieldsAreMalformed) {
    const auto policy = district_policy();
    const form_fields without_sid{{"To", "60680"}, {"From", "+16515550100"}, {"Body", "STOP"}};
    const form_fields empty_sid{
        {"To", "60680"}, {"From", "+16515550100"}, {"Body", "STOP"}, {"MessageSid", ""}};
    const form_fields without_from{{"To", "60680"}, {"MessageSid", "SM1"}, {"Body", "STOP"}};
    const form_fields without_to{{"From", "+16515550100"}, {"MessageSid", "SM1"}, {"Body", "STOP"}};
    for (const auto& form : {without_sid, empty_sid, without_from, without_to, form_fields{}}) {
        SCOPED_TRACE(form_urlencode(form));
        const auto plan = plan_twilio_sms(form, policy, received);
        EXPECT_EQ(plan.status, sms_status::missing_fields);
        EXPECT_TRUE(plan.events.empty());
        EXPECT_EQ(plan.reply, std::nullopt);
    }
}

TEST(TwilioSms, RepliesDisabledStillRecordsTheEvent) {
    auto policy = district_policy();
    policy.replies_enabled = false;
    for (std::string body : {"STOP", "STOPALL", "START", "HELP"}) {
        SCOPED_TRACE(body);
        const auto plan = plan_twilio_sms(inbound(body), policy, received);
        EXPECT_EQ(plan.status, sms_status::handled);
        EXPECT_EQ(plan.reply, std::nullopt);
    }
    EXPECT_EQ(plan_twilio_sms(inbound("STOP"), policy, received).events.size(), 1u);
    EXPECT_EQ(plan_twilio_sms(inbound("STOPALL"), policy, received).events.size(), 2u);
}

TEST(TwilioSms, AnEmptyConfiguredReplyIsNoReply) {
    auto policy = district_policy();
    policy.replies.at("en").help = "";
    EXPECT_EQ(plan_twilio_sms(inbound("HELP"), policy, received).reply, std::nullopt);
}

TEST(TwilioSms, SenderInNationalFormIsNormalised) {
    for (std::string from : {"6515550100", "(651) 555-0100", "1-651-555-0100"}) {
        SCOPED_TRACE(from);
        const auto plan =
            plan_twilio_sms(inbound("STOP", "60680", from), district_policy(), received);
        EXPECT_EQ(plan.status, sms_status::handled);
        ASSERT_EQ(plan.events.size(), 1u);
        EXPECT_EQ(plan.events[0].address, "+16515550100");
    }
}

TEST(TwilioSms, ContainedOptOutFollowsThePolicy) {
    auto policy = district_policy();
    policy.keywords.set_contained_opt_out(false);
    const auto plan = plan_twilio_sms(inbound("please stop texting me"), policy, received);
    EXPECT_EQ(plan.status, sms_status::handled);
    EXPECT_TRUE(plan.events.empty());
    EXPECT_EQ(plan.reply, std::nullopt);
}

TEST(TwilioSms, ExtraKeywordsFromThePolicyApply) {
    auto policy = district_policy();
    policy.keywords.add("en", keyword_kind::opt_out, "halt");
    const auto plan = plan_twilio_sms(inbound("Halt"), policy, received);
    ASSERT_EQ(plan.events.size(), 1u);
    EXPECT_EQ(plan.events[0].state, consent_state::opted_out);
    EXPECT_EQ(plan.reply, policy.replies.at("en").opt_out);
}

// The reply goes out in the language of the keyword the family used, and the event keeps
// that language; HELP too.
TEST(TwilioSms, RepliesInTheLanguageOfTheKeyword) {
    auto policy = district_policy();
    policy.replies["es"] = {"Ya no recibirá mensajes.", "Volverá a recibir mensajes.", "Ayuda."};
    const auto alto = plan_twilio_sms(inbound("Alto"), policy, received);
    ASSERT_EQ(alto.events.size(), 1u);
    EXPECT_EQ(alto.events[0].language, "es");
    EXPECT_EQ(alto.events[0].state, consent_state::opted_out);
    EXPECT_EQ(alto.reply, "Ya no recibirá mensajes.");
    const auto iniciar = plan_twilio_sms(inbound("INICIAR"), policy, received);
    ASSERT_EQ(iniciar.events.size(), 1u);
    EXPECT_EQ(iniciar.events[0].language, "es");
    EXPECT_EQ(iniciar.reply, "Volverá a recibir mensajes.");
    EXPECT_EQ(plan_twilio_sms(inbound("ayuda"), policy, received).reply, "Ayuda.");
    const auto stop = plan_twilio_sms(inbound("STOP"), policy, received);
    ASSERT_EQ(stop.events.size(), 1u);
    EXPECT_EQ(stop.events[0].language, "en");
    EXPECT_EQ(stop.reply, policy.replies.at("en").opt_out);
}

// A language whose replies are missing (a policy built by hand; the config refuses it) is
// answered in the fallback language rather than not at all: carriers require a confirmation.
TEST(TwilioSms, ALanguageWithoutRepliesIsAnsweredInTheFallbackLanguage) {
    auto policy = district_policy();
    policy.keywords.add("so", keyword_kind::opt_out, "jooji");
    const auto plan = plan_twilio_sms(inbound("JOOJI"), policy, received);
    ASSERT_EQ(plan.events.size(), 1u);
    EXPECT_EQ(plan.events[0].language, "so");
    EXPECT_EQ(plan.reply, policy.replies.at("en").opt_out);
}

// The audit keeps at most one SMS segment of the body, cut on a character boundary so that
// the audit trail stays valid UTF-8 (it is served as JSON and CSV).
TEST(TwilioSms, RecordedBodyIsBoundedAndValidUtf8) {
    const auto policy = district_policy();
    const std::string ascii = "stop " + std::string(300, 'a');
    auto plan = plan_twilio_sms(inbound(ascii), policy, received);
    ASSERT_EQ(plan.events.size(), 1u);
    EXPECT_EQ(plan.events[0].keyword, ascii.substr(0, 160));

    // "é" (two bytes) straddles byte 160: it is left out whole, not cut in half.
    const std::string straddling = "stop " + std::string(154, 'a') + "\xC3\xA9" + "bcd";
    plan = plan_twilio_sms(inbound(straddling), policy, received);
    ASSERT_EQ(plan.events.size(), 1u);
    EXPECT_EQ(plan.events[0].keyword, straddling.substr(0, 159));

    // A four-byte emoji straddling byte 160 likewise.
    const std::string emoji = "stop " + std::string(153, 'a') + "\xF0\x9F\x9B\x91" + "bcd";
    plan = plan_twilio_sms(inbound(emoji), policy, received);
    ASSERT_EQ(plan.events.size(), 1u);
    EXPECT_EQ(plan.events[0].keyword, emoji.substr(0, 158));

    // A character that ends exactly at byte 160 is kept.
    const std::string fits = "stop " + std::string(153, 'a') + "\xC3\xA9" + "bcd";
    plan = plan_twilio_sms(inbound(fits), policy, received);
    ASSERT_EQ(plan.events.size(), 1u);
    EXPECT_EQ(plan.events[0].keyword, fits.substr(0, 160));
}

}  // namespace
}  // namespace optgate
