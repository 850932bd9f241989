// What every fuzz target checks besides "no crash, no sanitizer report": invariants of a
// parser's answer. A broken one aborts, so libFuzzer saves the input that broke it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace optgate::fuzz {

[[noreturn]] inline void invariant_failed(const char* condition, const char* file, int line) {
    std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", condition, file, line);
    std::abort();
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Cuts the first line off `input` (without its '\n'); a target whose input has several
// parts (a URL and a body) takes them this way, so that seeds stay readable text.
inline std::string_view take_line(std::string_view& input) {
    const auto end = input.find('\n');
    const auto line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
    return line;
}

}  // namespace optgate::fuzz

#define FUZZ_INVARIANT(condition)       \
    ((condition) ? static_cast<void>(0) \
                 : ::optgate::fuzz::invariant_failed(#condition, __FILE__, __LINE__))
