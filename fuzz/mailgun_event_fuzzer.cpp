// Mailgun's webhook body: the JSON object with `signature` and `event-data`, read as
// adapters/http/mailgun_route.cpp reads it. The signature is checked (and the event planned
// whatever its verdict, so that the fuzzer reaches the planning without forging an HMAC).
#include <string>

#include "adapters/http/json_fields.hpp"
#include "core/email_consent.hpp"
#include "core/mailgun_event.hpp"
#include "core/mailgun_signature.hpp"
#include "core/provider_time.hpp"
#include "fuzz/email_event_checks.hpp"
#include "fuzz/fuzz_invariant.hpp"

namespace optgate::fuzz {
namespace {

constexpr std::string_view signing_key = "key-fuzz-mailgun-signing";

void check_signature(std::string_view timestamp, std::string_view token,
                     std::string_view presented) {
    const std::string expected = mailgun_signature(signing_key, timestamp, token);
    FUZZ_INVARIANT(expected.size() == 64);
    FUZZ_INVARIANT(verify_mailgun_signature(signing_key, timestamp, token, expected));
    FUZZ_INVARIANT(verify_mailgun_signature(signing_key, timestamp, token, presented) ==
                   (!presented.empty() && presented == expected));
    if (const auto signed_at = parse_unix_seconds(timestamp)) {
        FUZZ_INVARIANT(*signed_at >= 0 && *signed_at % 1000 == 0);
        FUZZ_INVARIANT(
            std::to_string(*signed_at / 1000) ==
            timestamp.substr(std::min(timestamp.find_first_not_of('0'), timestamp.size() - 1)));
    }
}

void check_plan(const mailgun_event& event, const mailgun_event_plan& plan) {
    const bool consent_type = event.type == "unsubscribed" || event.type == "complained";
    // No STOP lost: a well-formed unsubscribe or complaint opts out of every program.
    if (consent_type && normalize_email(event.recipient) && !event.id.empty() &&
        event.id.size() <= max_provider_id && event.time)
        FUZZ_INVARIANT(plan.events.size() == unsubscribe_programs.size());
    if (plan.events.empty()) return;
    FUZZ_INVARIANT(consent_type && plan.status == mailgun_event_status::consent);
    FUZZ_INVARIANT(plan.events.size() == unsubscribe_programs.size());
    check_email_events(plan.events, mailgun_source, unsubscribe_programs);
    for (const auto& e : plan.events) {
        FUZZ_INVARIANT(e.state == consent_state::opted_out);
        FUZZ_INVARIANT(e.address == normalize_email(event.recipient));
        FUZZ_INVARIANT(e.reference == event.id && !e.reference.empty());
        FUZZ_INVARIANT(e.event_time == event.time.value_or(0));  // none: dated by receipt
        FUZZ_INVARIANT(dated_event_time(e) <= received_at);
    }
}

}  // namespace
}  // namespace optgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace optgate;
    using namespace optgate::fuzz;
    const auto body = parse_json_object(as_text(data, size));
    if (!body) return 0;
    if (const auto* signature = object_field(*body, "signature"))
        check_signature(string_field(*signature, "timestamp"), string_field(*signature, "token"),
                        string_field(*signature, "signature"));
    const auto* event_data = object_field(*body, "event-data");
    if (!event_data) return 0;
    const mailgun_event event{
        string_field(*event_data, "event"), string_field(*event_data, "recipient"),
        unix_seconds_field(*event_data, "timestamp"), string_field(*event_data, "id")};
    check_plan(event, plan_mailgun_event(event, unsubscribe_programs, received_at));
    return 0;
}
