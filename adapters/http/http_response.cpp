#include "adapters/http/http_response.hpp"

#include "core/store_error.hpp"

#include "core/json_text.hpp"

namespace optgate {

http_response make_response(const http_request& request, http::status status,
                            std::string_view content_type, std::string body) {
    http_response res{status, request.version()};
    res.set(http::field::server, "optgate");
    res.set(http::field::content_type, content_type);
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(request.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

http_response json_response(const http_request& request, http::status status, std::string body) {
    return make_response(request, status, "application/json", std::move(body));
}

http_response status_json_response(const http_request& request, std::string_view status) {
    std::string body = "{\"status\":";
    append_json_string(body, status);
    body += "}";
    return json_response(request, http::status::ok, std::move(body));
}

http_response error_response(const http_request& request, http::status status,
                             std::string_view code, std::string_view message) {
    std::string body = "{\"error\":{\"code\":";
    append_json_string(body, code);
    body += ",\"message\":";
    append_json_string(body, message);
    body += "}}";
    return json_response(request, status, std::move(body));
}

http_response unavailable_response(const http_request& request, std::string_view message) {
    auto res = error_response(request, http::status::service_unavailable, "unavailable", message);
    res.set(http::field::retry_after, "5");
    return res;
}

std::string_view store_unavailable_message(std::error_code ec) {
    if (ec == store_error::data_lost)
        return "the consent store has lost data; it is being restored from the journal";
    if (ec == store_error::reconnected)
        return "the connection to the consent store was lost and made again during the check; "
               "check again";
    if (ec == store_error::answers_held)
        return "consent is being verified or brought up to date; check again";
    return "the consent store is unreachable";
}

http_response store_unavailable_response(const http_request& request, std::error_code ec) {
    return unavailable_response(request, store_unavailable_message(ec));
}

http_response twiml_response(const http_request& request, std::string twiml) {
    return make_response(request, http::status::ok, "text/xml; charset=utf-8", std::move(twiml));
}

}  // namespace optgate
