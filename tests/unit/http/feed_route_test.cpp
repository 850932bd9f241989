// GET /v1/changes in process, over the fake store: every applied change after a cursor,
// oldest first, with the cursor to ask after next; nothing for duplicates and superseded
// events; pages, the feed's end, a cursor the retention passed (410), who may read it, and
// refusals.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "core/digest.hpp"
#include "tests/support/api_reply.hpp"
#include "tests/support/sms_webhook.hpp"
#include "tests/unit/http/route_harness.hpp"

namespace optgate::testing {
namespace {

constexpr const char* family = "+16515550100";

http_result changes(const route_harness& api, const std::string& query,
                    const std::string& key = test_api_key) {
    return api.request(api_call("GET", "/v1/changes?" + query, key));
}

std::vector<json::object> lines_of(const http_result& result) {
    std::vector<json::object> out;
    for (std::size_t begin = 0, end; (end = result.body.find('\n', begin)) != std::string::npos;
         begin = end + 1)
        out.push_back(json::parse(result.body.substr(begin, end - begin)).as_object());
    return out;
}

class FeedRoute : public ::testing::Test {
  protected:
    route_harness api;
};

TEST_F(FeedRoute, EveryAppliedChangeAfterTheCursorWithTheNextCursor) {
    ASSERT_EQ(send_sms(api, family, district_code, "STOP", message_sid(1)).status, 200);
    ASSERT_EQ(send_sms(api, family, district_code, "STOP", message_sid(1)).status, 200);  // again
    ASSERT_EQ(send_sms(api, family, district_code, "Alto", message_sid(2)).status, 200);
    ASSERT_EQ(send_sms(api, family, emergency_code, "START", message_sid(3)).status, 200);

    const auto all = changes(api, "after=0");
    ASSERT_EQ(all.status, 200) << all.body;
    EXPECT_EQ(header_of(all, "content-type"), "application/x-ndjson");
    const auto lines = lines_of(all);
    ASSERT_EQ(lines.size(), 3u) << all.body;  // the redelivered STOP is no change
    EXPECT_EQ(text_of(lines[0], "cursor"), "1-0");
    EXPECT_EQ(text_of(lines[0], "address"), family);
    EXPECT_EQ(text_of(lines[0], "channel"), "sms");
    EXPECT_EQ(text_of(lines[0], "program"), "district");
    EXPECT_TRUE(value_of(lines[0], "from").is_null());
    EXPECT_EQ(text_of(lines[0], "to"), "opted_out");
    EXPECT_EQ(text_of(lines[0], "source"), "twilio-sms");
    EXPECT_EQ(text_of(lines[0], "reference"), message_sid(1));
    EXPECT_EQ(text_of(lines[1], "from"), "opted_out");  // re-dated by the later ALTO
    EXPECT_EQ(text_of(lines[1], "language"), "es");
    EXPECT_EQ(text_of(lines[2], "program"), "emergency");
    EXPECT_EQ(text_of(lines[2], "to"), "opted_in");
    // The id a receiver dedupes by: the same for every delivery of one change.
    EXPECT_EQ(text_of(lines[0], "id"),
              to_hex(sha1(std::string(family) + "\nsms\ndistrict\n" + message_sid(1))));
    EXPECT_EQ(header_of(all, "optgate-next-cursor"), "3-0");

    const auto none = changes(api, "after=3-0");
    EXPECT_EQ(none.status, 200);
    EXPECT_EQ(none.body, "");
    EXPECT_EQ(header_of(none, "optgate-next-cursor"), "3-0");
}

TEST_F(FeedRoute, PagesFollowTheLimit) {
    for (int i = 1; i <= 3; ++i)
        ASSERT_EQ(
            send_sms(api, "+1651555010" + std::to_string(i), district_code, "STOP", message_sid(i))
                .status,
            200);
    std::string cursor = "0";
    std::vector<std::string> seen;
    for (int page = 0; page < 3; ++page) {
        const auto result = changes(api, "after=" + cursor + "&limit=2");
        ASSERT_EQ(result.status, 200) << result.body;
        for (const auto& line : lines_of(result)) seen.push_back(text_of(line, "address"));
        cursor = header_of(result, "optgate-next-cursor");
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"+16515550101", "+16515550102", "+16515550103"}));
}

