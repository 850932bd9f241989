// Times in email providers' webhooks: Unix seconds as they write them (whole in headers and
// SendGrid events, with a fraction in Mailgun events), and the window in which a signed
// timestamp is accepted, so that a captured request cannot be replayed later.
#pragma once

#include <optional>
#include <string_view>

#include "core/timestamp.hpp"

namespace optgate {

// A signed timestamp more than this far from now, either way, is stale.
constexpr epoch_ms signature_max_skew_ms = 10 * 60 * 1000;

// Seconds (a fraction is cut to whole milliseconds) as epoch_ms; nullopt when not finite,
// negative, or past the year 9999.
std::optional<epoch_ms> unix_seconds_to_ms(double seconds);

// "1700000000" (ASCII digits only, as in X-Twilio-Email-Event-Webhook-Timestamp and Mailgun's
// signature.timestamp) as epoch_ms; nullopt for anything else.
std::optional<epoch_ms> parse_unix_seconds(std::string_view digits);

// True when `signed_at` is within signature_max_skew_ms of `now`.
bool is_fresh_signature_time(epoch_ms signed_at, epoch_ms now);

}  // namespace optgate
