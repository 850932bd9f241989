#include "core/voice_menu.hpp"

#include <algorithm>
#include <optional>

#include "core/address.hpp"
#include "core/caller_id.hpp"

namespace optgate {
namespace {

voice_verb say(const std::string& text) {
    return {voice_verb_kind::say, text, {}};
}
voice_verb gather(const std::string& text, std::string action) {
    return {voice_verb_kind::gather, text, std::move(action)};
}
voice_verb hangup() {
    return {voice_verb_kind::hangup, {}, {}};
}

// A plan that changes nothing: it only answers.
voice_plan answer_only(voice_outcome outcome, std::vector<voice_verb> verbs) {
    return {outcome, {}, std::move(verbs)};
}

// The menu, then, if Twilio's <Gather> times out without a digit, goodbye.
std::vector<voice_verb> menu_verbs(const voice_prompts& prompts, std::string action) {
    return {gather(prompts.menu, std::move(action)), say(prompts.goodbye), hangup()};
}

// What both webhooks check first. The caller in E.164, or the plan that ends the call here.
struct screened_call {
    std::optional<voice_plan> ended{};
    std::string caller{};
    std::string call_sid{};
};

bool is_hotline(const voice_policy& policy, std::string_view to) {
    const auto number = normalize_phone(to, policy.default_country);
    return number && std::ranges::find(policy.hotlines, *number) != policy.hotlines.end();
}

screened_call screen(const form_fields& form, const voice_policy& policy) {
    const auto sid = form_value(form, "CallSid");
    const auto to = form_value(form, "To");
    if (!sid || sid->empty() || !to)
        return {.ended = answer_only(voice_outcome::missing_fields, {})};
    if (!is_hotline(policy, *to))
        return {.ended = answer_only(voice_outcome::not_a_hotline, {hangup()})};
    auto caller = identified_caller(form_value(form, "From").value_or(""), policy.default_country);
    if (!caller)
        return {.ended = answer_only(voice_outcome::withheld_caller,
                                     {say(policy.prompts.invalid_caller), hangup()})};
    return {.ended = std::nullopt, .caller = std::move(*caller), .call_sid = std::string(*sid)};
}

bool is_repeated_menu(std::string_view query) {
    const auto params = parse_form_urlencoded(query);
    return params && form_value(*params, "attempt") == "2";
}

consent_event make_event(const screened_call& call, const opt_out_target& target,
                         consent_state state, std::string_view digit, epoch_ms received) {
    consent_event e;
    e.address = call.caller;
    e.channel = target.channel;
    e.program = target.program;
    e.scope = target.widened;
    e.state = state;
    e.event_time = received;  // Twilio posts the digit as it is pressed: receipt is when
    e.received_time = received;
    e.source = std::string(twilio_voice_source);
    e.reference = call.call_sid;
    e.dedupe_key = call.call_sid;  // one choice per call; Twilio's retries repeat it
    e.keyword = std::string(digit);
    return e;
}

}  // namespace

std::string_view to_string(voice_outcome outcome) {
    switch (outcome) {
        case voice_outcome::menu:
            return "menu";
        case voice_outcome::confirmed:
            return "confirmed";
        case voice_outcome::menu_repeated:
            return "menu repeated";
        case voice_outcome::gave_up:
            return "no valid digit, goodbye";
        case voice_outcome::withheld_caller:
            return "caller id withheld or invalid";
        case voice_outcome::not_a_hotline:
            return "not a hotline";
        case voice_outcome::missing_fields:
            return "missing fields";
    }
    return "unknown";
}

voice_plan plan_voice_call(const form_fields& form, const voice_policy& policy) {
    auto call = screen(form, policy);
    if (call.ended) return std::move(*call.ended);
    return answer_only(voice_outcome::menu,
                       menu_verbs(policy.prompts, std::string(twilio_voice_menu_path)));
}

voice_plan plan_voice_menu(const form_fields& form, std::string_view query,
                           const voice_policy& policy, epoch_ms received) {
    auto call = screen(form, policy);
    if (call.ended) return std::move(*call.ended);
    const auto& prompts = policy.prompts;
    const std::string_view digit = form_value(form, "Digits").value_or("");
    if (digit == "1" || digit == "2") {
        const auto state = digit == "1" ? consent_state::opted_in : consent_state::opted_out;
        voice_plan plan{voice_outcome::confirmed, {}, {}};
        // An opt-in is for the hotline's programs; an opt-out reaches as far as the scope says.
        const auto targets =
            state == consent_state::opted_out
                ? opt_out_targets(channel::voice, policy.programs, policy.scope,
                                  policy.all_programs)
                : opt_out_targets(channel::voice, policy.programs, opt_out_scope::program, {});
        for (const auto& target : targets)
            plan.events.push_back(make_event(call, target, state, digit, received));
        plan.verbs = {say(state == consent_state::opted_in ? prompts.opted_in : prompts.opted_out),
                      hangup()};
        return plan;
    }
    if (is_repeated_menu(query))
        return answer_only(voice_outcome::gave_up,
                           {say(prompts.invalid_digit), say(prompts.goodbye), hangup()});
    auto verbs = menu_verbs(prompts, std::string(twilio_voice_menu_path) + "?attempt=2");
    verbs.insert(verbs.begin(), say(prompts.invalid_digit));
    return answer_only(voice_outcome::menu_repeated, std::move(verbs));
}

}  // namespace optgate
