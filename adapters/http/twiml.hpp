// TwiML, the XML Twilio expects in answer to its webhooks.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/voice_menu.hpp"

namespace optgate {

std::string xml_escape(std::string_view text);

// <Response><Message>reply</Message></Response>, or <Response/> when there is nothing to say.
std::string twiml_message(const std::optional<std::string>& reply);

// <Response> with a voice plan's verbs: <Say>, <Gather numDigits="1" action=... method="POST">
// with its <Say>, <Hangup/>. Each Gather's action is `public_url` + its path; `language`, when
// not empty, is set on every <Say>. Every text is escaped.
std::string twiml_voice(const std::vector<voice_verb>& verbs, std::string_view public_url,
                        std::string_view language);

}  // namespace optgate
