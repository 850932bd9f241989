// application/x-www-form-urlencoded bodies (Twilio's webhooks, one-click unsubscribes):
// decoded name/value pairs in the order received.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace optgate {

using form_fields = std::vector<std::pair<std::string, std::string>>;

// nullopt for a malformed body (a bad %-escape); "+" is a space.
std::optional<form_fields> parse_form_urlencoded(std::string_view body);

std::string form_urlencode(const form_fields& fields);

// The value of the first field with this name, if present.
std::optional<std::string_view> form_value(const form_fields& fields, std::string_view name);

}  // namespace optgate
