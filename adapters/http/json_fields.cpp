#include "adapters/http/json_fields.hpp"

#include <boost/json/parse.hpp>

#include "core/provider_time.hpp"

namespace optgate {

std::optional<boost::json::object> parse_json_object(std::string_view text) {
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(text, ec);
    if (ec || !value.is_object()) return std::nullopt;
    return std::move(value.get_object());
}

std::string_view string_field(const boost::json::object& o, std::string_view key) {
    const auto* value = o.if_contains(key);
    if (!value || !value->is_string()) return {};
    return value->get_string();
}

std::optional<std::string_view> optional_string_field(const boost::json::object& o,
                                                      std::string_view key) {
    const auto* value = o.if_contains(key);
    if (!value || !value->is_string()) return std::nullopt;
    return std::string_view(value->get_string());
}

const boost::json::object* object_field(const boost::json::object& o, std::string_view key) {
    const auto* value = o.if_contains(key);
    return value ? value->if_object() : nullptr;
}

std::optional<epoch_ms> unix_seconds_field(const boost::json::object& o, std::string_view key) {
    const auto* value = o.if_contains(key);
    if (!value || !value->is_number()) return std::nullopt;
    boost::system::error_code ec;
    const double seconds = value->to_number<double>(ec);
    if (ec) return std::nullopt;
    return unix_seconds_to_ms(seconds);
}

}  // namespace optgate
