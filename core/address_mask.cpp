#include "core/address_mask.hpp"

#include <algorithm>

namespace optgate {
namespace {

// E.164 whose hidden middle is at least three digits: a shorter number, or anything else that
// starts with "+", would show all or most of itself through the kept prefix and suffix.
bool maskable_phone(std::string_view a) {
    return a.size() >= 12 && a.front() == '+' &&
           std::all_of(a.begin() + 1, a.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string mask_address(std::string_view a) {
    if (const auto at = a.find('@'); at != std::string_view::npos && at > 0)
        return std::string(a.substr(0, 1)) + "***" + std::string(a.substr(at));
    if (maskable_phone(a))
        return std::string(a.substr(0, 5)) + "***" + std::string(a.substr(a.size() - 4));
    return "<" + std::to_string(a.size()) + " chars>";
}

}  // namespace optgate
