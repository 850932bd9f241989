#include "adapters/http/provider_json.hpp"

#include <optional>
#include <string>
#include <string_view>

#include "adapters/http/json_fields.hpp"

namespace optgate {
namespace {

namespace json = boost::json;

// SendGrid's group ids are small integers; the digits of a longer one are not logged or used.
constexpr std::size_t max_group_digits = 20;

std::optional<std::string> group_id(const json::object& event) {
    const auto* value = event.if_contains("asm_group_id");
    if (!value) return std::nullopt;
    if (value->is_int64() && value->get_int64() >= 0) return std::to_string(value->get_int64());
    if (value->is_uint64()) return std::to_string(value->get_uint64());
    if (!value->is_string()) return std::nullopt;
    const std::string_view text = value->get_string();
    if (text.empty() || text.size() > max_group_digits ||
        text.find_first_not_of("0123456789") != std::string_view::npos)
        return std::nullopt;
    return std::string(text);
}

std::optional<std::string> copied(std::optional<std::string_view> text) {
    return text ? std::optional<std::string>(*text) : std::nullopt;
}

}  // namespace

sendgrid_event read_sendgrid_event(const json::object& o) {
    return {string_field(o, "event"), string_field(o, "email"), unix_seconds_field(o, "timestamp"),
            string_field(o, "sg_event_id"), group_id(o)};
}

sns_message read_sns_message(const json::object& o) {
    sns_message m;
    m.type = std::string(string_field(o, "Type"));
    m.message = copied(optional_string_field(o, "Message"));
    m.message_id = copied(optional_string_field(o, "MessageId"));
    m.subject = copied(optional_string_field(o, "Subject"));
    m.subscribe_url = copied(optional_string_field(o, "SubscribeURL"));
    m.timestamp = copied(optional_string_field(o, "Timestamp"));
    m.token = copied(optional_string_field(o, "Token"));
    m.topic_arn = copied(optional_string_field(o, "TopicArn"));
    m.signature_version = std::string(string_field(o, "SignatureVersion"));
    m.signature = std::string(string_field(o, "Signature"));
    return m;
}

}  // namespace optgate
