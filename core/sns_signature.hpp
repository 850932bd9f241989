// Amazon SNS message signatures: the string SNS signs for each message type, and its check
// against the operator's configured signing certificate (SignatureVersion 1 = RSA with SHA1,
// 2 = RSA with SHA256, anything else refused).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/signing_certificate.hpp"

namespace optgate {

enum class sns_type { notification, subscription_confirmation, unsubscribe_confirmation };

std::optional<sns_type> parse_sns_type(std::string_view type);

// The signed fields of one SNS message, as it carried them; absent fields stay nullopt.
struct sns_message {
    std::string type;  // "Notification", "SubscriptionConfirmation", ...
    std::optional<std::string> message;
    std::optional<std::string> message_id;
    std::optional<std::string> subject;        // Notification only, when the publisher set one
    std::optional<std::string> subscribe_url;  // confirmations only
    std::optional<std::string> timestamp;
    std::optional<std::string> token;  // confirmations only
    std::optional<std::string> topic_arn;
    std::string signature_version;
    std::string signature;  // base64
};

enum class sns_verdict {
    valid,
    unknown_type,         // not a type SNS signs (nothing to verify against)
    unsupported_version,  // SignatureVersion other than "1" or "2"
    bad_signature,        // not base64, or not this certificate's signature of these fields
};

// "Name\nValue\n" for each field of the message's type, in SNS's order, present fields only:
// Notification: Message, MessageId, Subject, Timestamp, TopicArn, Type; confirmations:
// Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type. Nullopt for an
// unknown type.
std::optional<std::string> sns_string_to_sign(const sns_message& message);

sns_verdict verify_sns_signature(const sns_message& message,
                                 const signing_certificate& certificate);

// True if `url` has the shape of an SNS signing certificate's address
// (https://sns.<region>.amazonaws.com[.cn]/<name>.pem): only such a URL is worth showing the
// operator, and nothing else a forger sends ends up in a log line.
bool plausible_sns_certificate_url(std::string_view url);

}  // namespace optgate
