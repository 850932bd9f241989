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

consent_event make_event(const std::string& from, const std::string& program, consent_state state,
                         const std::string& sid, std::string_view body, const keyword_result& k,
                         epoch_ms received) {
    consent_event e;
    e.address = from;
    e.channel = channel::sms;
    e.program = program;
    e.state = state;
    e.event_time = received;  // Twilio's webhook carries no send time: receipt is the best we know
    e.received_time = received;
    e.source = std::string(twilio_sms_source);
    e.reference = sid;
    e.dedupe_key = sid;
    e.keyword = std::string(recorded_body(body));
    e.match = std::string(to_string(k.match));
    return e;
}

}  // namespace

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
    plan.keyword = classify_sms(body, policy.keywords);
    // With Twilio's Advanced Opt-Out, Twilio reads the text with keywords of the account's
    // own (any language), blocks the number and confirms by itself: what it took for an
    // opt-out is one here too, whatever our keywords make of it.
    const bool twilio_opted_out = form_value(form, "OptOutType").value_or("") == "STOP";
    if (twilio_opted_out && plan.keyword.kind != keyword_kind::opt_out &&
        plan.keyword.kind != keyword_kind::opt_out_all)
        plan.keyword = {keyword_kind::opt_out, keyword_match::provider, "STOP"};
    if (program == policy.short_codes.end()) {
        // A number of the district's that the config does not name (a short code added at
        // Twilio and forgotten here): which program it sends is unknown, so an opt-out stops
        // them all, as STOPALL does; anything else changes nothing.
        plan.status = sms_status::unknown_short_code;
        const bool opt_out = plan.keyword.kind == keyword_kind::opt_out ||
                             plan.keyword.kind == keyword_kind::opt_out_all;
        plan.keyword = opt_out ? keyword_result{keyword_kind::opt_out_all, plan.keyword.match,
                                                plan.keyword.keyword}
                               : keyword_result{};
    }
    const std::string sid_text(*sid);
    const auto add_event = [&](const std::string& program, consent_state state) {
        plan.events.push_back(
            make_event(*sender, program, state, sid_text, body, plan.keyword, received));
    };
    switch (plan.keyword.kind) {
        case keyword_kind::opt_out:
            add_event(plan.program, consent_state::opted_out);
            plan.reply = policy.replies.opt_out;
            break;
        case keyword_kind::opt_out_all:
            for (const auto& p : policy.programs) add_event(p, consent_state::opted_out);
            plan.reply = policy.replies.opt_out;
            break;
        case keyword_kind::opt_in:
            add_event(plan.program, consent_state::opted_in);
            plan.reply = policy.replies.opt_in;
            break;
        case keyword_kind::help:
            plan.reply = policy.replies.help;
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
