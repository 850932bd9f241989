// One keep-alive HTTP/1.1 connection from optgatectl to optgated, used synchronously: each
// call blocks until the reply has been read, and fails when the daemon makes no progress for
// `timeout` (connect, write, or between two reads). Lives on the thread that calls it; one
// connection per thread (import keeps several, one per worker thread).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/beast/http/verb.hpp>
#include <boost/system/result.hpp>

#include "adapters/api_client/api_url.hpp"

namespace optgate {

struct api_request {
    boost::beast::http::verb method = boost::beast::http::verb::get;
    std::string target;  // "/v1/check", after the URL's path prefix
    std::string body;
    std::string content_type;  // set with a body
};

struct api_reply {
    unsigned status = 0;
    std::string content_type;
    std::string retry_after;
    std::string next_cursor;  // Optgate-Next-Cursor: where the change feed goes on
    std::string body;         // empty when a 2xx body went to a body_sink
};

// Takes each piece of a 2xx body as it arrives; false stops reading (the call then fails
// with operation_aborted and the connection is closed).
using body_sink = std::function<bool(std::string_view piece)>;

class api_connection {
  public:
    api_connection(api_url url, std::string api_key, std::chrono::milliseconds timeout);
    ~api_connection();
    api_connection(const api_connection&) = delete;
    api_connection& operator=(const api_connection&) = delete;

    // The whole reply (a body over 64 MiB fails with message_size).
    boost::system::result<api_reply> send(api_request request);
    // A 2xx body goes to `sink` as it arrives (a million check results, an audit export);
    // any other status is collected whole, as send() does.
    boost::system::result<api_reply> send(api_request request, const body_sink& sink);

  private:
    struct state;
    std::unique_ptr<state> state_;
};

}  // namespace optgate
