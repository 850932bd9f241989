// Which route answers a request: by method and path, with the body limit, deadline and
// header check of each route known from the method and path alone (they apply before the
// body is read).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/http_metrics.hpp"
#include "adapters/http/http_types.hpp"

namespace optgate {

struct route_limits {
    std::size_t body_limit = 64 * 1024;
    std::chrono::seconds deadline{15};
    // Checked on the header alone, before the body is read: the answer that refuses the
    // request (an API route without a valid key or the route's role, which must not make the
    // daemon read a body of megabytes), or nullopt to read on. None by default.
    std::function<std::optional<http_response>(const http_request& header)> before_body;
};

// Threads: built before the server starts, then only read (from any thread).
class router {
  public:
    using handler = std::function<void(request_context&, std::shared_ptr<reply_channel>)>;

    // `path` is exact; a path ending in "/*" also matches anything below it.
    void add(http::verb method, std::string path, handler h, route_limits limits = {});

    // The limits of the route of this method and path; for a path routed under other methods
    // only (a 405), those of its first route.
    route_limits limits_for(http::verb method, std::string_view target) const;
    // The pattern of the route a target falls under, as added ("/v1/consent/*"), or "other":
    // the metrics label, of bounded cardinality whatever paths clients send.
    std::string_view route_name(std::string_view target) const;

    // Where sessions count requests and connections; none by default.
    void set_metrics(http_metrics* metrics) { metrics_ = metrics; }
    http_metrics* metrics() const { return metrics_; }

    // How long a connection may take to send a request's header, and may stay idle between
    // requests (a slow or silent client holds a connection slot no longer than this).
    void set_header_deadline(std::chrono::seconds d) { header_deadline_ = d; }
    std::chrono::seconds header_deadline() const { return header_deadline_; }
    // Answers 404 for an unknown path and 405 (with Allow) for a known path and wrong method.
    void dispatch(request_context& context, std::shared_ptr<reply_channel> reply) const;

  private:
    struct route {
        http::verb method;
        std::string path;
        std::string pattern;  // as added, with its "/*"
        bool prefix;
        handler h;
        route_limits limits;
        bool matches(std::string_view p) const;
    };
    std::vector<route> routes_;
    std::chrono::seconds header_deadline_{15};
    http_metrics* metrics_ = nullptr;
};

// The path part of a request target, without the query.
std::string_view target_path(std::string_view target);

}  // namespace optgate
