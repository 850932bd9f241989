// The pages a family sees behind an unsubscribe link: the question with its one button, the
// confirmation, and the "not valid" page. Self-contained (no external resource, no script),
// readable on a phone, served with a strict Content-Security-Policy.
#pragma once

#include <string>

#include "adapters/http/http_types.hpp"

namespace optgate {

// What the pages say; inserted HTML-escaped.
struct unsubscribe_page_facts {
    std::string program;               // "district": the page speaks of "district emails"
    std::string masked_address;        // "j***@example.org": the page never shows it in clear
    bool emergency_continues = false;  // say that emergency messages still come
};

// GET: what will stop, for whom, and one button that POSTs List-Unsubscribe=One-Click back
// to the same URL.
std::string unsubscribe_question_page(const unsubscribe_page_facts& facts);
// The answer to that POST (and to a mail client's one-click POST).
std::string unsubscribe_done_page(const unsubscribe_page_facts& facts);
// A forged, altered, truncated link, or one for a program no longer configured.
std::string invalid_link_page();
// A POST whose body is not the one-click signal.
std::string not_one_click_page();
// The answer to the button when the unsubscribe cannot be recorded now (the journal cannot
// be written): nothing changed, and the same button to try again.
std::string try_again_page(const unsubscribe_page_facts& facts);

// An HTML response with the pages' security headers: Content-Security-Policy (no source
// but the page's own style, forms only to this origin, no framing), nosniff, no referrer,
// no caching.
http_response html_page_response(const http_request& request, http::status status,
                                 std::string html);

}  // namespace optgate
