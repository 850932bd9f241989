// Postmark's webhook body: a JSON record, read as adapters/http/postmark_route.cpp reads a
// SubscriptionChange, planned by plan_postmark_subscription_change; ChangedAt goes through
// parse_rfc3339, the one parser of provider times in RFC 3339.
#include "adapters/http/json_fields.hpp"
#include "core/email_consent.hpp"
#include "core/postmark_events.hpp"
#include "core/timestamp.hpp"
#include "fuzz/email_event_checks.hpp"
#include "fuzz/fuzz_invariant.hpp"

namespace optgate::fuzz {
namespace {

// A time parse_rfc3339 accepted is formatted in years 0000 to 9999 and read back the same.
void check_time(std::string_view text) {
    const auto t = parse_rfc3339(text);
    if (!t) return;
    const std::string formatted = format_rfc3339(*t);
    const bool four_digit_year = formatted.size() == 24 && formatted[4] == '-' &&
                                 formatted.find_first_not_of("0123456789") == 4;
    if (four_digit_year) FUZZ_INVARIANT(parse_rfc3339(formatted) == t);
}

bool is_opt_out_reason(std::optional<std::string_view> reason) {
    return reason == "SpamComplaint" || reason == "ManualSuppression";
}

void check_plan(const postmark_subscription_change& change, const postmark_plan& plan) {
    const auto changed_at = parse_rfc3339(change.changed_at);
    // No STOP lost: a well-formed complaint or unsubscribe opts out of every program.
    if (change.suppress_sending && is_opt_out_reason(change.suppression_reason) &&
        normalize_email(change.recipient) && changed_at &&
        change.message_id.value_or("").size() <= max_provider_id)
        FUZZ_INVARIANT(plan.status == postmark_status::changed &&
                       plan.events.size() == unsubscribe_programs.size());
    if (plan.events.empty()) return;
    FUZZ_INVARIANT(plan.status == postmark_status::changed);
    FUZZ_INVARIANT(plan.events.size() == unsubscribe_programs.size());
    check_email_events(plan.events, postmark_source, unsubscribe_programs);
    for (const auto& e : plan.events) {
        // Opted out only by a complaint or an unsubscribe; never opted in by a suppression.
        if (e.state == consent_state::opted_out)
            FUZZ_INVARIANT(change.suppress_sending && is_opt_out_reason(change.suppression_reason));
        else
            FUZZ_INVARIANT(!change.suppress_sending);
        FUZZ_INVARIANT(e.keyword == plan.kind);
        FUZZ_INVARIANT(e.address == normalize_email(change.recipient));
        // The stated time, or none (0); the store never dates it after the receipt.
        FUZZ_INVARIANT(e.event_time == changed_at.value_or(0));
        FUZZ_INVARIANT(dated_event_time(e) <= received_at);
        FUZZ_INVARIANT(e.reference.size() <= max_provider_id);
    }
}

}  // namespace
}  // namespace optgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace optgate;
    using namespace optgate::fuzz;
    const auto record = parse_json_object(as_text(data, size));
    if (!record) return 0;
    if (string_field(*record, "RecordType") != postmark_subscription_change_type) return 0;
    const auto* suppress = record->if_contains("SuppressSending");
    postmark_subscription_change change;
    change.message_id = optional_string_field(*record, "MessageID");
    change.changed_at = string_field(*record, "ChangedAt");
    change.recipient = string_field(*record, "Recipient");
    change.suppression_reason = optional_string_field(*record, "SuppressionReason");
    check_time(change.changed_at);
    if (change.recipient.empty() || !suppress || !suppress->is_bool()) return 0;
    change.suppress_sending = suppress->get_bool();
    check_plan(change,
               plan_postmark_subscription_change(change, unsubscribe_programs, received_at));
    return 0;
}
