// TwiML as Twilio reads it: the voice verbs rendered in order, the Gather's absolute action
// URL, the language on every <Say>, and every text escaped.
#include "adapters/http/twiml.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace optgate {
namespace {

constexpr const char* prolog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

// What follows the XML prolog (which every TwiML must start with) in the TwiML of `verbs`.
std::string response_of(const std::vector<voice_verb>& verbs,
                        std::string_view public_url = "https://g", std::string_view language = "") {
    const std::string twiml = twiml_voice(verbs, public_url, language);
    if (!twiml.starts_with(prolog)) {
        ADD_FAILURE() << "no XML prolog: " << twiml;
        return twiml;
    }
    return twiml.substr(std::string_view(prolog).size());
}

TEST(Twiml, VoiceVerbsRenderInOrderWithTheGathersAbsoluteAction) {
    EXPECT_EQ(response_of({{voice_verb_kind::say, "Sorry.", {}},
                           {voice_verb_kind::gather, "Press 1 or 2.",
                            "/webhooks/twilio/voice/menu?attempt=2"},
                           {voice_verb_kind::say, "Goodbye.", {}},
                           {voice_verb_kind::hangup, {}, {}}},
                          "https://optgate.example.org"),
              "<Response><Say>Sorry.</Say><Gather numDigits=\"1\" "
              "action=\"https://optgate.example.org/webhooks/twilio/voice/menu?attempt=2\" "
              "method=\"POST\"><Say>Press 1 or 2.</Say></Gather><Say>Goodbye.</Say>"
              "<Hangup/></Response>");
}

TEST(Twiml, TheLanguageIsSetOnEverySay) {
    EXPECT_EQ(response_of({{voice_verb_kind::gather, "Marque 1.", "/m"},
                           {voice_verb_kind::say, "Adiós.", {}}},
                          "https://g", "es-MX"),
              "<Response><Gather numDigits=\"1\" action=\"https://g/m\" method=\"POST\">"
              "<Say language=\"es-MX\">Marque 1.</Say></Gather>"
              "<Say language=\"es-MX\">Adiós.</Say></Response>");
}

TEST(Twiml, EveryTextAndAttributeIsEscaped) {
    EXPECT_EQ(response_of({{voice_verb_kind::say, "Press <1> & \"2\" 'now'", {}},
                           {voice_verb_kind::gather, "</Say><Hangup/>", "/m?a=1&b=\"2\""}}),
              "<Response><Say>Press &lt;1&gt; &amp; &quot;2&quot; &apos;now&apos;</Say>"
              "<Gather numDigits=\"1\" action=\"https://g/m?a=1&amp;b=&quot;2&quot;\" "
              "method=\"POST\"><Say>&lt;/Say&gt;&lt;Hangup/&gt;</Say></Gather></Response>");
}

TEST(Twiml, NoVerbsIsAnEmptyResponse) {
    EXPECT_EQ(response_of({}), "<Response></Response>");
    EXPECT_EQ(twiml_message(std::nullopt), std::string(prolog) + "<Response/>");
}

}  // namespace
}  // namespace optgate
