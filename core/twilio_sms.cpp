#include "core/twilio_sms.hpp"

#include "core/address.hpp"

namespace optgate {
namespace {

// The audit keeps what the family wrote, bounded: one SMS segment is 160 characters.
constexpr std::size_t max_recorded_body = 160;

// The first max_recorded_body bytes, cut before a UTF-8 continuation byte rather than inside a
// character, so that the audit trail (served as JSON and CSV) stays valid UTF-8.
std::string_view recorded_body(std::string_view body) {
    if (body.size() <= max_recorded_body) return body;
    std::size_t end = max_recorded_body;
    while (end > 0 && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80) --end;
    return body.substr(0, end);
}

consent_event make_event(const std::string& from, const opt_out_target& target, consent_state state,
                         const std::string& sid, std::string_view body, const keyword_result& k,
                         epoch_ms received) {
    consent_event e;
    e.address = from;
    e.channel = target.channel;
    e.program = target.program;
    e.state = state;
    e.event_time = received;  // Twilio's webhook carries no send time: receipt is the best we know
    e.received_time = received;
    e.source = std::string(twilio_sms_source);
    e.reference = sid;
    e.dedupe_key = sid;
    e.keyword = std::string(recorded_body(body));
    e.match = std::string(to_string(k.match));
    e.language = k.language;
    e.scope = target.widened;
    return e;
}

std::vector<std::string> names_of(const std::vector<program_purpose>& programs) {
    std::vector<std::string> names;
    for (const auto& p : programs) names.push_back(p.name);
    return names;
}

}  // namespace

const sms_replies* sms_policy::replies_of(std::string_view language) const {
    while (!language.empty()) {
        if (auto found = replies.find(std::string(language)); found != replies.end())
            return &found->second;
        const auto last_subtag = language.rfind('-');
        language = language.substr(0, last_subtag == std::string_view::npos ? 0 : last_subtag);
    }
    return nullptr;
}

const sms_replies& sms_policy::replies_in(std::string_view language) const {
    if (const auto* own = replies_of(language)) return *own;
    if (const auto* fallback = replies_of(fallback_language)) return *fallback;
    static const sms_replies none;
    return none;
}

sms_plan plan_twilio_sms(const form_fields& form, const sms_policy& policy, epoch_ms received) {
    sms_plan plan;
    const auto sid = form_value(form, "MessageSid");
    const auto from = form_value(form, "From");
    const auto to = form_value(form, "To");
    if (!sid || sid->empty() || !from || !to) {
        plan.status = sms_status::missing_fields;
        return plan;
    }
    const auto program = policy.short_codes.find(std::string(*to));
    if (program != policy.short_codes.end()) plan.program = program->second;
    const auto sender = normalize_phone(*from, policy.default_country);
    if (!sender) {
        plan.status = sms_status::invalid_sender;
        return plan;
    }
    const std::string_view body = form_value(form, "Body").value_or("");
    plan.keyword = policy.keywords.classify(body);
    // With Twilio's Advanced Opt-Out, Twilio reads the text with keywords of the account's
    // own (any language), blocks the number and confirms by itself: what it took for an
    // opt-out is one here too, whatever our keywords make of it.
    const bool twilio_opted_out = form_value(form, "OptOutType").value_or("") == "STOP";
    if (twilio_opted_out && plan.keyword.kind != keyword_kind::opt_out &&
        plan.keyword.kind != keyword_kind::opt_out_all)
        plan.keyword = {keyword_kind::opt_out, keyword_match::provider, "STOP", ""};
    if (program == policy.short_codes.end()) {
        // A number of the district's that the config does not name (a short code added at
        // Twilio and forgotten here): which program it sends is unknown, so an opt-out stops
        // them all, as STOPALL does; anything else changes nothing.
        plan.status = sms_status::unknown_short_code;
        const bool opt_out = plan.keyword.kind == keyword_kind::opt_out ||
                             plan.keyword.kind == keyword_kind::opt_out_all;
        plan.keyword = opt_out ? keyword_result{keyword_kind::opt_out_all, plan.keyword.match,
                                                plan.keyword.keyword, plan.keyword.language}
                               : keyword_result{};
    }
    const std::string sid_text(*sid);
    const auto add_opt_outs = [&](const std::vector<std::string>& named) {
        for (const auto& target :
             opt_out_targets(channel::sms, named, policy.scope, policy.programs))
            plan.events.push_back(make_event(*sender, target, consent_state::opted_out, sid_text,
                                             body, plan.keyword, received));
    };
    const auto& replies = policy.replies_in(plan.keyword.language);
    switch (plan.keyword.kind) {
        case keyword_kind::opt_out:
            add_opt_outs({plan.program});
            plan.reply = replies.opt_out;
            break;
        case keyword_kind::opt_out_all:
            add_opt_outs(names_of(policy.programs));
            plan.reply = replies.opt_out;
            break;
        case keyword_kind::opt_in:
            plan.events.push_back(make_event(*sender, {channel::sms, plan.program, ""},
                                             consent_state::opted_in, sid_text, body, plan.keyword,
                                             received));
            plan.reply = replies.opt_in;
            break;
        case keyword_kind::help:
            plan.reply = replies.help;
            break;
        case keyword_kind::none:
            break;
    }
    const bool confirmed_by_twilio = plan.keyword.match == keyword_match::provider;
    if (!policy.replies_enabled || confirmed_by_twilio || (plan.reply && plan.reply->empty()))
        plan.reply.reset();
    return plan;
}

}  // namespace optgate
