// Writing JSON text directly into a string, for responses too large to build as a tree
// (a million check results) and for small fixed shapes.
#pragma once

#include <string>
#include <string_view>

namespace optgate {

// Appends s as a JSON string literal, quotes included; invalid UTF-8 bytes become U+FFFD
// so that the output is always valid JSON.
void append_json_string(std::string& out, std::string_view s);

}  // namespace optgate
