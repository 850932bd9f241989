// HTTP basic auth as Postmark sends the credentials of its webhook URL: only the exact user
// and password pass, whatever else the header holds.
#include "core/basic_auth.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/digest.hpp"

namespace optgate {
namespace {

std::string basic(std::string_view user_colon_password) {
    return "Basic " + base64_encode(user_colon_password);
}

TEST(BasicAuth, TheConfiguredUserAndPasswordPass) {
    EXPECT_TRUE(basic_auth_matches(basic("postmark:s3cret"), "postmark", "s3cret"));
    // The scheme is case-insensitive (RFC 7235); spaces around the token are tolerated.
    EXPECT_TRUE(basic_auth_matches("basic  " + base64_encode("postmark:s3cret") + " ", "postmark",
                                   "s3cret"));
    EXPECT_TRUE(
        basic_auth_matches("BASIC " + base64_encode("postmark:s3cret"), "postmark", "s3cret"));
}

TEST(BasicAuth, APasswordMayContainColonsTheUserMayNot) {
    EXPECT_TRUE(basic_auth_matches(basic("postmark:a:b:c"), "postmark", "a:b:c"));
    EXPECT_FALSE(basic_auth_matches(basic("post:mark:pw"), "post:mark", "pw"));
}

TEST(BasicAuth, AnythingElseFails) {
    EXPECT_FALSE(basic_auth_matches(basic("postmark:wrong"), "postmark", "s3cret"));
    EXPECT_FALSE(basic_auth_matches(basic("other:s3cret"), "postmark", "s3cret"));
    EXPECT_FALSE(basic_auth_matches(basic("postmark:s3cre"), "postmark", "s3cret"));
    EXPECT_FALSE(basic_auth_matches(basic("postmark:s3cretX"), "postmark", "s3cret"));
    EXPECT_FALSE(basic_auth_matches(basic("postmarks3cret"), "postmark", "s3cret"));
    EXPECT_FALSE(basic_auth_matches(basic(":"), "postmark", "s3cret"));
    EXPECT_FALSE(basic_auth_matches("", "postmark", "s3cret"));
    EXPECT_FALSE(basic_auth_matches("Basic", "postmark", "s3cret"));
    EXPECT_FALSE(basic_auth_matches("Basic ", "postmark", "s3cret"));
    EXPECT_FALSE(basic_auth_matches("Basic not*base64", "postmark", "s3cret"));
    EXPECT_FALSE(
        basic_auth_matches("Bearer " + base64_encode("postmark:s3cret"), "postmark", "s3cret"));
    EXPECT_FALSE(
        basic_auth_matches("Basicx" + base64_encode("postmark:s3cret"), "postmark", "s3cret"));
}

}  // namespace
}  // namespace optgate
