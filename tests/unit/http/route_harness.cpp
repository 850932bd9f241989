#include "tests/unit/http/route_harness.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <cctype>

#include "adapters/http/api_routes.hpp"
#include "adapters/http/http_response.hpp"
#include "config/settings_loader.hpp"
#include "tests/support/daemon_process.hpp"

namespace optgate::testing {
namespace {

settings_snapshot parsed(const std::string& config_yaml) {
    return std::make_shared<const settings>(parse_settings(config_yaml, "/nonexistent"));
}

// Keeps what a route answers: a response, or a streamed one, each piece asked for as soon
// as the last is written (as a session does), whether it comes at once or later in the
// request's call (a fake store answers inline, so a whole request is one call).
class captured_reply final : public reply_channel {
  public:
    void send(http_response response) override {
        EXPECT_FALSE(answer_) << "a route answered twice";
        answer_ = std::move(response);
    }
    void stream(http_response head, chunk_source source) override {
        EXPECT_FALSE(answer_) << "a route answered twice";
        answer_ = std::move(head);
        source_ = std::move(source);
        streaming_ = true;
        ask();
    }
    // The answer, once it is whole; a test failure if a stream did not end.
    std::optional<http_response>& answer() {
        if (streaming_) ADD_FAILURE() << "a streamed answer did not end";
        return answer_;
    }
    bool aborted() const { return aborted_; }

  private:
    void ask() {
        if (asking_) {  // a piece came at once: ask again when the current ask returns
            again_ = true;
            return;
        }
        asking_ = true;
        do {
            again_ = false;
            source_(chunk_sink{[this](std::optional<std::string> chunk) {
                                   if (!chunk) return finish();
                                   answer_->body() += *chunk;
                                   ask();
                               },
                               [this] {
                                   aborted_ = true;
                                   finish();
                               }});
        } while (again_ && streaming_);
        asking_ = false;
        if (!streaming_) source_ = nullptr;  // not while it runs
    }
    void finish() { streaming_ = false; }

    std::optional<http_response> answer_;
    chunk_source source_;
    bool streaming_ = false, asking_ = false, again_ = false, aborted_ = false;
};

http_result result_of(const http_response& response) {
    http_result out;
    out.status = response.result_int();
    for (const auto& field : response) {
        std::string name(field.name_string());
        for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
        out.headers[name] = std::string(field.value());
    }
    out.body = response.body();
    return out;
}

}  // namespace

route_harness::route_harness(const std::string& extra, const std::string& extra_providers)
    // An aggregate: braces (clang 14 has no parenthesised aggregate initialisation).
    : service_(new service_context{
          parsed(default_test_config(redis_url, key_prefix, extra, extra_providers)), consent,
          consent, tokens, event_counts_, [this] { return now; }}),
      routes_(make_api_routes(*service_)) {
    // A long poll's next look comes at once, the clock moved on by its delay.
    service_->after = [this](std::chrono::milliseconds delay, std::function<void()> look) {
        now += delay.count();
        look();
    };
    // Routes log through the default logger; at the level default_test_config sets, no time.
    previous_logger_ = spdlog::default_logger();
    auto logger = std::make_shared<spdlog::logger>(
        "route_harness", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_));
    logger->set_pattern("%l %v");
    logger->set_level(spdlog::level::debug);
    spdlog::set_default_logger(std::move(logger));
}

route_harness::~route_harness() {
    spdlog::set_default_logger(previous_logger_);
}

void route_harness::reload(const std::string& extra, const std::string& extra_providers) {
    load(default_test_config(redis_url, key_prefix, extra, extra_providers));
}

void route_harness::load(const std::string& config_yaml) {
    service_->config.store(parsed(config_yaml));
}

http_result route_harness::request(const http_call& call) const {
    request_context context;
    auto& req = context.request;
    req.method_string(call.method);
    req.target(call.target);
    req.version(11);
    for (const auto& [name, value] : call.headers) req.set(name, value);
    req.body() = call.body;
    req.prepare_payload();
    context.request_id = "unit";
    ++now;
    // As the session does before it reads the body: the route's limit and header checks.
    const auto limits = routes_.limits_for(req.method(), req.target());
    if (req.body().size() > limits.body_limit)
        return result_of(error_response(req, http::status::payload_too_large, "body_too_large",
                                        "request body exceeds the route's limit"));
    if (limits.before_body)
        if (auto refusal = limits.before_body(req)) return result_of(*refusal);
    auto reply = std::make_shared<captured_reply>();
    routes_.dispatch(context, reply);
    if (!reply->answer()) return {};
    auto result = result_of(*reply->answer());
    result.complete = !reply->aborted();
    return result;
}

}  // namespace optgate::testing
