// Addresses: phone numbers normalised to E.164 with a default country, and email addresses
// trimmed and lower-cased. What cannot be normalised is invalid, never guessed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace optgate {

enum class address_kind { phone, email };

struct address {
    address_kind kind;
    std::string value;  // "+16515550100" or "jane@example.org"
    friend bool operator==(const address&, const address&) = default;
};

// True for the ISO 3166 codes whose national numbers this normaliser understands: the
// countries of the North American Numbering Plan (US, CA and the NANP territories).
bool is_supported_country(std::string_view iso_country);

// "6515550100", "(651) 555-0100", "1-651-555-0100", "+1 651 555 0100" -> "+16515550100".
// Numbers given with "+" keep their own country code (8 to 15 digits).
std::optional<std::string> normalize_phone(std::string_view input, std::string_view country);

// Trims, lower-cases, and checks the shape local@domain.tld (no spaces, one @).
std::optional<std::string> normalize_email(std::string_view input);

// Input with an "@" is an email address; anything else is read as a phone number.
std::optional<address> normalize_address(std::string_view input, std::string_view country);

}  // namespace optgate
