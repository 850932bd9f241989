#include "core/caller_id.hpp"

#include <array>

#include "core/address.hpp"

namespace optgate {
namespace {

// What carriers put in place of a withheld number. Twilio passes them as words ("anonymous",
// "Restricted"), which normalize_phone refuses, or as the digits the word is spelled with on
// a phone keypad ("+266696687" is ANONYMOUS), which would otherwise read as foreign numbers.
constexpr std::array withheld_words{"anonymous",   "restricted", "unknown",
                                    "unavailable", "blocked",    "private"};

std::string keypad_number(std::string_view word) {
    constexpr std::string_view keys = "22233344455566677778889999";  // a..z
    std::string number = "+";
    for (char letter : word) number.push_back(keys[static_cast<std::size_t>(letter - 'a')]);
    return number;
}

bool spells_a_withheld_word(std::string_view e164) {
    for (std::string_view word : withheld_words)
        if (e164 == keypad_number(word)) return true;
    return false;
}

}  // namespace

std::optional<std::string> identified_caller(std::string_view caller_id,
                                             std::string_view default_country) {
    auto phone = normalize_phone(caller_id, default_country);  // refuses words and ""
    if (phone && spells_a_withheld_word(*phone)) return std::nullopt;
    return phone;
}

}  // namespace optgate
