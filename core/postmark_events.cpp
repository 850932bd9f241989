#include "core/postmark_events.hpp"

#include <algorithm>
#include <array>

#include "core/email_consent.hpp"

namespace optgate {
namespace {

// Postmark records an unsubscribe through its link as a ManualSuppression; one made by the
// district in Postmark's UI is one too, and stopping mail is the safe reading of it.
bool is_opt_out_reason(std::string_view reason) {
    return reason == "SpamComplaint" || reason == "ManualSuppression";
}

// `word` when it is one of Postmark's, so that a log line never carries what a request made up.
template <std::size_t N>
std::optional<std::string_view> known(std::optional<std::string_view> word,
                                      const std::array<std::string_view, N>& words) {
    if (word && std::find(words.begin(), words.end(), *word) != words.end()) return word;
    return std::nullopt;
}

constexpr std::array<std::string_view, 3> suppression_reasons{"HardBounce", "SpamComplaint",
                                                              "ManualSuppression"};
constexpr std::array<std::string_view, 3> origins{"Recipient", "Customer", "Admin"};

std::string describe_reactivation(const postmark_subscription_change& change) {
    std::string kind = "reactivation";
    if (const auto reason = known(change.suppression_reason, suppression_reasons))
        kind += " after " + std::string(*reason);
    if (const auto origin = known(change.origin, origins)) kind += " by " + std::string(*origin);
    return kind;
}

}  // namespace

postmark_plan plan_postmark_subscription_change(const postmark_subscription_change& change,
                                                const std::vector<std::string>& programs,
                                                epoch_ms received) {
    postmark_plan plan;
    if (change.message_id.value_or("").size() > max_provider_id) {
        plan.status = postmark_status::malformed;
        return plan;
    }
    if (!change.suppress_sending) {
        // A reactivation never opts anyone in. Postmark lifts a suppression when the sender's
        // staff (Origin Customer) or Postmark's (Admin) reactivate an address in its UI or
        // API, for a bounce that was dealt with as for an unsubscribe, and when a recipient
        // who has just unsubscribed through Postmark's link takes it back on Postmark's page
        // (Origin Recipient). The first is no one's wish about district email. The last is
        // the family's, but it undoes only Postmark's own suppression of one message stream:
        // optgate keeps one email record per program for every provider and its own links,
        // and the latest event wins whatever its source, so an opt-in here would also undo an
        // unsubscribe the family made through SendGrid, a one-click link or a spam complaint
        // at SES, and nothing in the webhook says which it would undo. A family that wants
        // district email again tells the district, whose admin change records it; until then
        // optgate answers "denied", which is never the wrong answer to a family that said stop.
        plan.status = postmark_status::reactivation;
        plan.kind = describe_reactivation(change);
        return plan;
    }
    const auto reason = change.suppression_reason.value_or("");
    plan.kind = std::string(reason);
    if (!is_opt_out_reason(reason)) {
        plan.status = postmark_status::not_consent;
        return plan;
    }
    const auto changed_at = parse_rfc3339(change.changed_at);
    email_signal signal;
    signal.recipient = change.recipient;
    signal.state = consent_state::opted_out;
    signal.programs = programs;
    // A time ahead of ours is kept as stated: the store dates the event by its receipt and
    // audits the stated time (dated_event_time).
    signal.event_time = changed_at.value_or(0);  // none: the store dates it by receipt
    plan.dated_at_receipt = !changed_at;
    signal.received_time = received;
    signal.source = std::string(postmark_source);
    signal.reference = std::string(change.message_id.value_or(""));
    // The message id alone is null for manual suppressions and repeats across changes of one
    // message: the time makes the change itself unique and stable. Without a ChangedAt, the
    // receipt is the time: a retry is then audited again, which for an opt-out changes
    // nothing more, where one key for every such change would swallow a later unsubscribe.
    signal.dedupe_key = std::string(postmark_source) + ":" + signal.reference + ":" +
                        format_rfc3339(changed_at.value_or(received)) + ":suppressed";
    signal.keyword = plan.kind;
    auto events = email_consent_events(signal);
    if (!events) {
        plan.status = postmark_status::invalid_recipient;
        return plan;
    }
    plan.status = postmark_status::changed;
    plan.events = std::move(*events);
    return plan;
}

}  // namespace optgate
