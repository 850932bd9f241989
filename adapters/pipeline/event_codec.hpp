// The journal's record format for consent events: one record per acknowledged request,
// holding every event it carries (a STOPALL's events are journaled and applied together).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/consent.hpp"

namespace optgate {

std::string encode_events(const std::vector<consent_event>& events);
std::optional<std::vector<consent_event>> decode_events(std::string_view record);

}  // namespace optgate
