#include "adapters/http/twiml.hpp"

namespace optgate {
namespace {

constexpr std::string_view prolog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

std::string say(std::string_view text, std::string_view language) {
    std::string out = "<Say";
    if (!language.empty()) out += " language=\"" + xml_escape(language) + "\"";
    return out + ">" + xml_escape(text) + "</Say>";
}

}  // namespace

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

std::string twiml_message(const std::optional<std::string>& reply) {
    if (!reply) return std::string(prolog) + "<Response/>";
    return std::string(prolog) + "<Response><Message>" + xml_escape(*reply) +
           "</Message></Response>";
}

std::string twiml_voice(const std::vector<voice_verb>& verbs, std::string_view public_url,
                        std::string_view language) {
    std::string out = std::string(prolog) + "<Response>";
    for (const auto& verb : verbs) {
        switch (verb.kind) {
            case voice_verb_kind::say:
                out += say(verb.text, language);
                break;
            case voice_verb_kind::gather:
                out += "<Gather numDigits=\"1\" action=\"" +
                       xml_escape(std::string(public_url) + verb.action) + "\" method=\"POST\">" +
                       say(verb.text, language) + "</Gather>";
                break;
            case voice_verb_kind::hangup:
                out += "<Hangup/>";
                break;
        }
    }
    return out + "</Response>";
}

}  // namespace optgate
