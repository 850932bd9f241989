// What a call to the hotline means (SPEC "Voice"): the menu, the events of each digit for the
// configured programs, the menu repeated once, and nothing changed for a withheld caller id
// or a number that is not a hotline.
#include "core/voice_menu.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace optgate {
namespace {

constexpr epoch_ms received = 1'795'341'600'000;  // 2026-11-22T10:00:00.000Z
constexpr const char* family = "+16515550100";
constexpr const char* hotline = "+18555027867";
constexpr const char* sid = "CA0123456789abcdef0123456789abcdef";

voice_policy district_policy() {
    voice_policy p;
    p.hotlines = {hotline, "+16515551000"};
    p.programs = {"district", "emergency"};
    p.prompts = {"menu", "in", "out", "invalid caller", "invalid digit", "goodbye"};
    return p;
}

form_fields call(std::string from = family, std::string to = hotline) {
    return {{"AccountSid", "AC00000000000000000000000000000000"},
            {"CallSid", sid},
            {"From", from},
            {"To", to},
            {"CallStatus", "ringing"},
            {"Direction", "inbound"},
            {"Caller", from},
            {"Called", to}};
}

form_fields pressed(std::string digits, std::string from = family, std::string to = hotline) {
    auto form = call(std::move(from), std::move(to));
    form.emplace_back("Digits", std::move(digits));
    return form;
}

voice_verb say(std::string text) {
    return {voice_verb_kind::say, std::move(text), {}};
}
voice_verb gather(std::string text, std::string action) {
    return {voice_verb_kind::gather, std::move(text), std::move(action)};
}
voice_verb hangup() {
    return {voice_verb_kind::hangup, {}, {}};
}

const std::vector<voice_verb> menu = {gather("menu", "/webhooks/twilio/voice/menu"), say("goodbye"),
                                      hangup()};
const std::vector<voice_verb> menu_again = {say("invalid digit"),
                                            gather("menu", "/webhooks/twilio/voice/menu?attempt=2"),
                                            say("goodbye"), hangup()};

void expect_voice_event(const consent_event& e, std::string_view program, consent_state state,
                        std::string_view digit) {
    EXPECT_EQ(e.address, family);
    EXPECT_EQ(e.channel, channel::voice);
    EXPECT_EQ(e.program, program);
    EXPECT_EQ(e.state, state);
    EXPECT_EQ(e.event_time, received);
    EXPECT_EQ(e.received_time, received);
    EXPECT_EQ(e.source, "twilio-voice");
    EXPECT_EQ(e.reference, sid);
    EXPECT_EQ(e.dedupe_key, sid);
    EXPECT_EQ(e.keyword, digit);
    EXPECT_EQ(e.match, "");
    EXPECT_EQ(e.actor, "");
    EXPECT_FALSE(e.bulk_import);
}

TEST(VoiceMenu, ACallToAHotlineGetsTheMenuThenGoodbyeIfNothingIsPressed) {
    const auto plan = plan_voice_call(call(), district_policy());
    EXPECT_EQ(plan.outcome, voice_outcome::menu);
    EXPECT_TRUE(plan.events.empty());
    EXPECT_EQ(plan.verbs, menu);
}

TEST(VoiceMenu, HotlinesMatchWhateverWayTwilioWritesTheNumber) {
    for (std::string to : {"+18555027867", "18555027867", "(855) 502-7867", "+16515551000"}) {
        SCOPED_TRACE(to);
        EXPECT_EQ(plan_voice_call(call(family, to), district_policy()).outcome,
                  voice_outcome::menu);
    }
}

TEST(VoiceMenu, ACallToAnotherNumberIsHungUpOn) {
    for (std::string to : {"+18555027868", "60680", "", "not a number"}) {
        SCOPED_TRACE(to);
        for (const auto& plan :
             {plan_voice_call(call(family, to), district_policy()),
              plan_voice_menu(pressed("2", family, to), "", district_policy(), received)}) {
            EXPECT_EQ(plan.outcome, voice_outcome::not_a_hotline);
            EXPECT_TRUE(plan.events.empty());
            EXPECT_EQ(plan.verbs, std::vector<voice_verb>{hangup()});
        }
    }
}

TEST(VoiceMenu, DigitOneOptsInForEveryConfiguredProgram) {
    const auto plan = plan_voice_menu(pressed("1"), "", district_policy(), received);
    EXPECT_EQ(plan.outcome, voice_outcome::confirmed);
    ASSERT_EQ(plan.events.size(), 2u);
    expect_voice_event(plan.events[0], "district", consent_state::opted_in, "1");
    expect_voice_event(plan.events[1], "emergency", consent_state::opted_in, "1");
    EXPECT_EQ(plan.verbs, (std::vector<voice_verb>{say("in"), hangup()}));
}

TEST(VoiceMenu, DigitTwoOptsOutForEveryConfiguredProgram) {
    auto policy = district_policy();
    policy.programs = {"district"};
    const auto plan = plan_voice_menu(pressed("2"), "", policy, received);
    EXPECT_EQ(plan.outcome, voice_outcome::confirmed);
    ASSERT_EQ(plan.events.size(), 1u);
    expect_voice_event(plan.events[0], "district", consent_state::opted_out, "2");
    EXPECT_EQ(plan.verbs, (std::vector<voice_verb>{say("out"), hangup()}));
}

TEST(VoiceMenu, AValidDigitCountsOnTheRepeatedMenuToo) {
    const auto plan = plan_voice_menu(pressed("2"), "attempt=2", district_policy(), received);
    EXPECT_EQ(plan.outcome, voice_outcome::confirmed);
    ASSERT_EQ(plan.events.size(), 2u);
    expect_voice_event(plan.events[0], "district", consent_state::opted_out, "2");
}

TEST(VoiceMenu, AnyOtherDigitOrNoneRepeatsTheMenuOnce) {
    auto no_digits = call();
    for (const auto& form : {pressed("3"), pressed("0"), pressed("*"), pressed("#"), pressed("12"),
                             pressed(""), pressed(" 1"), no_digits}) {
        const auto first = plan_voice_menu(form, "", district_policy(), received);
        EXPECT_EQ(first.outcome, voice_outcome::menu_repeated);
        EXPECT_TRUE(first.events.empty());
        EXPECT_EQ(first.verbs, menu_again);
        // The repeated menu's action carries attempt=2: a second wrong digit ends the call.
        const auto second = plan_voice_menu(form, "attempt=2", district_policy(), received);
        EXPECT_EQ(second.outcome, voice_outcome::gave_up);
        EXPECT_TRUE(second.events.empty());
        EXPECT_EQ(second.verbs,
                  (std::vector<voice_verb>{say("invalid digit"), say("goodbye"), hangup()}));
    }
}

TEST(VoiceMenu, OnlyAttemptTwoInTheQueryIsTheRepeatedMenu) {
    for (std::string query : {"", "attempt=1", "attempt=", "other=2", "attempt=2x", "%zz"}) {
        SCOPED_TRACE(query);
        EXPECT_EQ(plan_voice_menu(pressed("9"), query, district_policy(), received).outcome,
                  voice_outcome::menu_repeated);
    }
    EXPECT_EQ(plan_voice_menu(pressed("9"), "school=central&attempt=2", district_policy(), received)
                  .outcome,
              voice_outcome::gave_up);
}

TEST(VoiceMenu, AWithheldOrInvalidCallerIdChangesNothingAndHearsWhy) {
    const std::vector<voice_verb> why = {say("invalid caller"), hangup()};
    for (std::string from : {"anonymous", "Anonymous", "Restricted", "+266696687", "+7378742833",
                             "", "+1855", "client:alice"}) {
        SCOPED_TRACE(from);
        const auto on_call = plan_voice_call(call(from), district_policy());
        EXPECT_EQ(on_call.outcome, voice_outcome::withheld_caller);
        EXPECT_EQ(on_call.verbs, why);
        for (std::string digit : {"1", "2"}) {
            const auto on_digit =
                plan_voice_menu(pressed(digit, from), "", district_policy(), received);
            EXPECT_EQ(on_digit.outcome, voice_outcome::withheld_caller);
            EXPECT_TRUE(on_digit.events.empty());
            EXPECT_EQ(on_digit.verbs, why);
        }
    }
    form_fields without_from = call();
    std::erase_if(without_from, [](const auto& field) { return field.first == "From"; });
    EXPECT_EQ(plan_voice_call(without_from, district_policy()).outcome,
              voice_outcome::withheld_caller);
}

TEST(VoiceMenu, ACallerIdWithoutPlusUsesTheDefaultCountry) {
    const auto plan = plan_voice_menu(pressed("2", "6515550100"), "", district_policy(), received);
    ASSERT_EQ(plan.events.size(), 2u);
    EXPECT_EQ(plan.events[0].address, family);
}

TEST(VoiceMenu, WithoutCallSidOrToTheRequestIsMalformed) {
    for (std::string field : {"CallSid", "To"}) {
        SCOPED_TRACE(field);
        auto form = pressed("2");
        std::erase_if(form, [&](const auto& f) { return f.first == field; });
        const auto plan = plan_voice_menu(form, "", district_policy(), received);
        EXPECT_EQ(plan.outcome, voice_outcome::missing_fields);
        EXPECT_TRUE(plan.events.empty());
        EXPECT_EQ(plan_voice_call(form, district_policy()).outcome, voice_outcome::missing_fields);
    }
    auto empty_sid = pressed("2");
    for (auto& [name, value] : empty_sid)
        if (name == "CallSid") value.clear();
    EXPECT_EQ(plan_voice_menu(empty_sid, "", district_policy(), received).outcome,
              voice_outcome::missing_fields);
}

}  // namespace
}  // namespace optgate
