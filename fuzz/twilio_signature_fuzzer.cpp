// What X-Twilio-Signature is checked over. Input: the URL Twilio called on the first line, the
// presented signature on the second, the form body after them. The signature covers every
// parameter sorted by name, so their order on the wire does not matter.
#include <algorithm>
#include <set>
#include <string>

#include "core/twilio_signature.hpp"
#include "fuzz/fuzz_invariant.hpp"

namespace optgate::fuzz {
namespace {

constexpr std::string_view auth_token = "fuzz-twilio-auth-token";

bool names_distinct(const form_fields& params) {
    std::set<std::string_view> names;
    for (const auto& [name, value] : params)
        if (!names.insert(name).second) return false;
    return true;
}

}  // namespace
}  // namespace optgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace optgate;
    using namespace optgate::fuzz;
    std::string_view input = as_text(data, size);
    const std::string_view url = take_line(input);
    const std::string_view presented = take_line(input);
    const auto params = parse_form_urlencoded(input);
    if (!params) return 0;
    const std::string expected = twilio_signature(auth_token, url, *params);
    FUZZ_INVARIANT(expected.size() == 28);  // base64 of HMAC-SHA1's 20 bytes
    FUZZ_INVARIANT(verify_twilio_signature(auth_token, url, *params, expected));
    FUZZ_INVARIANT(verify_twilio_signature(auth_token, url, *params, presented) ==
                   (presented == expected));
    if (names_distinct(*params)) {
        form_fields reversed(params->rbegin(), params->rend());
        FUZZ_INVARIANT(twilio_signature(auth_token, url, reversed) == expected);
    }
    if (!params->empty()) {
        // A changed value (a forged Body) is not covered by the signature of the real one.
        form_fields forged = *params;
        forged.front().second += "x";
        FUZZ_INVARIANT(!verify_twilio_signature(auth_token, url, forged, expected));
    }
    return 0;
}
