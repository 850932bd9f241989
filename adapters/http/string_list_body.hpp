// A JSON request body that names a few strings and one long list of strings, as /v1/check
// and /v1/unsubscribe-links take: read without building a JSON tree, with a bound on the list.
#pragma once

#include <cstddef>
#include <cstdint>
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

// The strings of a body's list, each kept as its place: a string without escapes is read in
// place from the body, one with escapes from its decoded copy. 8 bytes per string however
// long it is, so a list of a million holds 8 MB beside the body, not a million strings. The
// body must outlive the list, at the same address (a moved std::string of a few characters
// does not keep it).
class string_list {
  public:
    std::size_t size() const { return places_.size(); }
    bool empty() const { return places_.empty(); }
    std::string_view operator[](std::size_t i) const;

    // For the reader: the body it reads, a string of it, a string decoded elsewhere.
    explicit string_list(std::string_view body) : body_(body) {}
    void add_in_body(std::string_view s);
    void add_decoded(std::string_view s);
    void clear();

  private:
    struct place {
        std::uint32_t offset;  // past body_.size(): an offset into decoded_, plus that size
        std::uint32_t length;
    };
    std::string_view body_;
    std::string decoded_;
    std::vector<place> places_;
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
    std::optional<string_list> items;
};

// Reads `body` as `shape` says. A tree of the body (boost::json::parse) costs tens of bytes
// per value whatever the value: 64 MiB of "" is 22 million values, gigabytes. Here what is
// kept is where the list's strings are, and at most max_items of them: `body` must outlive
// the result. Where a member appears twice, the last one counts (as boost::json::parse has
// it). A body of 2 GiB or more is refused as not_a_json_object (no route takes a tenth of it).
string_list_body read_string_list_body(std::string_view body, const string_list_shape& shape);

}  // namespace optgate
