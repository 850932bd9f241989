// Reading the daemon's JSON replies in optgatectl: a body as an object, a field as text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace optgate::ctl {

// The body as a JSON object; nullopt (and a message on stderr) if it is not one.
std::optional<boost::json::object> reply_object(const std::string& body);

// A string field as is, a boolean or number as text, "" when absent or null.
std::string field_text(const boost::json::object& o, std::string_view key);

}  // namespace optgate::ctl
