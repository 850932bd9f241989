// X-Twilio-Signature: Twilio's own documented example, and every change to what was signed
// (a param, the URL, the token) makes verification fail.
#include "core/twilio_signature.hpp"

#include <gtest/gtest.h>

#include "core/digest.hpp"

namespace optgate {
namespace {

constexpr std::string_view auth_token = "12345";
constexpr std::string_view url = "https://mycompany.com/myapp.php?foo=1&bar=2";
constexpr std::string_view documented_signature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

// Deliberately not in name order: the signature sorts them.
form_fields documented_params() {
    return {
        {"Digits", "1234"},         {"To", "+18005551212"},           {"From", "+12349013030"},
        {"Caller", "+12349013030"}, {"CallSid", "CA1234567890ABCDE"},
    };
}

TEST(TwilioSignature, TwiliosDocumentedExample) {
    EXPECT_EQ(twilio_signature(auth_token, url, documented_params()), documented_signature);
    EXPECT_TRUE(
        verify_twilio_signature(auth_token, url, documented_params(), documented_signature));
}

TEST(TwilioSignature, IsBase64HmacSha1OverUrlAndSortedNameValuePairs) {
    const std::string message =
        std::string(url) +
        "CallSidCA1234567890ABCDECaller+12349013030Digits1234From+12349013030To+18005551212";
    EXPECT_EQ(twilio_signature(auth_token, url, documented_params()),
              base64_encode(hmac_sha1(auth_token, message)));
}

TEST(TwilioSignature, WithoutParamsSignsTheUrlAlone) {
    EXPECT_EQ(twilio_signature(auth_token, url, {}), base64_encode(hmac_sha1(auth_token, url)));
}

TEST(TwilioSignature, SortsByteWiseCaseSensitively) {
    // Upper case sorts before lower case ("Zeta" < "alpha"), as Twilio sorts.
    const form_fields params{{"alpha", "1"}, {"Zeta", "2"}};
    EXPECT_EQ(twilio_signature(auth_token, url, params),
              base64_encode(hmac_sha1(auth_token, std::string(url) + "Zeta2alpha1")));
}

TEST(TwilioSignature, AlteredParamFails) {
    auto params = documented_params();
    params[0].second = "1235";
    EXPECT_FALSE(verify_twilio_signature(auth_token, url, params, documented_signature));
}

TEST(TwilioSignature, AddedParamFails) {
    auto params = documented_params();
    params.emplace_back("Body", "STOP");
    EXPECT_FALSE(verify_twilio_signature(auth_token, url, params, documented_signature));
}

TEST(TwilioSignature, RemovedParamFails) {
    auto params = documented_params();
    params.pop_back();
    EXPECT_FALSE(verify_twilio_signature(auth_token, url, params, documented_signature));
}

TEST(TwilioSignature, ParamValuesAreSignedUntrimmed) {
    auto params = documented_params();
    params[0].second = "1234 ";
    EXPECT_FALSE(verify_twilio_signature(auth_token, url, params, documented_signature));
}

TEST(TwilioSignature, WrongUrlFails) {
    for (std::string_view other :
         {"http://mycompany.com/myapp.php?foo=1&bar=2", "https://mycompany.com/myapp.php",
          "https://mycompany.com/myapp.php?bar=2&foo=1",
          "https://mycompany.com/myapp.php?foo=1&bar=2/",
          "https://evil.example/myapp.php?foo=1&bar=2"}) {
        SCOPED_TRACE(other);
        EXPECT_FALSE(
            verify_twilio_signature(auth_token, other, documented_params(), documented_signature));
    }
}

TEST(TwilioSignature, WrongTokenFails) {
    EXPECT_FALSE(verify_twilio_signature("12346", url, documented_params(), documented_signature));
    EXPECT_FALSE(verify_twilio_signature("", url, documented_params(), documented_signature));
}

TEST(TwilioSignature, EmptyOrMangledHeaderFails) {
    EXPECT_FALSE(verify_twilio_signature(auth_token, url, documented_params(), ""));
    EXPECT_FALSE(verify_twilio_signature(auth_token, url, documented_params(),
                                         "0/KCTR6DLpKmkAf8muzZqo1nDgQ"));  // unpadded
    EXPECT_FALSE(verify_twilio_signature(auth_token, url, documented_params(),
                                         " 0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
    EXPECT_FALSE(verify_twilio_signature(auth_token, url, documented_params(),
                                         "0/kctr6dlpkmkaf8muzzqo1ndgq="));  // case matters
}

}  // namespace
}  // namespace optgate
