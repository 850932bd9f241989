#include "tests/support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "core/twilio_signature.hpp"

namespace optgate::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

http_result http_request(std::uint16_t port, const http_call& call) {
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    http_result result;
    http::request<http::string_body> req{http::string_to_verb(call.method), call.target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    for (const auto& [name, value] : call.headers) req.set(name, value);
    req.body() = call.body;
    req.prepare_payload();
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    stream.expires_after(call.timeout);
    stream.async_connect({asio::ip::make_address("127.0.0.1"), port}, [&](beast::error_code ec) {
        if (ec) return;
        http::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
            if (ec) return;
            http::async_read(stream, buffer, parser, [&](beast::error_code ec, std::size_t) {
                if (ec && !parser.is_header_done()) return;
                result.complete = !ec;
                const auto& res = parser.get();
                result.status = res.result_int();
                for (const auto& f : res) {
                    std::string name(f.name_string());
                    for (auto& c : name) c = char(std::tolower(c));
                    result.headers[name] = std::string(f.value());
                }
                result.body = res.body();
            });
        });
    });
    ioc.run();
    return result;
}

http_call twilio_post(const std::string& public_url, const std::string& target,
                      const std::string& auth_token, const form_fields& fields) {
    http_call call;
    call.method = "POST";
    call.target = target;
    call.body = form_urlencode(fields);
    call.headers["Content-Type"] = "application/x-www-form-urlencoded";
    call.headers["X-Twilio-Signature"] = twilio_signature(auth_token, public_url + target, fields);
    return call;
}

http_call api_call(std::string method, std::string target, const std::string& api_key,
                   std::string json_body) {
    http_call call;
    call.method = std::move(method);
    call.target = std::move(target);
    call.body = std::move(json_body);
    if (!api_key.empty()) call.headers["Authorization"] = "Bearer " + api_key;
    if (!call.body.empty()) call.headers["Content-Type"] = "application/json";
    return call;
}

}  // namespace optgate::testing
