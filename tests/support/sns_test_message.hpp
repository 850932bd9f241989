// Amazon SNS messages as the tests build them before signing them (sign_sns_message in
// test_certificate.hpp): a Notification's signed fields, as SNS publishes one.
#pragma once

#include <string>

#include "core/sns_signature.hpp"

namespace optgate::testing {

// A Notification without a subject; set `subject` for one the publisher gave a subject.
inline sns_message sns_notification(std::string topic_arn, std::string message_id,
                                    std::string message, std::string timestamp) {
    sns_message m;
    m.type = "Notification";
    m.message = std::move(message);
    m.message_id = std::move(message_id);
    m.timestamp = std::move(timestamp);
    m.topic_arn = std::move(topic_arn);
    return m;
}

}  // namespace optgate::testing
