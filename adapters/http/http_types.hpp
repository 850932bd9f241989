// The HTTP vocabulary shared by the server and the routes: requests, responses, and the
// reply channel through which a route answers, at once, later, or as a stream.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/beast/http.hpp>

namespace optgate {

namespace http = boost::beast::http;
using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;

// Called with the next piece of a streamed body, or nullopt at its end. A producer that
// fails midway calls abort() instead: the client then sees a truncated chunked body.
struct chunk_sink {
    std::function<void(std::optional<std::string> chunk)> next;
    std::function<void()> abort;
};
using chunk_source = std::function<void(chunk_sink)>;

// How a route answers. Exactly one of send() or stream() is called, from any thread.
class reply_channel {
  public:
    virtual ~reply_channel() = default;
    virtual void send(http_response response) = 0;
    // Sends `head` with chunked transfer encoding, then asks `source` for each chunk after
    // the previous one is written.
    virtual void stream(http_response head, chunk_source source) = 0;
};

struct request_context {
    http_request request;
    std::string request_id;  // for logs: every line about this request carries it
};

}  // namespace optgate
