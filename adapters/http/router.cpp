#include "adapters/http/router.hpp"

#include "adapters/http/http_response.hpp"

namespace optgate {

std::string_view target_path(std::string_view target) {
    return target.substr(0, target.find('?'));
}

bool router::route::matches(std::string_view p) const {
    return prefix ? p.size() > path.size() && p.starts_with(path) : p == path;
}

void router::add(http::verb method, std::string path, handler h, route_limits limits) {
    const bool prefix = path.ends_with("/*");
    std::string pattern = path;
    if (prefix) path.pop_back();  // keep the slash: "/v1/consent/" matches "/v1/consent/x"
    routes_.push_back({method, std::move(path), std::move(pattern), prefix, std::move(h), limits});
}

route_limits router::limits_for(http::verb method, std::string_view target) const {
    const auto path = target_path(target);
    const route* first = nullptr;
    for (const auto& r : routes_) {
        if (!r.matches(path)) continue;
        if (r.method == method) return r.limits;
        if (!first) first = &r;
    }
    return first ? first->limits : route_limits{};
}

std::string_view router::route_name(std::string_view target) const {
    const auto path = target_path(target);
    for (const auto& r : routes_)
        if (r.matches(path)) return r.pattern;
    return "other";
}

void router::dispatch(request_context& context, std::shared_ptr<reply_channel> reply) const {
    const auto& req = context.request;
    const auto path = target_path(req.target());
    std::string allow;
    for (const auto& r : routes_) {
        if (!r.matches(path)) continue;
        if (r.method == req.method()) return r.h(context, std::move(reply));
        if (!allow.empty()) allow += ", ";
        allow += std::string(http::to_string(r.method));
    }
    if (allow.empty())
        return reply->send(
            error_response(req, http::status::not_found, "not_found", "no such resource"));
    auto res = error_response(req, http::status::method_not_allowed, "method_not_allowed",
                              "method not allowed here; see Allow");
    res.set(http::field::allow, allow);
    reply->send(std::move(res));
}

}  // namespace optgate
