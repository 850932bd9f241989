#include "adapters/http/request_id.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <random>

#include <fmt/format.h>

namespace optgate {
namespace {

constexpr std::size_t max_offered_length = 64;

// Letters, digits and - _ . : only: an id goes into logs and a response header unchanged.
bool is_sane_id(std::string_view id) {
    return !id.empty() && id.size() <= max_offered_length &&
           std::all_of(id.begin(), id.end(), [](unsigned char c) {
               return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
           });
}

std::string process_prefix() {
    std::random_device random;
    return fmt::format("{:08x}", random());
}

}  // namespace

std::string request_id_for(std::string_view offered) {
    if (is_sane_id(offered)) return std::string(offered);
    static const std::string prefix = process_prefix();
    static std::atomic<std::uint64_t> counter{0};
    return fmt::format("{}-{}", prefix, ++counter);
}

std::string random_event_id() {
    std::random_device random;
    return fmt::format("{:08x}{:08x}{:08x}{:08x}", random(), random(), random(), random());
}

}  // namespace optgate
