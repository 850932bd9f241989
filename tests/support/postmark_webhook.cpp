#include "tests/support/postmark_webhook.hpp"

#include <boost/json/serialize.hpp>

#include "core/digest.hpp"

namespace optgate::testing::postmark {

namespace json = boost::json;

std::string provider_yaml() {
    return std::string("  postmark: { username: \"") + username + "\", password: \"" + password +
           "\" }\n";
}

std::string postmark_time(epoch_ms t) {
    std::string text = format_rfc3339(t);
    return text.insert(text.size() - 1, "071");
}

json::object subscription_change(std::string_view recipient, bool suppress, json::value reason,
                                 epoch_ms changed_at, json::value id, std::string_view origin) {
    return {{"RecordType", "SubscriptionChange"},
            {"MessageID", std::move(id)},
            {"ServerID", 123456},
            {"MessageStream", "outbound"},
            {"ChangedAt", postmark_time(changed_at)},
            {"Recipient", recipient},
            {"Origin", origin},
            {"SuppressSending", suppress},
            {"SuppressionReason", std::move(reason)},
            {"Tag", suppress ? json::value("district-news") : json::value(nullptr)},
            {"Metadata", json::object{}}};
}

http_call post(const std::string& body, const std::string& user, const std::string& pass) {
    http_call call;
    call.method = "POST";
    call.target = path;
    call.body = body;
    call.headers["Content-Type"] = "application/json";
    call.headers["Authorization"] = "Basic " + base64_encode(user + ":" + pass);
    return call;
}

http_call post(const json::object& record) {
    return post(json::serialize(record));
}

}  // namespace optgate::testing::postmark
