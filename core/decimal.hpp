// Whole-string decimal numbers from the network or the command line: digits only, no sign,
// no spaces, nothing after, no overflow.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace optgate {

std::optional<std::uint64_t> parse_decimal(std::string_view text);

}  // namespace optgate
