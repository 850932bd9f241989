// SIGHUP in process: what a reload changes must reach the routes at once, for the next
// request: API keys, replies and keywords (main.cpp stores the new snapshot the way
// route_harness::load does). A route that kept a table built at start would fail here.
#include <gtest/gtest.h>

#include <string>

#include "core/digest.hpp"
#include "tests/support/api_reply.hpp"
#include "tests/support/sms_webhook.hpp"
#include "tests/unit/http/route_harness.hpp"

namespace optgate::testing {
namespace {

constexpr const char* family = "+16515550100";
constexpr const char* new_key = "new-broadcast-key";

// default_test_config with one more English opt-out word, another opt-out reply and one more
// key.
std::string reloaded_config() {
    auto config = default_test_config(route_harness::redis_url, route_harness::key_prefix);
    const auto insert_after = [&](const std::string& anchor, const std::string& text) {
        const auto at = config.find(anchor);
        EXPECT_NE(at, std::string::npos) << anchor;
        if (at != std::string::npos) config.insert(at + anchor.size(), text);
    };
    insert_after("sms:\n", "  keywords: { opt_out: [\"HALT\"] }\n");
    insert_after("api_keys:\n", "  - { name: new, sha256: \"" + to_hex(sha256(new_key)) +
                                    "\", roles: [check] }\n");
    const std::string old_reply = opt_out_reply;
    config.replace(config.find(old_reply), old_reply.size(), "No more texts, as asked.");
    return config;
}

TEST(LiveReload, KeysRepliesAndKeywordsChangeForTheNextRequest) {
    route_harness api;
    EXPECT_TRUE(
        is_error(post_check(api, "sms", "district", {family}, new_key), 401, "unauthorized"));
    EXPECT_EQ(send_sms(api, family, district_code, "HALT", message_sid(1)).body, twiml_empty());
    EXPECT_EQ(text_of(check_one(api, family), "reason"), "default");

    api.load(reloaded_config());
    EXPECT_EQ(post_check(api, "sms", "district", {family}, new_key).status, 200);
    EXPECT_EQ(send_sms(api, family, district_code, "HALT", message_sid(2)).body,
              twiml_message("No more texts, as asked."));
    EXPECT_EQ(text_of(check_one(api, family), "reason"), "opted_out");
}

}  // namespace
}  // namespace optgate::testing
