#include "core/provider_time.hpp"

#include <cmath>

namespace optgate {
namespace {

// 9999-12-31T23:59:59Z: beyond it a time is a mistake, and RFC 3339 has no four-digit year.
constexpr double max_unix_seconds = 253'402'300'799.0;

}  // namespace

std::optional<epoch_ms> unix_seconds_to_ms(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0 || seconds > max_unix_seconds) return std::nullopt;
    return static_cast<epoch_ms>(std::floor(seconds * 1000.0));
}

std::optional<epoch_ms> parse_unix_seconds(std::string_view digits) {
    // Twelve digits already pass the year 9999; more could only overflow.
    if (digits.empty() || digits.size() > 12) return std::nullopt;
    epoch_ms seconds = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        seconds = seconds * 10 + (c - '0');
    }
    if (seconds > static_cast<epoch_ms>(max_unix_seconds)) return std::nullopt;
    return seconds * 1000;
}

bool is_fresh_signature_time(epoch_ms signed_at, epoch_ms now, signature_window window) {
    return signed_at > now ? signed_at - now <= window.ahead : now - signed_at <= window.behind;
}

std::string describe_duration(epoch_ms duration) {
    const epoch_ms minutes = duration / minutes_ms(1);
    return minutes % 60 == 0 ? std::to_string(minutes / 60) + " h"
                             : std::to_string(minutes) + " min";
}

}  // namespace optgate
