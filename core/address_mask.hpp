// Masked forms of addresses for logs: no phone number or email is ever logged in clear.
#pragma once

#include <string>
#include <string_view>

namespace optgate {

// "+16515550100" -> "+1651***0100"; "jane@example.org" -> "j***@example.org"; anything
// else is reduced to its length so that nothing of it leaks.
std::string mask_address(std::string_view address);

}  // namespace optgate
