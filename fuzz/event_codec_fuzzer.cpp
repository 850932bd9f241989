// The payload of a journal record: the JSON array of consent events that start-up replay and
// the applier decode. Whatever decodes is encoded again and decodes to the same events: a
// record written from events that came out of the journal must read back too.
#include "adapters/pipeline/event_codec.hpp"
#include "fuzz/fuzz_invariant.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace optgate;
    using namespace optgate::fuzz;
    const auto events = decode_events(as_text(data, size));
    if (!events) return 0;
    const std::string encoded = encode_events(*events);
    const auto again = decode_events(encoded);
    FUZZ_INVARIANT(again && *again == *events);
    FUZZ_INVARIANT(encode_events(*again) == encoded);
    return 0;
}
