// Phone numbers and email addresses as providers and broadcast systems send them: what
// normalises is in its one form (E.164, or lower case local@domain.tld), normalises to
// itself again, and does not depend on the letters' case.
#include <algorithm>
#include <string>

#include "core/address.hpp"
#include "fuzz/fuzz_invariant.hpp"

namespace optgate::fuzz {
namespace {

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string ascii_upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
    return out;
}

void check_phone(std::string_view input, std::string_view country) {
    const auto phone = normalize_phone(input, country);
    if (!phone) return;
    const std::string_view digits = std::string_view(*phone).substr(1);
    FUZZ_INVARIANT(phone->front() == '+' && all_digits(digits));
    FUZZ_INVARIANT(digits.size() >= 8 && digits.size() <= 15 && digits.front() != '0');
    if (digits.front() == '1')  // NANP: +1, then an area code and exchange not starting 0 or 1
        FUZZ_INVARIANT(digits.size() == 11 && digits[1] >= '2' && digits[4] >= '2');
    FUZZ_INVARIANT(normalize_phone(*phone, country) == phone);
    FUZZ_INVARIANT(normalize_phone(*phone, "US") == phone);  // E.164 needs no country
}

void check_email(std::string_view input) {
    const auto email = normalize_email(input);
    if (!email) return;
    FUZZ_INVARIANT(!email->empty() && email->size() <= 254);
    FUZZ_INVARIANT(std::count(email->begin(), email->end(), '@') == 1);
    FUZZ_INVARIANT(email->front() != '@' &&
                   email->find('.', email->find('@')) != std::string::npos);
    FUZZ_INVARIANT(std::none_of(email->begin(), email->end(), [](unsigned char c) {
        return c <= ' ' || c == 0x7f || (c >= 'A' && c <= 'Z');
    }));
    FUZZ_INVARIANT(normalize_email(*email) == email);
    FUZZ_INVARIANT(normalize_email(ascii_upper(input)) == email);
}

}  // namespace
}  // namespace optgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace optgate;
    using namespace optgate::fuzz;
    const std::string_view input = as_text(data, size);
    check_phone(input, "US");
    check_phone(input, "GB");  // not a country it reads national numbers of: "+" only
    check_email(input);
    const auto address = normalize_address(input, "US");
    if (input.find('@') != std::string_view::npos) {
        FUZZ_INVARIANT(!address || (address->kind == address_kind::email &&
                                    address->value == normalize_email(input)));
    } else {
        FUZZ_INVARIANT(!address || (address->kind == address_kind::phone &&
                                    address->value == normalize_phone(input, "US")));
    }
    return 0;
}
