#include "tests/support/unsubscribe_links.hpp"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/digest.hpp"
#include "tests/support/api_reply.hpp"

namespace optgate::testing {

http_result post_unsubscribe_links(const http_endpoint& daemon, std::string_view program,
                                   const std::vector<std::string>& addresses,
                                   const std::string& api_key) {
    json::array list;
    for (const auto& a : addresses) list.emplace_back(a);
    const json::object body{{"program", program}, {"addresses", list}};
    return daemon.request(
        api_call("POST", "/v1/unsubscribe-links", api_key, json::serialize(body)));
}

http_result one_click(const http_endpoint& daemon, const std::string& path, std::string body,
                      std::string content_type) {
    http_call call;
    call.method = "POST";
    call.target = path;
    call.body = std::move(body);
    call.headers["Content-Type"] = std::move(content_type);
    return daemon.request(call);
}

std::string unsubscribe_link_path(const http_endpoint& daemon, const std::string& address,
                                  std::string_view program) {
    const auto result = post_unsubscribe_links(daemon, program, {address});
    if (result.status != 200) {
        ADD_FAILURE() << "links for " << address << ": " << result.status << " " << result.body;
        return {};
    }
    const auto body = parse_json(result.body);
    const auto* links = body.is_object() ? body.as_object().if_contains("links") : nullptr;
    const auto* link = links && links->is_array() && links->as_array().size() == 1 &&
                               links->as_array()[0].is_object()
                           ? links->as_array()[0].as_object().if_contains("url")
                           : nullptr;
    const std::string prefix = std::string(test_public_url) + "/unsubscribe/";
    if (!link || !link->is_string() || !link->as_string().starts_with(prefix)) {
        ADD_FAILURE() << "no link for " << address << " under " << prefix << ": " << result.body;
        return {};
    }
    return std::string(link->as_string()).substr(std::string(test_public_url).size());
}

http_result get_page(const http_endpoint& daemon, const std::string& path) {
    http_call call;
    call.target = path;
    return daemon.request(call);
}

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

}  // namespace optgate::testing
