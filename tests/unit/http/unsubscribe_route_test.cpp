// optgate's own RFC 8058 one-click links in process: issuing them, the page a GET shows (and
// that it changes nothing), a click after a re-subscription, and the refusals: links that are
// not ours, posts that are not the one-click signal, keys without the role, links turned off
// (SPEC: Email; HTTP interface). A click end to end: tests/e2e/unsubscribe_links_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/unsubscribe_token.hpp"
#include "tests/support/api_reply.hpp"
#include "tests/support/unsubscribe_links.hpp"
#include "tests/unit/http/route_harness.hpp"

namespace optgate::testing {
namespace {

constexpr const char* jane = "jane@example.org";
constexpr const char* jane_masked = "j***@example.org";

json::object email_check(const http_endpoint& api, const std::string& address,
                         std::string_view program = "district") {
    return check_one(api, address, program, "email");
}

// The links of a 200 answer, or a test failure and none.
json::array links_of(const http_result& result) {
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(header_of(result, "content-type"), "application/json");
    const auto body = parse_json(result.body);
    const auto* links = body.is_object() ? body.as_object().if_contains("links") : nullptr;
    if (!links || !links->is_array() || body.as_object().size() != 1) {
        ADD_FAILURE() << "not {\"links\":[...]}: " << result.body;
        return {};
    }
    return links->as_array();
}

// Nothing recorded: jane's email is at its defaults, the audit is empty.
void expect_nothing_changed(const http_endpoint& api) {
    for (const char* program : {"district", "emergency"})
        EXPECT_EQ(text_of(email_check(api, jane, program), "reason"), "default") << program;
    EXPECT_TRUE(audit_entries(api).empty());
}

class UnsubscribeLinks : public ::testing::Test {
  protected:
    route_harness api{unsubscribe_links_yaml};
};

TEST_F(UnsubscribeLinks, IssuesALinkPerEmailAddressInInputOrder) {
    const auto links = links_of(post_unsubscribe_links(
        api, "district", {" Jane@Example.org ", "bad", "+16515550100", "john@example.org"}));
    ASSERT_EQ(links.size(), 4u);
    const auto& first = links[0].as_object();
    EXPECT_EQ(keys_of(first), (std::vector<std::string>{"address", "input", "url"}));
    EXPECT_EQ(text_of(first, "input"), " Jane@Example.org ");
    EXPECT_EQ(text_of(first, "address"), jane);
    const std::string prefix = std::string(test_public_url) + "/unsubscribe/";
    EXPECT_TRUE(text_of(first, "url").starts_with(prefix)) << text_of(first, "url");
    // A phone number has no email link: invalid, like anything that is not an address.
    for (std::size_t i : {1u, 2u}) {
        const auto& invalid = links[i].as_object();
        EXPECT_EQ(keys_of(invalid), (std::vector<std::string>{"error", "input"}));
        EXPECT_EQ(text_of(invalid, "error"), "invalid_address");
    }
    EXPECT_EQ(text_of(links[1].as_object(), "input"), "bad");
    EXPECT_EQ(text_of(links[2].as_object(), "input"), "+16515550100");
    EXPECT_EQ(text_of(links[3].as_object(), "address"), "john@example.org");
    EXPECT_NE(text_of(links[3].as_object(), "url"), text_of(first, "url"));
    // The same link for the same address and program, every time (links never expire).
    api.now += 400LL * 24 * 3600 * 1000;
    EXPECT_EQ(test_public_url + unsubscribe_link_path(api, jane), text_of(first, "url"));
    EXPECT_NE(unsubscribe_link_path(api, jane, "emergency"), unsubscribe_link_path(api, jane));
    EXPECT_TRUE(links_of(post_unsubscribe_links(api, "district", {})).empty());
}

// Many links are made a chunk of addresses at a time as the answer streams (what is held is
// one chunk, not every link): in input order, each the link of its address.
TEST_F(UnsubscribeLinks, AListOfThousandsIsAnsweredInPiecesInInputOrder) {
    std::vector<std::string> addresses;
    for (int i = 0; i < 4500; ++i)
        addresses.push_back(i % 1000 == 7 ? "bad" : "parent" + std::to_string(i) + "@example.org");
    const auto result = post_unsubscribe_links(api, "district", addresses);
    ASSERT_EQ(result.status, 200);
    EXPECT_TRUE(result.complete);
    EXPECT_EQ(header_of(result, "content-length"), "") << "answered whole, not streamed";
    const auto links = links_of(result);
    ASSERT_EQ(links.size(), addresses.size());
    for (std::size_t i = 0; i < links.size(); ++i) {
        const auto& link = links[i].as_object();
        ASSERT_EQ(text_of(link, "input"), addresses[i]) << i;
        if (addresses[i] == "bad") {
            EXPECT_EQ(text_of(link, "error"), "invalid_address");
        } else if (i % 997 == 0) {  // a sample: each is its address's own link
            EXPECT_EQ(test_public_url + unsubscribe_link_path(api, addresses[i]),
                      text_of(link, "url"));
        }
    }
}

TEST_F(UnsubscribeLinks, IssuingNeedsTheCheckRoleAndAWellFormedRequest) {
    // The broadcast key made audit-only: authenticated, without the role.
    auto config = default_test_config(route_harness::redis_url, route_harness::key_prefix,
                                      unsubscribe_links_yaml);
    const std::string check_only = "\", roles: [check] }";
    ASSERT_NE(config.find(check_only), std::string::npos);
    config.replace(config.find(check_only), check_only.size(), "\", roles: [audit] }");
    api.load(config);
    EXPECT_TRUE(is_error(post_unsubscribe_links(api, "district", {jane}, ""), 401, "unauthorized"));
    EXPECT_TRUE(is_error(post_unsubscribe_links(api, "district", {jane}, "not-a-key"), 401,
                         "unauthorized"));
    EXPECT_TRUE(is_error(post_unsubscribe_links(api, "district", {jane}, test_check_only_key), 403,
                         "forbidden"));
    EXPECT_EQ(post_unsubscribe_links(api, "district", {jane}, test_api_key).status, 200);

    EXPECT_TRUE(is_error(post_unsubscribe_links(api, "sports", {jane}, test_api_key), 400,
                         "malformed_request"));
    for (const char* body : {"", "{", "[]", R"({"program":"district"})",
                             R"({"program":"district","addresses":"jane@example.org"})",
                             R"({"program":"district","addresses":["jane@example.org",7]})",
                             R"({"addresses":["jane@example.org"]})"}) {
        auto call = api_call("POST", "/v1/unsubscribe-links", test_api_key, body);
        call.headers["Content-Type"] = "application/json";  // the empty body's too
        EXPECT_TRUE(is_error(api.request(call), 400, "malformed_request")) << body;
    }
    auto text = api_call("POST", "/v1/unsubscribe-links", test_api_key,
                         R"({"program":"district","addresses":[]})");
    text.headers["Content-Type"] = "text/plain";
    EXPECT_TRUE(is_error(api.request(text), 415, "unsupported_media_type"));
}

TEST_F(UnsubscribeLinks, ARequestForMoreLinksThanTheLimitIsRefused) {
    api.reload(unsubscribe_links_yaml + "limits: { max_unsubscribe_links: 2 }\n");
    EXPECT_EQ(links_of(post_unsubscribe_links(api, "district", {jane, ""})).size(), 2u);
    const auto over = post_unsubscribe_links(api, "district", {jane, "", ""});
    EXPECT_TRUE(is_error(over, 413, "too_many_addresses"));
    EXPECT_NE(over.body.find("at most 2 entries (limits.max_unsubscribe_links)"), std::string::npos)
        << over.body;
}

// Click, the office re-subscribes the family, click again, all within a second: the second
// click opts out again (it was swallowed as a duplicate of the same minute, and the page said
// "You are unsubscribed" while the check allowed).
TEST_F(UnsubscribeLinks, AClickAfterAReSubscriptionOptsOutAgainAtOnce) {
    const auto path = unsubscribe_link_path(api, jane);
    expect_page(one_click(api, path), 200, "You are unsubscribed");
    const auto put = api.request(api_call(
        "PUT", "/v1/consent/" + std::string(jane), test_api_key,
        R"({"channel":"email","program":"district","state":"opted_in","source":"office"})"));
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(value_of(email_check(api, jane), "allowed"), json::value(true));

    expect_page(one_click(api, path), 200, "You are unsubscribed");
    const auto result = email_check(api, jane);
    EXPECT_EQ(value_of(result, "allowed"), json::value(false));
    EXPECT_EQ(text_of(result, "source"), "one-click");
}

TEST_F(UnsubscribeLinks, GetShowsThePageAndChangesNothing) {
    const auto page = get_page(api, unsubscribe_link_path(api, jane));
    expect_page(page, 200, "Unsubscribe from district emails");
    EXPECT_NE(page.body.find(jane_masked), std::string::npos);
    EXPECT_EQ(page.body.find(jane), std::string::npos) << "the address in clear";
    EXPECT_NE(page.body.find("Emergency messages will still reach you."), std::string::npos);
    EXPECT_NE(page.body.find("<form method=\"post\">"), std::string::npos);
    EXPECT_NE(
        page.body.find("<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"),
        std::string::npos);
    // A scanner fetching it again and again changes nothing either.
    EXPECT_EQ(get_page(api, unsubscribe_link_path(api, jane)).status, 200);
    expect_nothing_changed(api);

    // The emergency program's page does not promise that emergency messages continue.
    const auto emergency = get_page(api, unsubscribe_link_path(api, jane, "emergency"));
    expect_page(emergency, 200, "Unsubscribe from emergency emails");
    EXPECT_EQ(emergency.body.find("Emergency messages will still reach you."), std::string::npos);
}

TEST_F(UnsubscribeLinks, LinksThatAreNotOursAnswerTheInvalidPageAndChangeNothing) {
    const auto path = unsubscribe_link_path(api, jane);
    auto altered = path;
    altered[20] = altered[20] == 'A' ? 'B' : 'A';
    const std::vector<std::string> not_ours = {
        "/unsubscribe/" + *unsubscribe_token_issuer("another-secret").issue({jane, "district"}),
        "/unsubscribe/" + *unsubscribe_token_issuer(test_link_secret).issue({jane, "sports"}),
        altered,
        path.substr(0, path.size() - 1),
        path + "A",
        path + "/more",
        "/unsubscribe/" + std::string(4000, 'A'),
        "/unsubscribe/not-a-token",
        "/unsubscribe/%41%42.%43",
    };
    for (const auto& bad : not_ours) {
        expect_page(get_page(api, bad), 400, "This link is not valid");
        expect_page(one_click(api, bad), 400, "This link is not valid");
    }
    expect_nothing_changed(api);
}

TEST_F(UnsubscribeLinks, APostThatIsNotTheOneClickSignalChangesNothing) {
    const auto path = unsubscribe_link_path(api, jane);
    for (const auto& [body, type] : std::vector<std::pair<std::string, std::string>>{
             {"", "application/x-www-form-urlencoded"},
             {"List-Unsubscribe=Yes", "application/x-www-form-urlencoded"},
             {"List-Unsubscribe=One-Click&also=1", "application/x-www-form-urlencoded"},
             {one_click_body, "text/plain"},
             {R"({"List-Unsubscribe":"One-Click"})", "application/json"}}) {
        expect_page(one_click(api, path, body, type), 400, "This request was not understood");
    }
    expect_nothing_changed(api);
}

TEST_F(UnsubscribeLinks, WithoutASecretEveryLinkRouteIsNotFound) {
    api.reload({});
    const auto path =
        "/unsubscribe/" + *unsubscribe_token_issuer(test_link_secret).issue({jane, "district"});
    EXPECT_TRUE(is_error(post_unsubscribe_links(api, "district", {jane}), 404, "not_found"));
    EXPECT_TRUE(is_error(get_page(api, path), 404, "not_found"));
    EXPECT_TRUE(is_error(one_click(api, path), 404, "not_found"));
    expect_nothing_changed(api);
}

}  // namespace
}  // namespace optgate::testing
