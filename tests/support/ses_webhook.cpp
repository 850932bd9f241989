#include "tests/support/ses_webhook.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "tests/support/sns_test_message.hpp"

namespace optgate::testing::ses {

namespace json = boost::json;

const test_certificate& aws_key() {
    static const test_certificate key(test_certificate::key_type::fixed_rsa_2048);
    return key;
}

std::string provider_yaml(const std::filesystem::path& certificate_file,
                          const test_certificate& key) {
    return "  ses:\n    topic_arns: [\"" + std::string(topic) + "\"]\n    certificate_file: \"" +
           key.write(certificate_file).string() + "\"\n";
}

std::string ses_complaint(const std::vector<std::string>& recipients, epoch_ms at,
                          std::string_view kind_field) {
    json::array complained;
    for (const auto& r : recipients) complained.push_back(json::object{{"emailAddress", r}});
    const json::object message{
        {kind_field, "Complaint"},
        {"complaint",
         json::object{{"userAgent", "ExampleCorp Feedback Loop (V0.01)"},
                      {"complainedRecipients", complained},
                      {"complaintFeedbackType", "abuse"},
                      {"arrivalDate", format_rfc3339(at)},
                      {"timestamp", format_rfc3339(at)},
                      {"feedbackId", "000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a"}}},
        {"mail", json::object{{"timestamp", format_rfc3339(at - 60'000)},
                              {"source", "news@district.example.org"},
                              {"sourceArn",
                               "arn:aws:ses:us-east-2:123456789012:identity/"
                               "district.example.org"},
                              {"sendingAccountId", "123456789012"},
                              {"messageId", "000001378603177f-7a5433e7-8edb-42ae"},
                              {"destination", json::array(recipients.begin(), recipients.end())}}}};
    return json::serialize(message);
}

std::string ses_other(std::string_view kind, std::string_view recipient) {
    return json::serialize(json::object{
        {"notificationType", kind},
        {"bounce", json::object{{"bounceType", "Permanent"},
                                {"bouncedRecipients",
                                 json::array{json::object{{"emailAddress", recipient}}}}}},
        {"delivery", json::object{{"recipients", json::array{recipient}}}},
        {"mail", json::object{{"messageId", "000001378603177f-7a5433e7"}}}});
}

sns_message notification(std::string message, std::string message_id, epoch_ms published,
                         std::string topic_arn) {
    return sns_notification(std::move(topic_arn), std::move(message_id), std::move(message),
                            format_rfc3339(published));
}

sns_message subscription_confirmation(epoch_ms sent) {
    sns_message m;
    m.type = "SubscriptionConfirmation";
    m.message_id = "165545c9-2a5c-472c-8df2-7ff2be2b3b1b";
    m.token = "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3";
    m.topic_arn = topic;
    m.message = std::string("You have chosen to subscribe to the topic ") + topic +
                ".\nTo confirm the subscription, visit the SubscribeURL included in this message.";
    m.subscribe_url = std::string(
                          "https://sns.us-east-2.amazonaws.com/?Action=ConfirmSubscription"
                          "&TopicArn=") +
                      topic + "&Token=" + *m.token;
    m.timestamp = format_rfc3339(sent);
    return m;
}

std::string sns_body(sns_message m, std::string_view version, const test_certificate& key) {
    sign_sns_message(m, key, version);
    json::object o{{"Type", m.type},
                   {"MessageId", *m.message_id},
                   {"TopicArn", *m.topic_arn},
                   {"Message", *m.message},
                   {"Timestamp", *m.timestamp},
                   {"SignatureVersion", m.signature_version},
                   {"Signature", m.signature},
                   {"SigningCertURL", cert_url}};
    if (m.subject) o["Subject"] = *m.subject;
    if (m.token) o["Token"] = *m.token;
    if (m.subscribe_url) o["SubscribeURL"] = *m.subscribe_url;
    if (m.type == "Notification")
        o["UnsubscribeURL"] = std::string(
                                  "https://sns.us-east-2.amazonaws.com/?Action=Unsubscribe"
                                  "&SubscriptionArn=") +
                              topic + ":1";
    return json::serialize(o);
}

http_call post(std::string body, std::string content_type) {
    http_call call;
    call.method = "POST";
    call.target = path;
    call.body = std::move(body);
    call.headers["Content-Type"] = std::move(content_type);
    call.headers["x-amz-sns-message-type"] = "Notification";
    return call;
}

}  // namespace optgate::testing::ses
