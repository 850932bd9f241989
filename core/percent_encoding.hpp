// Percent-decoding (RFC 3986), shared by form bodies and URLs; nullopt for a bad escape.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace optgate {

enum class plus_means { plus, space };  // '+' is a space only in form bodies

std::optional<std::string> percent_decode(std::string_view text,
                                          plus_means plus = plus_means::plus);

}  // namespace optgate
