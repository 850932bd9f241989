// A blocking HTTP/1.1 client for tests, over loopback, with a deadline on every request.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "core/form_urlencoded.hpp"

namespace optgate::testing {

struct http_result {
    int status = 0;  // 0: no response (connection refused, reset, timed out)
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    // False when the connection ended within the body (a chunked body without its last
    // chunk): `body` holds what came.
    bool complete = true;
};

struct http_call {
    std::string method = "GET";
    std::string target = "/";
    std::string body;
    std::map<std::string, std::string> headers;
    std::chrono::milliseconds timeout{10000};
};

http_result http_request(std::uint16_t port, const http_call& call);

// A Twilio-signed form POST: the signature over `public_url + target` and every field.
http_call twilio_post(const std::string& public_url, const std::string& target,
                      const std::string& auth_token, const form_fields& fields);

// A JSON request with an API key.
http_call api_call(std::string method, std::string target, const std::string& api_key,
                   std::string json_body = {});

}  // namespace optgate::testing
