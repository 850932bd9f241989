// Twilio's webhooks as Twilio delivers them to a daemon run with default_test_config: ids in
// Twilio's shape, and form posts signed with the test public URL and auth token. The SMS and
// voice helpers (sms_webhook.hpp, voice_webhook.hpp) build on these.
#pragma once

#include <string>
#include <string_view>

#include "core/form_urlencoded.hpp"
#include "tests/support/http_client.hpp"

namespace optgate::testing {

// `prefix` ("SM" for a message, "CA" for a call) and 32 hex digits, distinct for each n.
std::string twilio_sid(std::string_view prefix, unsigned n);

// A form post to `target` (path and query), signed over test_public_url + target and every
// field, as Twilio signs it.
http_call signed_twilio_call(const std::string& target, const form_fields& fields);

}  // namespace optgate::testing
