#include "adapters/http/twiml.hpp"

namespace optgate {

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
    constexpr std::string_view prolog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    if (!reply) return std::string(prolog) + "<Response/>";
    return std::string(prolog) + "<Response><Message>" + xml_escape(*reply) +
           "</Message></Response>";
}

}  // namespace optgate
