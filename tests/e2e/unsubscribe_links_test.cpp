// optgate's own RFC 8058 one-click links, end to end: a broadcast system gets links, a mail
// client's POST unsubscribes (a retry or a double click audited once), a GET only shows the page,
// and a link that is not ours changes nothing (SPEC: Email; HTTP interface).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "core/digest.hpp"
#include "core/timestamp.hpp"
#include "core/unsubscribe_token.hpp"
#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/unsubscribe_links.hpp"

namespace optgate::testing {
namespace {

constexpr const char* jane = "jane@example.org";
constexpr const char* jane_masked = "j***@example.org";
http_result get_page(const daemon_process& daemon, const std::string& path) {
    http_call call;
    call.target = path;
    return daemon.request(call);
}

json::object email_check(const daemon_process& daemon, const std::string& address,
                         std::string_view program = "district") {
    return check_one(daemon, address, program, "email");
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

// An HTML page with every header the pages promise.
void expect_page(const http_result& result, int status, std::string_view heading) {
    EXPECT_EQ(result.status, status) << result.body;
    EXPECT_EQ(header_of(result, "content-type"), "text/html; charset=utf-8");
    const auto csp = header_of(result, "content-security-policy");
    for (const char* directive : {"default-src 'none'", "style-src 'sha256-", "form-action 'self'",
                                  "frame-ancestors 'none'", "base-uri 'none'"})
        EXPECT_NE(csp.find(directive), std::string::npos) << directive << " in " << csp;
    EXPECT_EQ(header_of(result, "x-content-type-options"), "nosniff");
    EXPECT_EQ(header_of(result, "referrer-policy"), "no-referrer");
    EXPECT_EQ(header_of(result, "cache-control"), "no-store");
    EXPECT_NE(result.body.find("<h1>" + std::string(heading) + "</h1>"), std::string::npos)
        << result.body;
    EXPECT_NE(result.body.find("<meta name=\"viewport\" content=\"width=device-width"),
              std::string::npos);
    // Self-contained: nothing to fetch, no script.
    for (const char* external : {"<script", "src=", "href=", "http://", "https://", "@import"})
        EXPECT_EQ(result.body.find(external), std::string::npos) << external;
    // The one style of the page is the one the policy allows, by its hash.
    const auto begin = result.body.find("<style>"), end = result.body.find("</style>");
    ASSERT_NE(begin, std::string::npos);
    ASSERT_NE(end, std::string::npos);
    const auto style = result.body.substr(begin + 7, end - begin - 7);
    EXPECT_NE(csp.find("'sha256-" + base64_encode(sha256(style)) + "'"), std::string::npos);
}

// Nothing recorded: jane's email is at its defaults, the audit is empty.
void expect_nothing_changed(const daemon_process& daemon) {
    for (const char* program : {"district", "emergency"})
        EXPECT_EQ(text_of(email_check(daemon, jane, program), "reason"), "default") << program;
    EXPECT_TRUE(audit_entries(daemon).empty());
}

class UnsubscribeLinks : public e2e_test {
  protected:
    static std::unique_ptr<daemon_process> start() { return start_daemon(unsubscribe_links_yaml); }
};

TEST_F(UnsubscribeLinks, IssuesALinkPerEmailAddressInInputOrder) {
    const auto daemon = start();
    const auto links = links_of(post_unsubscribe_links(
        *daemon, "district", {" Jane@Example.org ", "bad", "+16515550100", "john@example.org"}));
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
    EXPECT_EQ(test_public_url + unsubscribe_link_path(*daemon, jane), text_of(first, "url"));
    EXPECT_NE(unsubscribe_link_path(*daemon, jane, "emergency"),
              unsubscribe_link_path(*daemon, jane));
    EXPECT_TRUE(links_of(post_unsubscribe_links(*daemon, "district", {})).empty());
}

TEST_F(UnsubscribeLinks, IssuingNeedsTheCheckRoleAndAWellFormedRequest) {
    // The broadcast key made audit-only: authenticated, without the role.
    auto config = default_test_config(redis().url(), key_prefix(), unsubscribe_links_yaml);
    const std::string check_only = "\", roles: [check] }";
    ASSERT_NE(config.find(check_only), std::string::npos);
    config.replace(config.find(check_only), check_only.size(), "\", roles: [audit] }");
    daemon_process daemon(config);
    ASSERT_TRUE(daemon.wait_until_ready()) << daemon.log_text();
    EXPECT_TRUE(
        is_error(post_unsubscribe_links(daemon, "district", {jane}, ""), 401, "unauthorized"));
    EXPECT_TRUE(is_error(post_unsubscribe_links(daemon, "district", {jane}, "not-a-key"), 401,
                         "unauthorized"));
    EXPECT_TRUE(is_error(post_unsubscribe_links(daemon, "district", {jane}, test_check_only_key),
                         403, "forbidden"));
    EXPECT_EQ(post_unsubscribe_links(daemon, "district", {jane}, test_api_key).status, 200);

    EXPECT_TRUE(is_error(post_unsubscribe_links(daemon, "sports", {jane}, test_api_key), 400,
                         "malformed_request"));
    for (const char* body : {"", "{", "[]", R"({"program":"district"})",
                             R"({"program":"district","addresses":"jane@example.org"})",
                             R"({"program":"district","addresses":["jane@example.org",7]})",
                             R"({"addresses":["jane@example.org"]})"}) {
        auto call = api_call("POST", "/v1/unsubscribe-links", test_api_key, body);
        call.headers["Content-Type"] = "application/json";  // the empty body's too
        EXPECT_TRUE(is_error(daemon.request(call), 400, "malformed_request")) << body;
    }
    auto text = api_call("POST", "/v1/unsubscribe-links", test_api_key,
                         R"({"program":"district","addresses":[]})");
    text.headers["Content-Type"] = "text/plain";
    EXPECT_TRUE(is_error(daemon.request(text), 415, "unsupported_media_type"));
}

TEST_F(UnsubscribeLinks, ARequestForMoreLinksThanTheLimitIsRefused) {
    const auto daemon =
        start_daemon(unsubscribe_links_yaml + "limits: { max_unsubscribe_links: 2 }\n");
    EXPECT_EQ(links_of(post_unsubscribe_links(*daemon, "district", {jane, ""})).size(), 2u);
    const auto over = post_unsubscribe_links(*daemon, "district", {jane, "", ""});
    EXPECT_TRUE(is_error(over, 413, "too_many_addresses"));
    EXPECT_NE(over.body.find("at most 2 entries (limits.max_unsubscribe_links)"), std::string::npos)
        << over.body;
}

TEST_F(UnsubscribeLinks, OneClickOptsOutAndEveryClickIsItsOwnEvent) {
    const auto daemon = start();
    const auto path = unsubscribe_link_path(*daemon, jane);
    const epoch_ms before = now_ms();
    const auto first = one_click(*daemon, path);
    const epoch_ms after = now_ms();
    expect_page(first, 200, "You are unsubscribed");
    EXPECT_NE(first.body.find(jane_masked), std::string::npos);
    EXPECT_NE(first.body.find("no more district emails"), std::string::npos);
    EXPECT_EQ(first.body.find(jane), std::string::npos) << "the address in clear";
    // Only the link's program, since the receipt (the event time is the receipt).
    expect_email_unsubscribed(*daemon, jane, "one-click", before, after);

    // A mail client's retry, a second click, the RFC's multipart form: each its own event,
    // re-applying the opt-out that is there.
    EXPECT_EQ(one_click(*daemon, path).status, 200);
    const std::string multipart =
        "--b\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n"
        "--b--\r\n";
    expect_page(one_click(*daemon, path, multipart, "multipart/form-data; boundary=b"), 200,
                "You are unsubscribed");

    const auto entries = audit_entries(*daemon);
    ASSERT_EQ(entries.size(), 3u);
    std::set<std::string> keys;
    for (const auto& entry : entries) {
        EXPECT_EQ(text_of(entry, "keyword"), one_click_body);
        EXPECT_EQ(text_of(entry, "event_time"), text_of(entry, "received_time"));
        EXPECT_EQ(text_of(entry, "outcome"), "applied");
        keys.insert(text_of(entry, "dedupe_key"));
    }
    EXPECT_EQ(keys.size(), 3u) << "each click has a dedupe key of its own";
    // The reference is the link's hash; it does not show the token.
    const auto reference = text_of(entries[0], "reference");
    EXPECT_TRUE(reference.starts_with("one-click:")) << reference;
    EXPECT_TRUE(text_of(entries[0], "dedupe_key").starts_with(reference + ":"));
    const auto token = path.substr(std::string("/unsubscribe/").size());
    EXPECT_EQ(reference.find(token.substr(0, 16)), std::string::npos);

    // The log has neither the address nor the token in clear.
    const auto log = daemon->log_text();
    EXPECT_EQ(log.find(jane), std::string::npos);
    EXPECT_EQ(log.find(token.substr(0, 20)), std::string::npos);
    EXPECT_NE(log.find(jane_masked), std::string::npos);
}

// Click, the office re-subscribes the family, click again, all within a second: the second
// click opts out again (it was swallowed as a duplicate of the same minute, and the page said
// "You are unsubscribed" while the check allowed).
TEST_F(UnsubscribeLinks, AClickAfterAReSubscriptionOptsOutAgainAtOnce) {
    const auto daemon = start();
    const auto path = unsubscribe_link_path(*daemon, jane);
    expect_page(one_click(*daemon, path), 200, "You are unsubscribed");
    const auto put = daemon->request(api_call(
        "PUT", "/v1/consent/" + std::string(jane), test_api_key,
        R"({"channel":"email","program":"district","state":"opted_in","source":"office"})"));
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(value_of(email_check(*daemon, jane), "allowed"), json::value(true));

    expect_page(one_click(*daemon, path), 200, "You are unsubscribed");
    const auto result = email_check(*daemon, jane);
    EXPECT_EQ(value_of(result, "allowed"), json::value(false));
    EXPECT_EQ(text_of(result, "source"), "one-click");
}

TEST_F(UnsubscribeLinks, GetShowsThePageAndChangesNothing) {
    const auto daemon = start();
    const auto page = get_page(*daemon, unsubscribe_link_path(*daemon, jane));
    expect_page(page, 200, "Unsubscribe from district emails");
    EXPECT_NE(page.body.find(jane_masked), std::string::npos);
    EXPECT_EQ(page.body.find(jane), std::string::npos) << "the address in clear";
    EXPECT_NE(page.body.find("Emergency messages will still reach you."), std::string::npos);
    EXPECT_NE(page.body.find("<form method=\"post\">"), std::string::npos);
    EXPECT_NE(
        page.body.find("<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"),
        std::string::npos);
    // A scanner fetching it again and again changes nothing either.
    EXPECT_EQ(get_page(*daemon, unsubscribe_link_path(*daemon, jane)).status, 200);
    expect_nothing_changed(*daemon);

    // The emergency program's page does not promise that emergency messages continue.
    const auto emergency = get_page(*daemon, unsubscribe_link_path(*daemon, jane, "emergency"));
    expect_page(emergency, 200, "Unsubscribe from emergency emails");
    EXPECT_EQ(emergency.body.find("Emergency messages will still reach you."), std::string::npos);
}

TEST_F(UnsubscribeLinks, LinksThatAreNotOursAnswerTheInvalidPageAndChangeNothing) {
    const auto daemon = start();
    const auto path = unsubscribe_link_path(*daemon, jane);
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
        expect_page(get_page(*daemon, bad), 400, "This link is not valid");
        expect_page(one_click(*daemon, bad), 400, "This link is not valid");
    }
    expect_nothing_changed(*daemon);
}

TEST_F(UnsubscribeLinks, APostThatIsNotTheOneClickSignalChangesNothing) {
    const auto daemon = start();
    const auto path = unsubscribe_link_path(*daemon, jane);
    for (const auto& [body, type] : std::vector<std::pair<std::string, std::string>>{
             {"", "application/x-www-form-urlencoded"},
             {"List-Unsubscribe=Yes", "application/x-www-form-urlencoded"},
             {"List-Unsubscribe=One-Click&also=1", "application/x-www-form-urlencoded"},
             {one_click_body, "text/plain"},
             {R"({"List-Unsubscribe":"One-Click"})", "application/json"}}) {
        expect_page(one_click(*daemon, path, body, type), 400, "This request was not understood");
    }
    expect_nothing_changed(*daemon);
}

TEST_F(UnsubscribeLinks, WithoutASecretEveryLinkRouteIsNotFound) {
    const auto daemon = start_daemon();
    const auto path =
        "/unsubscribe/" + *unsubscribe_token_issuer(test_link_secret).issue({jane, "district"});
    EXPECT_TRUE(is_error(post_unsubscribe_links(*daemon, "district", {jane}), 404, "not_found"));
    EXPECT_TRUE(is_error(get_page(*daemon, path), 404, "not_found"));
    EXPECT_TRUE(is_error(one_click(*daemon, path), 404, "not_found"));
    expect_nothing_changed(*daemon);
}

}  // namespace
}  // namespace optgate::testing
