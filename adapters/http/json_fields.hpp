// Reading fields out of the providers' JSON payloads: a field that is absent or of another
// type reads as absent, so that a route decides what a missing field means.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

#include "core/timestamp.hpp"

namespace optgate {

// The text as a JSON object; nullopt when it is not JSON, or JSON of another type.
std::optional<boost::json::object> parse_json_object(std::string_view text);

// The string at `key`; empty when absent or not a string.
std::string_view string_field(const boost::json::object& o, std::string_view key);

// The string at `key`; nullopt when absent, null or not a string: for fields whose presence
// matters (SNS signs only the fields a message has) or that may be null (Postmark's MessageID).
std::optional<std::string_view> optional_string_field(const boost::json::object& o,
                                                      std::string_view key);

// The object at `key`; nullptr when absent or not an object.
const boost::json::object* object_field(const boost::json::object& o, std::string_view key);

// The number of Unix seconds at `key` (whole or with a fraction) as epoch_ms; nullopt when
// absent, not a number, or out of range.
std::optional<epoch_ms> unix_seconds_field(const boost::json::object& o, std::string_view key);

}  // namespace optgate