TEST_F(FeedRoute, EndGivesOnlyTheCursorToFollowFrom) {
    ASSERT_EQ(send_sms(api, family, district_code, "STOP", message_sid(1)).status, 200);
    const auto end = changes(api, "after=end");
    EXPECT_EQ(end.status, 200);
    EXPECT_EQ(end.body, "");
    EXPECT_EQ(header_of(end, "optgate-next-cursor"), "1-0");
}

// A long poll with nothing new looks again until its wait is over, then answers empty.
TEST_F(FeedRoute, ALongPollWithNothingNewAnswersEmptyAfterItsWait) {
    const auto before = api.now;
    const auto result = changes(api, "after=end&wait=0");
    EXPECT_EQ(result.status, 200);
    const auto waited =
        changes(api, "after=" + header_of(result, "optgate-next-cursor") + "&wait=3");
    EXPECT_EQ(waited.status, 200);
    EXPECT_EQ(waited.body, "");
    EXPECT_GE(api.now - before, 3000);  // the harness's clock moved by the polls' delays
}

// A stopping daemon does not hold long polls (nor its drain) until their wait is over.
TEST_F(FeedRoute, ALongPollAnswersAtOnceWhenTheDaemonStops) {
    const auto before = api.now;
    api.start_draining();
    const auto waited = changes(api, "after=end&wait=30");
    EXPECT_EQ(waited.status, 200);
    EXPECT_EQ(waited.body, "");
    EXPECT_LT(api.now - before, 1000);
}

TEST_F(FeedRoute, ACursorTheRetentionPassedIsGone) {
    for (int i = 1; i <= 3; ++i)
        ASSERT_EQ(
            send_sms(api, family, district_code, i % 2 ? "STOP" : "START", message_sid(i)).status,
            200);
    api.consent.feed_trimmed = 2;
    EXPECT_TRUE(is_error(changes(api, "after=1-0"), 410, "cursor_expired"));
    EXPECT_EQ(lines_of(changes(api, "after=2-0")).size(), 1u);
    // 0 is the oldest change kept, whatever was trimmed before it.
    EXPECT_EQ(lines_of(changes(api, "after=0")).size(), 1u);
}

TEST_F(FeedRoute, OnlyAuditAndFeedKeysReadIt) {
    EXPECT_TRUE(is_error(changes(api, "after=0", test_check_only_key), 403, "forbidden"));
    EXPECT_TRUE(is_error(changes(api, "after=0", "no-such-key"), 401, "unauthorized"));
    auto config = default_test_config(route_harness::redis_url, route_harness::key_prefix, "", "");
    const std::string anchor = "api_keys:\n";
    config.insert(
        config.find(anchor) + anchor.size(),
        "  - { name: sis, sha256: \"" + to_hex(sha256("feed-key")) + "\", roles: [feed] }\n");
    api.load(config);
    EXPECT_EQ(changes(api, "after=0", "feed-key").status, 200);
    // A feed key reads the feed only.
    EXPECT_TRUE(is_error(api.request(api_call("GET", "/v1/audit", "feed-key")), 403, "forbidden"));
}

TEST_F(FeedRoute, MalformedQueriesAreRefused) {
    for (const char* query :
         {"", "after=", "after=abc", "after=1-x", "after=0&limit=0", "after=0&limit=1001",
          "after=0&wait=31", "after=0&wait=-1", "after=0&since=1"}) {
        SCOPED_TRACE(query);
        EXPECT_TRUE(is_error(changes(api, query), 400, "malformed_request"));
    }
}

}  // namespace
}  // namespace optgate::testing
