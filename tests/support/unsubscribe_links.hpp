// optgate's one-click unsubscribe links in tests: the config that turns them on, a link
// issued through POST /v1/unsubscribe-links as a broadcast system gets it, and its page.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tests/support/daemon_process.hpp"
#include "tests/support/http_client.hpp"

namespace optgate::testing {

inline constexpr const char* test_link_secret = "test-unsubscribe-link-secret";
// Top-level YAML for default_test_config's `extra`.
inline const std::string unsubscribe_links_yaml =
    "unsubscribe_links: { secret: \"" + std::string(test_link_secret) + "\" }\n";

// POST /v1/unsubscribe-links {"program":program,"addresses":addresses}.
http_result post_unsubscribe_links(const http_endpoint& daemon, std::string_view program,
                                   const std::vector<std::string>& addresses,
                                   const std::string& api_key = test_check_only_key);

inline constexpr const char* one_click_body = "List-Unsubscribe=One-Click";

// POST `body` to a link's path, as a mail client's one-click unsubscribe (RFC 8058) or the
// page's button does.
http_result one_click(const http_endpoint& daemon, const std::string& path,
                      std::string body = one_click_body,
                      std::string content_type = "application/x-www-form-urlencoded");

// The path ("/unsubscribe/<token>") of the link issued for one address; a test failure and
// "" unless it is issued under test_public_url.
std::string unsubscribe_link_path(const http_endpoint& daemon, const std::string& address,
                                  std::string_view program = "district");

// GET `path`, as a browser (or a mail scanner) opens a link.
http_result get_page(const http_endpoint& daemon, const std::string& path);

// An HTML page with `status`, the <h1> `heading` and every header the pages promise:
// self-contained (no script, nothing fetched), its one style allowed by its hash.
void expect_page(const http_result& result, int status, std::string_view heading);

}  // namespace optgate::testing
