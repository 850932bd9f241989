// Places in the change feed (GET /v1/changes) and the id a receiver dedupes a change by.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/audit_entry.hpp"

namespace optgate {

// A cursor as Redis writes a stream entry's id, "<ms>-<n>", as numbers (each fits 64 bits);
// "0" is 0-0.
std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_feed_cursor(std::string_view text);

// What a client may ask after: a cursor, "0" (from the oldest change kept) or "end".
bool feed_cursor_valid(std::string_view text);

// Whether cursor `a` comes before `b` (both parse).
bool feed_cursor_before(std::string_view a, std::string_view b);

// The same for every delivery of one change, wherever it is in the feed (a change added
// again after Redis lost data and the journal was replayed keeps it): 40 hex digits over the
// address, channel, program and dedupe key.
std::string feed_change_id(const audit_entry& e);

}  // namespace optgate
