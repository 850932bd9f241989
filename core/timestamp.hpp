// Event and receipt times: milliseconds since the Unix epoch, and their RFC 3339 form
// ("2026-11-22T10:00:00.000Z") as the HTTP interface shows them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace optgate {

using epoch_ms = std::int64_t;

// Formats as UTC with millisecond precision and a trailing Z.
std::string format_rfc3339(epoch_ms t);

// Parses "YYYY-MM-DDTHH:MM:SS[.fff...][Z|+hh:mm|-hh:mm]" (also with a space for T);
// nullopt for anything else, including impossible dates.
std::optional<epoch_ms> parse_rfc3339(std::string_view text);

}  // namespace optgate
