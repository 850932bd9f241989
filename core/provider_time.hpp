// Times in email providers' webhooks: Unix seconds as they write them (whole in headers and
// SendGrid events, with a fraction in Mailgun events), and the window in which a signed
// timestamp is accepted, so that a captured request cannot be replayed later.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/timestamp.hpp"

namespace optgate {

// How far a signed timestamp may lie behind now and ahead of it. Behind: a provider retries a
// failed delivery for hours with the signature of its first attempt, and a retry must not be
// refused as stale, or the unsubscribe it carries is lost. Ahead: clock skew.
struct signature_window {
    epoch_ms behind;
    epoch_ms ahead;
    constexpr epoch_ms width() const { return behind + ahead; }
};

constexpr epoch_ms minutes_ms(epoch_ms m) {
    return m * 60 * 1000;
}

// Mailgun retries for 8 hours (after 10, 10, 15 and 30 minutes, 1, 2 and 4 hours).
constexpr signature_window mailgun_signature_window{minutes_ms(9 * 60), minutes_ms(10)};
// SendGrid retries for 24 hours.
constexpr signature_window sendgrid_signature_window{minutes_ms(25 * 60), minutes_ms(10)};

// Seconds (a fraction is cut to whole milliseconds) as epoch_ms; nullopt when not finite,
// negative, or past the year 9999.
std::optional<epoch_ms> unix_seconds_to_ms(double seconds);

// "1700000000" (ASCII digits only, as in X-Twilio-Email-Event-Webhook-Timestamp and Mailgun's
// signature.timestamp) as epoch_ms; nullopt for anything else.
std::optional<epoch_ms> parse_unix_seconds(std::string_view digits);

// True when `signed_at` lies within `window` of `now`.
bool is_fresh_signature_time(epoch_ms signed_at, epoch_ms now, signature_window window);

// "9 h", "10 min": a window's side as the log and the error say it.
std::string describe_duration(epoch_ms duration);

}  // namespace optgate
