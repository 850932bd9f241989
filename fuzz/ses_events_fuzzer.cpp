// An Amazon SES notification: the JSON in a verified SNS Notification's Message, read as
// adapters/http/ses_route.cpp reads it, planned by plan_ses_notification. (The SNS envelope
// around it is sns_signature_fuzzer's.)
#include <boost/json/parse.hpp>
#include <optional>

#include "adapters/http/json_fields.hpp"
#include "core/ses_events.hpp"
#include "core/timestamp.hpp"
#include "fuzz/email_event_checks.hpp"
#include "fuzz/fuzz_invariant.hpp"

namespace optgate::fuzz {
namespace {

namespace json = boost::json;

// What the SNS envelope of a verified message carried.
constexpr std::string_view sns_message_id = "b3a1c9e2-5d4f-4e0a-9c7b-2f1e8d6a4b3c";
constexpr std::string_view sns_timestamp = "2026-01-05T09:59:58.123Z";

std::optional<ses_notification> read_ses_notification(const json::value& message) {
    const auto* o = message.if_object();
    if (!o) return std::nullopt;
    ses_notification n;
    n.kind = string_field(*o, "notificationType");
    if (n.kind.empty()) n.kind = string_field(*o, "eventType");
    if (n.kind.empty()) return std::nullopt;
    if (n.kind != ses_complaint_kind) return n;
    const auto* complaint = object_field(*o, "complaint");
    const auto* recipients = complaint ? complaint->if_contains("complainedRecipients") : nullptr;
    if (!recipients || !recipients->is_array()) return std::nullopt;
    for (const auto& recipient : recipients->get_array()) {
        const auto* entry = recipient.if_object();
        n.complained_recipients.push_back(entry ? string_field(*entry, "emailAddress") : "");
    }
    n.complaint_sub_type = optional_string_field(*complaint, "complaintSubType");
    n.complaint_timestamp = optional_string_field(*complaint, "timestamp");
    return n;
}

void check_plan(const ses_notification& n, const ses_plan& plan) {
    if (plan.status != ses_status::complaint) {
        FUZZ_INVARIANT(plan.events.empty());
        // Only a complaint about mail SES sent is a family's act.
        FUZZ_INVARIANT(n.kind != ses_complaint_kind || n.complaint_sub_type.has_value());
        return;
    }
    FUZZ_INVARIANT(n.kind == ses_complaint_kind && !n.complaint_sub_type);
    FUZZ_INVARIANT(plan.valid_recipients + plan.invalid_recipients ==
                   n.complained_recipients.size());
    FUZZ_INVARIANT(plan.events.size() == plan.valid_recipients * unsubscribe_programs.size());
    check_email_events(plan.events, ses_source, unsubscribe_programs);
    const auto published = parse_rfc3339(sns_timestamp);
    for (const auto& e : plan.events) {
        FUZZ_INVARIANT(e.state == consent_state::opted_out);
        // The stated time, or none; the store never dates it after the receipt.
        FUZZ_INVARIANT(dated_event_time(e) <= received_at);
        if (!n.complaint_timestamp || !parse_rfc3339(*n.complaint_timestamp))
            FUZZ_INVARIANT(e.event_time == *published);
        FUZZ_INVARIANT(e.reference == sns_message_id);
    }
}

}  // namespace
}  // namespace optgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace optgate;
    using namespace optgate::fuzz;
    boost::system::error_code ec;
    const json::value message = json::parse(as_text(data, size), ec);
    if (ec) return 0;
    auto n = read_ses_notification(message);
    if (!n) return 0;
    n->sns_message_id = sns_message_id;
    n->sns_timestamp = sns_timestamp;
    check_plan(*n, plan_ses_notification(*n, unsubscribe_programs, received_at));
    return 0;
}
