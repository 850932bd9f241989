// How far one opt-out reaches under each opt_out_scope (core/opt_out_scope.hpp), for every
// kind of signal: a STOP to a program's short code (in English, in Spanish, contained, read
// by Twilio), a STOP to the emergency short code, STOPALL, a STOP to a short code the config
// does not name, and the hotline's 2; opt-ins never widen.
#include "core/opt_out_scope.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/twilio_sms.hpp"
#include "core/voice_menu.hpp"

namespace optgate {
namespace {

constexpr epoch_ms received = 1'795'341'600'000;  // 2026-11-22T10:00:00.000Z
constexpr const char* family = "+16515550100";
constexpr const char* hotline = "+18555027867";

const std::vector<program_purpose> programs{
    {"district", false}, {"emergency", true}, {"sports", false}};
constexpr opt_out_scope scopes[] = {opt_out_scope::program, opt_out_scope::channel,
                                    opt_out_scope::all};

// "sms/district" or, reached by a wider scope, "sms/sports (channel)".
std::vector<std::string> described(const std::vector<consent_event>& events) {
    std::vector<std::string> out;
    for (const auto& e : events)
        out.push_back(std::string(to_string(e.channel)) + "/" + e.program +
                      (e.scope.empty() ? "" : " (" + e.scope + ")"));
    return out;
}

sms_policy sms_with(opt_out_scope scope) {
    sms_policy p;
    p.short_codes = {{"60680", "district"}, {"54968", "emergency"}, {"60681", "sports"}};
    p.programs = programs;
    p.scope = scope;
    return p;
}

std::vector<std::string> sms_events(const std::string& body, const std::string& to,
                                    opt_out_scope scope, bool twilio_opt_out = false) {
    form_fields form{{"MessageSid", "SM1"}, {"From", family}, {"To", to}, {"Body", body}};
    if (twilio_opt_out) form.emplace_back("OptOutType", "STOP");
    return described(plan_twilio_sms(form, sms_with(scope), received).events);
}

std::vector<std::string> hotline_events(const std::string& digit, opt_out_scope scope) {
    voice_policy p;
    p.hotlines = {hotline};
    p.programs = {"district"};
    p.scope = scope;
    p.all_programs = programs;
    const form_fields form{
        {"CallSid", "CA1"}, {"From", family}, {"To", hotline}, {"Digits", digit}};
    return described(plan_voice_menu(form, "", p, received).events);
}

using names = std::vector<std::string>;

TEST(OptOutScope, AStopToAProgramsShortCode) {
    const names expected[] = {
        {"sms/district"},
        {"sms/district", "sms/sports (channel)"},
        {"sms/district", "sms/sports (all)", "voice/district (all)", "voice/sports (all)"},
    };
    for (std::size_t i = 0; i < std::size(scopes); ++i) {
        SCOPED_TRACE(to_string(scopes[i]));
        for (const std::string body : {"STOP", "ALTO", "please stop texting", "parar por favor"})
            EXPECT_EQ(sms_events(body, "60680", scopes[i]), expected[i]) << body;
        // Twilio's own reading of a text it took for an opt-out reaches as far.
        EXPECT_EQ(sms_events("ARRET", "60680", scopes[i], true), expected[i]);
    }
}

// The emergency program is reached by its own short code's STOP, which widens to the others
// like any STOP; no other STOP ever reaches it.
TEST(OptOutScope, AStopToTheEmergencyShortCode) {
    const names expected[] = {
        {"sms/emergency"},
        {"sms/emergency", "sms/district (channel)", "sms/sports (channel)"},
        {"sms/emergency", "sms/district (all)", "sms/sports (all)", "voice/district (all)",
         "voice/sports (all)"},
    };
    for (std::size_t i = 0; i < std::size(scopes); ++i) {
        SCOPED_TRACE(to_string(scopes[i]));
        EXPECT_EQ(sms_events("STOP", "54968", scopes[i]), expected[i]);
    }
}

// STOPALL names every program on sms, emergency too; `all` adds the non-emergency programs
// on voice. A STOP to a number the config does not name is read as STOPALL.
TEST(OptOutScope, StopAllAndAStopToAnUnknownShortCode) {
    const names every_sms{"sms/district", "sms/emergency", "sms/sports"};
    const names expected[] = {
        every_sms,
        every_sms,
        {"sms/district", "sms/emergency", "sms/sports", "voice/district (all)",
         "voice/sports (all)"},
    };
    for (std::size_t i = 0; i < std::size(scopes); ++i) {
        SCOPED_TRACE(to_string(scopes[i]));
        EXPECT_EQ(sms_events("STOPALL", "60680", scopes[i]), expected[i]);
        EXPECT_EQ(sms_events("stop all", "54968", scopes[i]), expected[i]);
        EXPECT_EQ(sms_events("STOP", "99999", scopes[i]), expected[i]);
        EXPECT_EQ(sms_events("alto", "99999", scopes[i]), expected[i]);
    }
}

TEST(OptOutScope, TheHotlinesTwo) {
    const names expected[] = {
        {"voice/district"},
        {"voice/district", "voice/sports (channel)"},
        {"voice/district", "voice/sports (all)", "sms/district (all)", "sms/sports (all)"},
    };
    for (std::size_t i = 0; i < std::size(scopes); ++i) {
        SCOPED_TRACE(to_string(scopes[i]));
        EXPECT_EQ(hotline_events("2", scopes[i]), expected[i]);
    }
}

TEST(OptOutScope, OptInsAreForTheirOwnProgramWhateverTheScope) {
    for (const auto scope : scopes) {
        SCOPED_TRACE(to_string(scope));
        EXPECT_EQ(sms_events("START", "60680", scope), names{"sms/district"});
        EXPECT_EQ(sms_events("INICIAR", "54968", scope), names{"sms/emergency"});
        EXPECT_EQ(hotline_events("1", scope), names{"voice/district"});
        EXPECT_EQ(sms_events("HELP", "60680", scope), names{});
    }
}

TEST(OptOutScope, EachRecordOnceAndTheNamedFirst) {
    const auto targets = opt_out_targets(channel::voice, {"sports", "district", "sports"},
                                         opt_out_scope::all, programs);
    std::vector<std::string> seen;
    for (const auto& t : targets)
        seen.push_back(std::string(to_string(t.channel)) + "/" + t.program + "/" + t.widened);
    EXPECT_EQ(seen,
              (names{"voice/sports/", "voice/district/", "sms/district/all", "sms/sports/all"}));
}

TEST(OptOutScope, ParsedFromItsName) {
    for (const auto scope : scopes) EXPECT_EQ(parse_opt_out_scope(to_string(scope)), scope);
    for (const char* bad : {"", "Program", "everything", "all "})
        EXPECT_EQ(parse_opt_out_scope(bad), std::nullopt) << bad;
}

}  // namespace
}  // namespace optgate
