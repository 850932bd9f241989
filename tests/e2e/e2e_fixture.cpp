#include "tests/e2e/e2e_fixture.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

namespace optgate::testing {

std::string twiml_message(std::string_view reply) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>" + std::string(reply) +
           "</Message></Response>";
}

std::string twiml_empty() {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
}

std::string e2e_test::key_prefix() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return "e2e:" + std::string(info->test_suite_name()) + "." + info->name() + ":";
}

std::unique_ptr<daemon_process> e2e_test::start_daemon(const std::string& extra_yaml,
                                                       const std::string& extra_providers) {
    auto daemon = std::make_unique<daemon_process>(
        default_test_config(redis().url(), key_prefix(), extra_yaml, extra_providers));
    EXPECT_TRUE(daemon->wait_until_ready()) << daemon->log_text();
    return daemon;
}

epoch_ms now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

json::object check_one(const daemon_process& daemon, const std::string& recipient,
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

std::vector<json::object> audit_entries(const daemon_process& daemon) {
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

json::object consent_of(const daemon_process& daemon, const std::string& address_in_path) {
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

json::object expect_email_unsubscribed(const daemon_process& daemon, const std::string& address,
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

json::object expect_email_unsubscribed_at_receipt(const daemon_process& daemon,
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
