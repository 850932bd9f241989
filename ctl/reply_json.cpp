#include "ctl/reply_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "ctl/daemon_access.hpp"

namespace optgate::ctl {

std::optional<boost::json::object> reply_object(const std::string& body) {
    boost::system::error_code ec;
    auto doc = boost::json::parse(body, ec);
    if (ec || !doc.is_object()) {
        complain("the daemon's reply is not a JSON object");
        return std::nullopt;
    }
    return std::move(doc.as_object());
}

std::string field_text(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) return {};
    if (v->is_string()) return std::string(v->as_string());
    return boost::json::serialize(*v);
}

}  // namespace optgate::ctl
