// link: one-click unsubscribe URLs (RFC 8058) for addresses, from POST /v1/unsubscribe-links,
// for a broadcast system to put in List-Unsubscribe.
#include <iostream>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "ctl/command.hpp"
#include "ctl/exit_status.hpp"
#include "ctl/reply_json.hpp"
#include "ctl/text_table.hpp"

namespace optgate::ctl {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

int run_link(const command_line& line, const daemon_access& access) {
    const auto program = line.value("program");
    if (!program) {
        complain("link needs --program P");
        return exit_usage;
    }
    json::array addresses;
    for (const auto& a : line.operands) addresses.emplace_back(a);
    const json::object body{{"program", *program}, {"addresses", std::move(addresses)}};
    auto connection = access.connect();
    api_reply reply;
    if (const int status = call_daemon(
            access, connection,
            {http::verb::post, "/v1/unsubscribe-links", json::serialize(body), "application/json"},
            reply);
        status != exit_ok) {
        if (status == exit_not_found)
            complain(
                "this daemon issues no unsubscribe links: its config has no unsubscribe_links");
        return status;
    }
    const auto answer = reply_object(reply.body);
    const auto* links = answer ? answer->if_contains("links") : nullptr;
    if (!links || !links->is_array()) {
        if (answer) complain("the daemon's reply has no \"links\"");
        return exit_failed;
    }
    text_table table({"INPUT", "URL"});
    std::size_t bad = 0;
    for (const auto& l : links->as_array()) {
        if (!l.is_object()) continue;
        const auto& o = l.as_object();
        const auto url = field_text(o, "url");
        if (url.empty()) ++bad;
        table.add({field_text(o, "input"), url.empty() ? "error: " + field_text(o, "error") : url});
    }
    if (line.flag("json"))
        std::cout << reply.body << '\n';
    else
        table.print(std::cout);
    return bad ? exit_partly : exit_ok;
}

}  // namespace

const command link_command{
    {"link",
     "link ADDRESS... --program P [--json]",
     {{"program", option_kind::value}, {"json", option_kind::flag}},
     1,
     1000},
    "one-click unsubscribe URLs for addresses",
    R"(Prints, for each ADDRESS, its one-click unsubscribe URL for program P (RFC 8058: a
broadcast system puts it in List-Unsubscribe; a POST to it unsubscribes, a GET shows a page
with one button). An address that is not valid is listed with its error, and the exit
status is then 4. The daemon must have unsubscribe_links configured (else: exit 5).
Role: check.

  --program P   the program the links unsubscribe from
  --json        print the daemon's reply unchanged
)",
    true,
    run_link};

}  // namespace optgate::ctl
