#include "tests/support/api_reply.hpp"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

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

http_result post_check(const http_endpoint& daemon, std::string_view channel,
                       std::string_view program, const std::vector<std::string>& recipients,
                       const std::string& api_key) {
    json::array list;
    list.reserve(recipients.size());
    for (const auto& r : recipients) list.emplace_back(r);
    const json::object body{{"channel", channel}, {"program", program}, {"recipients", list}};
    return daemon.request(api_call("POST", "/v1/check", api_key, json::serialize(body)));
}

json::object check_one(const http_endpoint& daemon, const std::string& recipient,
                       std::string_view program, std::string_view channel) {
    const auto result = post_check(daemon, channel, program, {recipient});
    if (result.status != 200) {
        ADD_FAILURE() << "check of " << recipient << ": " << result.status << " " << result.body;
        return {};
    }
    const auto body = parse_json(result.body);
    const auto* results = body.is_object() ? body.as_object().if_contains("results") : nullptr;
    if (!results || !results->is_array() || results->as_array().size() != 1 ||
        !results->as_array()[0].is_object()) {
        ADD_FAILURE() << "check of " << recipient << ": not one result: " << result.body;
        return {};
    }
    return results->as_array()[0].as_object();
}

std::vector<json::object> audit_entries(const http_endpoint& daemon) {
    const auto result = daemon.request(api_call("GET", "/v1/audit", test_api_key));
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(header_of(result, "content-type"), "application/x-ndjson");
    std::vector<json::object> entries;
    std::size_t begin = 0;
    while (begin < result.body.size()) {
        const auto end = result.body.find('\n', begin);
        if (end == std::string::npos) {
            ADD_FAILURE() << "the last NDJSON line has no newline: " << result.body;
            break;
        }
        const auto line = parse_json(result.body.substr(begin, end - begin));
        if (line.is_object())
            entries.push_back(line.as_object());
        else
            ADD_FAILURE() << "an NDJSON line is not an object: " << result.body;
        begin = end + 1;
    }
    return entries;
}

json::object consent_of(const http_endpoint& daemon, const std::string& address_in_path) {
    const auto result =
        daemon.request(api_call("GET", "/v1/consent/" + address_in_path, test_api_key));
    if (result.status != 200) {
        ADD_FAILURE() << "GET /v1/consent/" << address_in_path << ": " << result.status << " "
                      << result.body;
        return {};
    }
    const auto body = parse_json(result.body);
    if (!body.is_object()) return {};
    return body.as_object();
}

json::object expect_email_unsubscribed(const http_endpoint& daemon, const std::string& address,
                                       std::string_view source, epoch_ms since_earliest,
                                       epoch_ms since_latest) {
    const auto denied = check_one(daemon, address, "district", "email");
    EXPECT_EQ(value_of(denied, "allowed"), json::value(false));
    EXPECT_EQ(text_of(denied, "reason"), "opted_out");
    EXPECT_EQ(text_of(denied, "source"), source);
    const auto since_text = text_of(denied, "since");
    if (since_earliest == since_latest) {
        EXPECT_EQ(since_text, format_rfc3339(since_earliest));
    } else {
        const auto since = parse_rfc3339(since_text);
        EXPECT_TRUE(since && *since >= since_earliest && *since <= since_latest)
            << since_text << " is not within [" << format_rfc3339(since_earliest) << ", "
            << format_rfc3339(since_latest) << "]";
    }
    // Only the unsubscribe programs: emergency email keeps going.
    const auto emergency = check_one(daemon, address, "emergency", "email");
    EXPECT_EQ(value_of(emergency, "allowed"), json::value(true));
    EXPECT_EQ(text_of(emergency, "reason"), "default");

    const auto audit = audit_entries(daemon);
    if (audit.size() != 1) {
        ADD_FAILURE() << "audit entries: " << audit.size() << ", expected exactly one";
        return {};
    }
    const auto& entry = audit.front();
    EXPECT_EQ(text_of(entry, "address"), address);
    EXPECT_EQ(text_of(entry, "channel"), "email");
    EXPECT_EQ(text_of(entry, "program"), "district");
    EXPECT_EQ(text_of(entry, "to"), "opted_out");
    EXPECT_EQ(text_of(entry, "outcome"), "applied");
    EXPECT_EQ(text_of(entry, "source"), source);
    return entry;
}

json::object expect_email_unsubscribed_at_receipt(const http_endpoint& daemon,
                                                  const std::string& address,
                                                  std::string_view source, epoch_ms stated,
                                                  epoch_ms sent_after, epoch_ms answered_before) {
    auto entry = expect_email_unsubscribed(daemon, address, source, sent_after, answered_before);
    const auto received = text_of(entry, "received_time");
    EXPECT_EQ(text_of(entry, "event_time"), received);
    EXPECT_EQ(text_of(entry, "stated_time"), format_rfc3339(stated));
    EXPECT_EQ(text_of(check_one(daemon, address, "district", "email"), "since"), received);
    return entry;
}

void expect_webhook_status(const http_result& result, std::string_view status) {
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, "{\"status\":\"" + std::string(status) + "\"}");
}

void expect_email_default(const http_endpoint& daemon, const std::string& address,
                          std::string_view program) {
    const auto result = check_one(daemon, address, program, "email");
    EXPECT_EQ(value_of(result, "allowed"), json::value(true)) << address << " " << program;
    EXPECT_EQ(text_of(result, "reason"), "default") << address << " " << program;
}

void expect_email_unchanged(const http_endpoint& daemon,
                            const std::vector<std::string>& addresses) {
    for (const auto& address : addresses)
        for (const char* program : {"district", "emergency"})
            EXPECT_EQ(text_of(check_one(daemon, address, program, "email"), "reason"), "default")
                << address << " " << program;
    EXPECT_TRUE(audit_entries(daemon).empty());
}

std::vector<std::string> keys_of(const json::object& o) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : o) keys.emplace_back(key);
    std::sort(keys.begin(), keys.end());
    return keys;
}

std::string text_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v) return "<absent>";
    if (!v->is_string()) return "<not a string: " + json::serialize(*v) + ">";
    return std::string(v->as_string());
}

}  // namespace optgate::testing
