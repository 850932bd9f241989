#include "tests/support/admin_changes.hpp"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace optgate::testing {

http_result put_consent(const http_endpoint& daemon, const std::string& address_in_path,
                        const std::string& body) {
    return daemon.request(api_call("PUT", "/v1/consent/" + address_in_path, test_api_key, body));
}

std::string change(const std::string& fields) {
    return R"({"channel":"sms","program":"district",)" + fields + "}";
}

void expect_outcome(const http_result& result, const std::string& outcome, const char* from,
                    const std::string& request_id) {
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(header_of(result, "content-type"), "application/json");
    const json::value from_value = from ? json::value(from) : json::value(nullptr);
    EXPECT_EQ(
        parse_json(result.body),
        (json::object{{"outcome", outcome}, {"from", from_value}, {"request_id", request_id}}));
}

json::array history_of(const http_endpoint& daemon, const std::string& address_in_path) {
    const auto consent = consent_of(daemon, address_in_path);
    const auto* history = consent.if_contains("history");
    if (!history || !history->is_array()) {
        ADD_FAILURE() << "no history: " << json::serialize(consent);
        return {};
    }
    return history->as_array();
}

void expect_nothing_changed(const http_endpoint& daemon, const std::string& address) {
    for (const char* program : {"district", "emergency"}) {
        const auto result = check_one(daemon, address, program);
        EXPECT_EQ(text_of(result, "reason"), "default") << program;
        EXPECT_EQ(value_of(result, "allowed"), json::value(true)) << program;
    }
    const auto consent = consent_of(daemon, address);
    EXPECT_EQ(value_of(consent, "records"), json::array());
    EXPECT_EQ(value_of(consent, "history"), json::array());
    EXPECT_TRUE(audit_entries(daemon).empty());
}

}  // namespace optgate::testing
