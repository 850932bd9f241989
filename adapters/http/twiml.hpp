// TwiML, the XML Twilio expects in answer to its webhooks.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace optgate {

std::string xml_escape(std::string_view text);

// <Response><Message>reply</Message></Response>, or <Response/> when there is nothing to say.
std::string twiml_message(const std::optional<std::string>& reply);

}  // namespace optgate
