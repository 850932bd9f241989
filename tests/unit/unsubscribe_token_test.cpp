// The one-click link tokens: issued in the documented format (links never expire, so the
// format is pinned), verified back, and refused whenever forged, altered, truncated,
// re-encoded, oversized or of a version this optgate does not know.
#include "core/unsubscribe_token.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/digest.hpp"

namespace optgate {
namespace {

constexpr std::string_view secret = "test-secret";
const unsubscribe_target jane{"jane@example.org", "district"};

std::string issue(const unsubscribe_target& target, std::string_view with = secret) {
    auto token = unsubscribe_token_issuer(with).issue(target);
    EXPECT_TRUE(token) << target.address << " " << target.program;
    return token.value_or("");
}

// A token over any payload, signed as the header documents: what only optgate can make.
std::string signed_token(const std::string& payload) {
    const auto key = hmac_sha256(secret, "optgate unsubscribe link key v1");
    return base64url_encode(payload) + "." + base64url_encode(hmac_sha256(key, payload));
}

std::string payload_of(char version, const std::string& program, const std::string& address) {
    return std::string(1, version) + char(program.size()) + program + address;
}

token_problem problem_of(std::string_view token) {
    const auto v = verify_unsubscribe_token(secret, token);
    EXPECT_EQ(v.target.has_value(), v.problem == token_problem::none) << token;
    return v.problem;
}

TEST(UnsubscribeToken, IssuesTheDocumentedFormat) {
    // Computed independently (Python's hmac and base64) from the format in the header.
    EXPECT_EQ(issue(jane),
              "AQhkaXN0cmljdGphbmVAZXhhbXBsZS5vcmc.vu9b3plABzTzZSqsTMF4oCiwbmasLY64nEpSEKJ_cJk");
    EXPECT_EQ(issue(jane), signed_token(payload_of(1, "district", "jane@example.org")));
}

TEST(UnsubscribeToken, RoundTrips) {
    const std::string longest_address = std::string(64, 'a') + "@" + std::string(185, 'b') + ".org";
    ASSERT_EQ(longest_address.size(), max_address_in_token);
    for (const auto& target :
         {jane, unsubscribe_target{"p.o'neil+kids@mail.example.org", "emergency"},
          unsubscribe_target{"a@b.co", "x"},
          unsubscribe_target{longest_address, std::string(255, 'p')}}) {
        const auto token = issue(target);
        EXPECT_LE(token.size(), max_unsubscribe_token_length);
        const auto v = verify_unsubscribe_token(secret, token);
        EXPECT_EQ(v.problem, token_problem::none) << token;
        EXPECT_EQ(v.target, target);
        // Only base64url and the dot: the token goes into a URL path unescaped.
        EXPECT_EQ(token.find_first_not_of(
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
                  std::string::npos);
    }
    // The longest possible token is the bound itself: the bound refuses nothing we issue.
    EXPECT_EQ(issue({longest_address, std::string(255, 'p')}).size(), max_unsubscribe_token_length);
}

TEST(UnsubscribeToken, IssuesNothingForWhatCannotBeALink) {
    unsubscribe_token_issuer issuer(secret);
    EXPECT_FALSE(issuer.issue({"Jane@Example.org", "district"}));  // not normalised
    EXPECT_FALSE(issuer.issue({"+16515550100", "district"}));
    EXPECT_FALSE(issuer.issue({"", "district"}));
    EXPECT_FALSE(issuer.issue({"jane@example.org", ""}));
    EXPECT_FALSE(issuer.issue({"jane@example.org", std::string(256, 'p')}));
}

TEST(UnsubscribeToken, ATokenOfAnotherSecretIsForged) {
    EXPECT_EQ(problem_of(issue(jane, "another-secret")), token_problem::bad_signature);
    EXPECT_EQ(problem_of(issue(jane, "")), token_problem::bad_signature);
}

TEST(UnsubscribeToken, EveryAlteredCharacterIsRefused) {
    const auto token = issue(jane);
    constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %";
    for (std::size_t i = 0; i < token.size(); ++i) {
        for (char c : alphabet) {
            if (c == token[i]) continue;
            auto altered = token;
            altered[i] = c;
            EXPECT_NE(problem_of(altered), token_problem::none) << "position " << i << ": " << c;
        }
    }
}

TEST(UnsubscribeToken, AnotherAddressOrProgramUnderTheSameSignatureIsRefused) {
    const auto token = issue(jane);
    const auto signature = token.substr(token.find('.'));
    for (const auto& other : {unsubscribe_target{"john@example.org", "district"},
                              unsubscribe_target{"jane@example.org", "emergency"}}) {
        const auto forged = issue(other).substr(0, issue(other).find('.')) + signature;
        EXPECT_EQ(problem_of(forged), token_problem::bad_signature) << forged;
    }
}

TEST(UnsubscribeToken, TruncatedOrExtendedTokensAreRefused) {
    const auto token = issue(jane);
    for (std::size_t n = 0; n < token.size(); ++n)
        EXPECT_NE(problem_of(token.substr(0, n)), token_problem::none) << n;
    for (const char* tail : {"A", "=", "==", ".", ".A", "/", "?x=1"})
        EXPECT_NE(problem_of(token + tail), token_problem::none) << tail;
    EXPECT_EQ(problem_of(""), token_problem::malformed);
    EXPECT_EQ(problem_of("."), token_problem::malformed);
    EXPECT_EQ(problem_of("no-dot-at-all"), token_problem::malformed);
}

TEST(UnsubscribeToken, AnotherEncodingOfTheSameBytesIsRefused) {
    // The payload's last symbol carries spare bits: a different symbol, the same bytes.
    const auto token = issue(jane);
    const auto dot = token.find('.');
    auto reencoded = token;
    reencoded[dot - 1] = char(reencoded[dot - 1] + 1);
    ASSERT_EQ(base64url_decode(reencoded.substr(0, dot)), base64url_decode(token.substr(0, dot)));
    EXPECT_EQ(problem_of(reencoded), token_problem::malformed);
}

TEST(UnsubscribeToken, OversizedTokensAreRefusedBeforeReading) {
    EXPECT_EQ(problem_of(std::string(max_unsubscribe_token_length + 1, 'A')),
              token_problem::oversized);
    EXPECT_EQ(problem_of(issue(jane) + std::string(max_unsubscribe_token_length, 'A')),
              token_problem::oversized);
    EXPECT_EQ(problem_of(std::string(1 << 20, 'A')), token_problem::oversized);
}

TEST(UnsubscribeToken, AnUnknownVersionIsRefusedEvenWhenSigned) {
    for (char version : {char(0), char(2), char(0x7f), char(0xff)})
        EXPECT_EQ(problem_of(signed_token(payload_of(version, "district", "jane@example.org"))),
                  token_problem::unknown_version)
            << int(version);
}

TEST(UnsubscribeToken, ASignedPayloadThatIsNotATargetIsRefused) {
    for (const std::string& payload :
         {std::string("\x01", 1),                       // no program length
          std::string("\x01\x00jane@example.org", 18),  // empty program
          std::string("\x01\x20"
                      "district",
                      10),                                // program longer than the rest
          payload_of(1, "district", ""),                  // no address
          payload_of(1, "district", "Jane@Example.org"),  // not normalised
          payload_of(1, "district", "+16515550100")}) {   // not an email address
        EXPECT_EQ(problem_of(signed_token(payload)), token_problem::malformed)
            << base64url_encode(payload);
    }
}

}  // namespace
}  // namespace optgate
