// The body of /v1/check and /v1/unsubscribe-links, read without a JSON tree: its list's
// strings kept as places in the body, or decoded apart when they hold escapes. Whatever the
// bytes, a body read as ok is a JSON object, and each string read is, in order, the one
// boost::json::parse decodes there (reading it touches only the body or the decoded copies:
// ASan); the fields are those the parse gives.
#include <boost/json/parse.hpp>
#include <string>

#include "adapters/http/string_list_body.hpp"
#include "fuzz/fuzz_invariant.hpp"

namespace optgate::fuzz {
namespace {

constexpr std::size_t max_items = 64;

}  // namespace
}  // namespace optgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace optgate;
    using namespace optgate::fuzz;
    const std::string body(as_text(data, size));
    const auto read =
        read_string_list_body(body, {{"channel", "program"}, "recipients", max_items});
    // Reading stopped at the first item over the limit: what follows may be anything.
    if (read.status == string_list_status::too_many_items) {
        FUZZ_INVARIANT(!read.items);
        return 0;
    }
    boost::json::error_code ec;
    const auto tree = boost::json::parse(body, ec);
    if (read.status == string_list_status::not_a_json_object) {
        FUZZ_INVARIANT(ec || !tree.is_object());
        FUZZ_INVARIANT(!read.items);
        return 0;
    }
    FUZZ_INVARIANT(!ec && tree.is_object());
    const auto& object = tree.as_object();
    const auto* list = object.if_contains("recipients");
    const char* names[] = {"channel", "program"};
    for (std::size_t f = 0; f < 2; ++f) {
        const auto* value = object.if_contains(names[f]);
        const bool text = value && value->is_string();
        FUZZ_INVARIANT(read.fields[f].has_value() == text);
        if (text) FUZZ_INVARIANT(*read.fields[f] == std::string(value->as_string()));
    }
    bool strings = list && list->is_array();
    if (strings)
        for (const auto& item : list->as_array()) strings = strings && item.is_string();
    FUZZ_INVARIANT(read.items.has_value() == strings);
    if (!strings) return 0;
    const auto& items = list->as_array();
    FUZZ_INVARIANT(read.items->size() == items.size());
    for (std::size_t i = 0; i < items.size(); ++i)
        FUZZ_INVARIANT((*read.items)[i] == std::string_view(items[i].as_string()));
    return 0;
}
