#include "core/sns_signature.hpp"

#include <algorithm>

#include "core/digest.hpp"

namespace optgate {
namespace {

void append_field(std::string& out, std::string_view name,
                  const std::optional<std::string>& value) {
    if (!value) return;
    out.append(name).append("\n").append(*value).append("\n");
}

bool is_lower_host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

bool is_path_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '/';
}

}  // namespace

std::optional<sns_type> parse_sns_type(std::string_view type) {
    if (type == "Notification") return sns_type::notification;
    if (type == "SubscriptionConfirmation") return sns_type::subscription_confirmation;
    if (type == "UnsubscribeConfirmation") return sns_type::unsubscribe_confirmation;
    return std::nullopt;
}

std::optional<std::string> sns_string_to_sign(const sns_message& m) {
    const auto type = parse_sns_type(m.type);
    if (!type) return std::nullopt;
    std::string out;
    append_field(out, "Message", m.message);
    append_field(out, "MessageId", m.message_id);
    if (*type == sns_type::notification) {
        append_field(out, "Subject", m.subject);
    } else {
        append_field(out, "SubscribeURL", m.subscribe_url);
    }
    append_field(out, "Timestamp", m.timestamp);
    if (*type != sns_type::notification) append_field(out, "Token", m.token);
    append_field(out, "TopicArn", m.topic_arn);
    append_field(out, "Type", m.type);
    return out;
}

sns_verdict verify_sns_signature(const sns_message& m, const signing_certificate& certificate) {
    const auto signed_text = sns_string_to_sign(m);
    if (!signed_text) return sns_verdict::unknown_type;
    signature_digest digest;
    if (m.signature_version == "1") {
        digest = signature_digest::sha1;
    } else if (m.signature_version == "2") {
        digest = signature_digest::sha256;
    } else {
        return sns_verdict::unsupported_version;
    }
    const auto signature = base64_decode(m.signature);
    if (!signature || !certificate.verifies(digest, *signed_text, *signature))
        return sns_verdict::bad_signature;
    return sns_verdict::valid;
}

bool plausible_sns_certificate_url(std::string_view url) {
    constexpr std::string_view prefix = "https://sns.";
    if (url.size() > 256 || !url.starts_with(prefix)) return false;
    const auto slash = url.find('/', prefix.size());
    if (slash == std::string_view::npos) return false;
    const auto host = url.substr(prefix.size(), slash - prefix.size());
    const auto path = url.substr(slash);
    return std::all_of(host.begin(), host.end(), is_lower_host_char) &&
           (host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn")) &&
           std::all_of(path.begin(), path.end(), is_path_char) && path.ends_with(".pem") &&
           path.find("..") == std::string_view::npos;
}

}  // namespace optgate
