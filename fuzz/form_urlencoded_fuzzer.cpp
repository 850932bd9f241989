// application/x-www-form-urlencoded bodies, as Twilio and one-click unsubscribes post them:
// whatever parses is encoded again and reads back the same fields in the same order.
#include "core/form_urlencoded.hpp"
#include "fuzz/fuzz_invariant.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace optgate;
    using namespace optgate::fuzz;
    const auto fields = parse_form_urlencoded(as_text(data, size));
    if (!fields) return 0;
    const std::string encoded = form_urlencode(*fields);
    FUZZ_INVARIANT(encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                             "0123456789-_.~%&=") == std::string::npos);
    FUZZ_INVARIANT(parse_form_urlencoded(encoded) == fields);
    if (!fields->empty()) {
        // The first field of a name wins (Twilio sends each once).
        const auto& [name, value] = fields->front();
        FUZZ_INVARIANT(form_value(*fields, name) == std::string_view(value));
    }
    return 0;
}
