#include "core/address.hpp"

#include <algorithm>
#include <array>

namespace optgate {
namespace {

constexpr std::array nanp_countries{"US", "CA", "PR", "VI", "GU", "AS", "MP", "AG", "AI",
                                    "BS", "BB", "BM", "VG", "KY", "DM", "DO", "GD", "JM",
                                    "MS", "KN", "LC", "VC", "SX", "TT", "TC"};

constexpr std::size_t max_input = 64;

std::string_view trim(std::string_view s) {
    const auto not_space = [](char c) { return c != ' ' && c != '\t' && c != '\r' && c != '\n'; };
    while (!s.empty() && !not_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && !not_space(s.back())) s.remove_suffix(1);
    return s;
}

// NANP: NPA-NXX-XXXX, where neither the area code nor the exchange starts with 0 or 1.
bool valid_nanp_national(std::string_view ten) {
    return ten.size() == 10 && ten[0] >= '2' && ten[3] >= '2';
}

}  // namespace

bool is_supported_country(std::string_view iso) {
    return std::find(nanp_countries.begin(), nanp_countries.end(), iso) != nanp_countries.end();
}

std::optional<std::string> normalize_phone(std::string_view input, std::string_view country) {
    input = trim(input);
    if (input.empty() || input.size() > max_input) return std::nullopt;
    bool international = false;
    // "+44 (0)20 ..." mixes the international and the national form; dropping the 0 would be a
    // guess, keeping it a wrong number.
    if (input.find("(0)") != std::string_view::npos) return std::nullopt;
    if (input.front() == '+') {
        international = true;
        input.remove_prefix(1);
    }
    std::string digits;
    for (char c : input) {
        if (c >= '0' && c <= '9') {
            digits.push_back(c);
        } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
            return std::nullopt;  // letters, extensions, anything else: not a number we dial
        }
    }
    if (international) {
        if (digits.size() < 8 || digits.size() > 15 || digits[0] == '0') return std::nullopt;
        if (digits[0] == '1' && !(digits.size() == 11 && valid_nanp_national(digits.substr(1))))
            return std::nullopt;
        return "+" + digits;
    }
    if (!is_supported_country(country)) return std::nullopt;
    if (digits.size() == 11 && digits[0] == '1') digits.erase(0, 1);
    if (!valid_nanp_national(digits)) return std::nullopt;
    return "+1" + digits;
}

std::optional<std::string> normalize_email(std::string_view input) {
    input = trim(input);
    if (input.empty() || input.size() > 254) return std::nullopt;
    const auto at = input.find('@');
    if (at == std::string_view::npos || at == 0 ||
        input.find('@', at + 1) != std::string_view::npos)
        return std::nullopt;
    const auto domain = input.substr(at + 1);
    const auto dot = domain.rfind('.');
    if (domain.empty() || dot == std::string_view::npos || dot == 0 || dot + 1 == domain.size() ||
        domain.front() == '-' || domain.find("..") != std::string_view::npos)
        return std::nullopt;
    std::string out(input);
    for (auto& ch : out) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' ||
            c == '\\')
            return std::nullopt;
        if (c >= 'A' && c <= 'Z') ch = char(c - 'A' + 'a');
    }
    return out;
}

std::optional<address> normalize_address(std::string_view input, std::string_view country) {
    if (input.find('@') != std::string_view::npos) {
        if (auto e = normalize_email(input)) return address{address_kind::email, std::move(*e)};
        return std::nullopt;
    }
    if (auto p = normalize_phone(input, country))
        return address{address_kind::phone, std::move(*p)};
    return std::nullopt;
}

}  // namespace optgate
