#include "tests/support/mailgun_webhook.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "core/digest.hpp"

namespace optgate::testing::mailgun {

namespace json = boost::json;

std::string provider_yaml() {
    return std::string("  mailgun: { signing_key: \"") + signing_key + "\" }\n";
}

std::string token(unsigned n) {
    const std::string digits = std::to_string(n);
    return std::string(50 - digits.size(), 'a') + digits;
}

json::object event_data(std::string_view type, std::string_view recipient, std::string_view id,
                        double timestamp) {
    return {{"event", type},
            {"id", id},
            {"timestamp", timestamp},
            {"recipient", recipient},
            {"recipient-domain", "example.org"},
            {"log-level", "warn"},
            {"tags", json::array{"district-news"}},
            {"message", json::object{{"headers", json::object{{"message-id", "2026@mg.test"}}}}},
            {"user-variables", json::object{}}};
}

std::string signed_body(const json::object& data, const std::string& token, std::int64_t signed_at,
                        const std::string& key) {
    const std::string timestamp = std::to_string(signed_at);
    const json::object body{
        {"signature", json::object{{"timestamp", timestamp},
                                   {"token", token},
                                   {"signature", to_hex(hmac_sha256(key, timestamp + token))}}},
        {"event-data", data}};
    return json::serialize(body);
}

http_call post(std::string body) {
    http_call call;
    call.method = "POST";
    call.target = path;
    call.body = std::move(body);
    call.headers["Content-Type"] = "application/json";
    return call;
}

double mailgun_time(epoch_ms t) {
    return static_cast<double>(t) / 1000.0 + 0.000123;
}

}  // namespace optgate::testing::mailgun
