// Who is calling, from a Twilio Voice caller id: the phone number a hotline call may change
// consent for, or nothing when the number is withheld or is not a number we can normalise.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace optgate {

// The caller's number in E.164, or nullopt when the caller id is withheld ("anonymous",
// "Restricted", empty, ...; also as Twilio spells those words on a keypad: "+266696687" is
// ANONYMOUS) or when normalize_phone refuses it. Never a guess: a withheld caller changes nothing.
std::optional<std::string> identified_caller(std::string_view caller_id,
                                             std::string_view default_country);

}  // namespace optgate
