// The body of an RFC 8058 one-click unsubscribe POST. Input: the Content-Type header value on
// the first line, the body after it. The multipart/form-data parser's fields, written again as
// a mail client writes them, read back the same.
#include <string>

#include "core/one_click_body.hpp"
#include "fuzz/fuzz_invariant.hpp"

namespace optgate::fuzz {
namespace {

constexpr std::string_view boundary = "optgate-fuzz-boundary-7f3a";

// The parameter as a client sends it: `boundary=...` up to the next ';', unquoted.
std::string_view boundary_of(std::string_view content_type) {
    const auto at = content_type.find("boundary=");
    if (at == std::string_view::npos) return {};
    auto value = content_type.substr(at + 9);
    return value.substr(0, value.find(';'));
}

std::string multipart(const form_fields& fields) {
    std::string body;
    for (const auto& [name, value] : fields) {
        body += "--" + std::string(boundary) + "\r\n";
        body += "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n";
        body += value + "\r\n";
    }
    return body + "--" + std::string(boundary) + "--\r\n";
}

void check_round_trip(const form_fields& fields) {
    for (const auto& [name, value] : fields) {
        // Its own delimiter inside a value would end the part early in any writer's body.
        if ((name + value).find(boundary) != std::string::npos) return;
    }
    FUZZ_INVARIANT(parse_multipart_form(boundary, multipart(fields)) == fields);
}

}  // namespace
}  // namespace optgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace optgate;
    using namespace optgate::fuzz;
    std::string_view body = as_text(data, size);
    const std::string_view content_type = take_line(body);
    const bool one_click = is_one_click_unsubscribe(content_type, body);
    const form_fields expected{{"List-Unsubscribe", "One-Click"}};
    if (const auto fields = parse_multipart_form(boundary_of(content_type), body))
        check_round_trip(*fields);
    if (content_type == "application/x-www-form-urlencoded")
        FUZZ_INVARIANT(one_click == (parse_form_urlencoded(body) == expected));
    return 0;
}
