// A JSON request body that names a few strings and one long list of strings, as /v1/check
// and /v1/unsubscribe-links take: read without building a JSON tree, with a bound on the list.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace optgate {

// What to keep of a body {"<field>":"...", ..., "<list>":["...", ...]}. Other members, of
// any type, are skipped without being kept.
struct string_list_shape {
    std::vector<std::string_view> fields;  // top-level members whose string values are kept
    std::string_view list;                 // the top-level member that is the list
    std::size_t max_items = 0;             // the most strings the list may hold
};

enum class string_list_status {
    ok,
    not_a_json_object,  // not JSON, or JSON but not an object
    too_many_items,     // the list holds more than max_items: reading stopped there
};

struct string_list_body {
    string_list_status status = string_list_status::ok;
    // In the order of shape.fields: the value, or nullopt if absent or not a string.
    std::vector<std::optional<std::string>> fields;
    // nullopt if absent, not an array, or holding anything other than strings.
    std::optional<std::vector<std::string>> items;
};

// Reads `body` as `shape` says. A tree of the body (boost::json::parse) costs tens of bytes
// per value whatever the value: 64 MiB of "" is 22 million values, gigabytes. Here what is
// kept is the list's strings themselves, and at most max_items of them. Where a member
// appears twice, the last one counts (as boost::json::parse has it).
string_list_body read_string_list_body(std::string_view body, const string_list_shape& shape);

}  // namespace optgate
