#include "tests/support/api_reply.hpp"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace optgate::testing {

std::string header_of(const http_result& result, const std::string& name) {
    const auto it = result.headers.find(name);
    return it == result.headers.end() ? std::string() : it->second;
}

json::value parse_json(const std::string& text) {
    boost::system::error_code ec;
    auto value = json::parse(text, ec);
    if (ec) {
        ADD_FAILURE() << "not JSON (" << ec.message() << "): " << text;
        return nullptr;
    }
    return value;
}

::testing::AssertionResult is_error(const http_result& result, int status, std::string_view code) {
    auto fail = [&](std::string_view why) {
        return ::testing::AssertionFailure() << why << "; expected " << status << " " << code
                                             << ", got " << result.status << " " << result.body;
    };
    if (result.status != status) return fail("wrong status");
    if (header_of(result, "content-type") != "application/json")
        return fail("not application/json");
    boost::system::error_code ec;
    const auto body = json::parse(result.body, ec);
    if (ec || !body.is_object() || body.as_object().size() != 1) return fail("not {\"error\":...}");
    const auto* error = body.as_object().if_contains("error");
    if (!error || !error->is_object() || error->as_object().size() != 2) return fail("bad error");
    const auto* c = error->as_object().if_contains("code");
    const auto* m = error->as_object().if_contains("message");
    if (!c || !c->is_string() || c->as_string() != code) return fail("wrong error code");
    if (!m || !m->is_string() || m->as_string().empty()) return fail("no message");
    return ::testing::AssertionSuccess();
}

json::value value_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v ? *v : json::value("<absent>");
}

http_result post_check(const daemon_process& daemon, std::string_view channel,
                       std::string_view program, const std::vector<std::string>& recipients,
                       const std::string& api_key) {
    json::array list;
    list.reserve(recipients.size());
    for (const auto& r : recipients) list.emplace_back(r);
    const json::object body{{"channel", channel}, {"program", program}, {"recipients", list}};
    return daemon.request(api_call("POST", "/v1/check", api_key, json::serialize(body)));
}

}  // namespace optgate::testing
