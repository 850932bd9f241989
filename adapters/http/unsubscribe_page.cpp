#include "adapters/http/unsubscribe_page.hpp"

#include <string_view>

#include "adapters/http/http_response.hpp"
#include "adapters/http/twiml.hpp"
#include "core/digest.hpp"

namespace optgate {
namespace {

// The only style of every page. The policy allows exactly this text (by its hash), so that
// no injected style or script could run even if escaping ever failed.
constexpr std::string_view page_style =
    "body{margin:0;background:#f3f4f6;color:#111827;"
    "font:1.05rem/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif}"
    "main{max-width:32rem;margin:1.5rem auto;padding:1.5rem;background:#fff;"
    "border-radius:.5rem}"
    "h1{font-size:1.4rem;line-height:1.3;margin:0 0 1rem}"
    "button{width:100%;margin-top:.5rem;padding:.8rem 1rem;border:0;border-radius:.4rem;"
    "background:#1d4ed8;color:#fff;font:inherit;font-weight:600;cursor:pointer}"
    "button:focus{outline:3px solid #93c5fd;outline-offset:2px}"
    ".note{color:#4b5563}";

const std::string& content_security_policy() {
    static const std::string policy =
        "default-src 'none'; style-src 'sha256-" + base64_encode(sha256(page_style)) +
        "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    return policy;
}

// xml_escape covers what HTML needs in text and in quoted attributes: & < > " '.
std::string escape(std::string_view text) {
    return xml_escape(text);
}

std::string page(std::string_view title, std::string_view body) {
    std::string html;
    html.reserve(1024 + body.size());
    html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    html += "<meta name=\"robots\" content=\"noindex\">\n<title>";
    html += escape(title);
    html += "</title>\n<style>";
    html += page_style;
    html += "</style>\n</head>\n<body>\n<main>\n<h1>";
    html += escape(title);
    html += "</h1>\n";
    html += body;
    html += "</main>\n</body>\n</html>\n";
    return html;
}

std::string messages_of(const unsubscribe_page_facts& facts) {
    return escape(facts.program) + " emails";
}

std::string emergency_note(const unsubscribe_page_facts& facts) {
    return facts.emergency_continues
               ? "<p class=\"note\">Emergency messages will still reach you.</p>\n"
               : "";
}

// The one button: a plain form POST of the one-click signal back to the page's own URL.
std::string one_click_form(std::string_view label) {
    return "<form method=\"post\">\n"
           "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\n"
           "<button type=\"submit\">" +
           escape(label) + "</button>\n</form>\n";
}

}  // namespace

std::string unsubscribe_question_page(const unsubscribe_page_facts& facts) {
    return page("Unsubscribe from " + facts.program + " emails",
                "<p>Stop sending <strong>" + messages_of(facts) + "</strong> to <strong>" +
                    escape(facts.masked_address) + "</strong>?</p>\n" + emergency_note(facts) +
                    one_click_form("Unsubscribe"));
}

std::string unsubscribe_done_page(const unsubscribe_page_facts& facts) {
    return page("You are unsubscribed",
                "<p><strong>" + escape(facts.masked_address) + "</strong> will get no more " +
                    messages_of(facts) + ".</p>\n" + emergency_note(facts) +
                    "<p class=\"note\">Unsubscribed by mistake? Contact your school to get "
                    "these emails again.</p>\n");
}

std::string invalid_link_page() {
    return page("This link is not valid",
                "<p>This unsubscribe link is not valid: it may be incomplete, or it was changed "
                "on the way. Nothing was changed.</p>\n"
                "<p class=\"note\">Open the unsubscribe link of the email again, or of a more "
                "recent email from the district.</p>\n");
}

std::string try_again_page(const unsubscribe_page_facts& facts) {
    return page("Please try again in a minute",
                "<p>Your request could not be recorded just now, so nothing was changed: "
                "<strong>" +
                    escape(facts.masked_address) + "</strong> still gets " + messages_of(facts) +
                    ".</p>\n" + one_click_form("Try again"));
}

std::string not_one_click_page() {
    return page("This request was not understood",
                "<p>Nothing was changed. To unsubscribe, open the link in the email and press "
                "the button.</p>\n");
}

http_response html_page_response(const http_request& request, http::status status,
                                 std::string html) {
    auto res = make_response(request, status, "text/html; charset=utf-8", std::move(html));
    res.set("Content-Security-Policy", content_security_policy());
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    res.set(http::field::x_frame_options, "DENY");
    return res;
}

}  // namespace optgate
