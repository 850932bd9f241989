#include "tests/support/stop_load.hpp"

#include <cstdio>
#include <random>

#include "tests/support/http_client.hpp"
#include "tests/support/sms_webhook.hpp"

namespace optgate::testing {

namespace {

std::string from_number(std::uint32_t n) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "+1651%07u", 2000000 + n);
    return buf;
}

std::string tagged_sid(std::uint32_t tag, std::size_t n) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "SM%08x%024zx", tag, n);
    return buf;
}

}  // namespace

stop_load::stop_load(std::function<std::uint16_t()> port, stop_load_options options)
    : port_(std::move(port)),
      options_(options),
      sid_tag_(std::random_device{}()),
      deadline_(std::chrono::steady_clock::now() + options.max_duration) {
    for (unsigned i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { run_client(); });
}

stop_load::~stop_load() {
    stop();
    join();
}

void stop_load::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stopped_.notify_all();
}

void stop_load::join() {
    for (auto& t : threads_)
        if (t.joinable()) t.join();
}

stop_load_counts stop_load::counts() const {
    std::lock_guard lock(mutex_);
    return counts_;
}

std::vector<sent_stop> stop_load::log() const {
    std::lock_guard lock(mutex_);
    return log_;
}

std::vector<stop_attempt> stop_load::attempts() const {
    std::lock_guard lock(mutex_);
    return attempts_;
}

std::vector<std::string> stop_load::acknowledged() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> numbers;
    for (const auto& s : log_)
        if (s.acknowledged()) numbers.push_back(s.from);
    return numbers;
}

bool stop_load::wait_unless_stopped(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    return !stopped_.wait_for(lock, delay, [this] { return stopping_; });
}

void stop_load::run_client() {
    for (;;) {
        std::size_t index;
        http_call call;
        {
            std::lock_guard lock(mutex_);
            if (stopping_ || log_.size() >= options_.max_stops ||
                std::chrono::steady_clock::now() > deadline_)
                return;
            index = log_.size();
            sent_stop stop;
            stop.from = from_number(options_.first_number + static_cast<std::uint32_t>(index));
            stop.message_sid = tagged_sid(sid_tag_, index);
            call = sms_call(stop.from, district_code, "STOP", stop.message_sid);
            call.timeout = options_.request_timeout;
            log_.push_back(std::move(stop));
            ++counts_.started;
        }
        auto delay = options_.first_retry_delay;
        for (unsigned attempt = 0;; ++attempt) {
            const auto sent = std::chrono::steady_clock::now();
            const std::uint16_t port = port_();
            const int status = port == 0 ? 0 : http_request(port, call).status;
            const bool acknowledged = status / 100 == 2;
            {
                std::lock_guard lock(mutex_);
                log_[index].statuses.push_back(status);
                attempts_.push_back({index, sent, std::chrono::steady_clock::now(), status});
                if (acknowledged) {
                    ++counts_.acknowledged;
                    if (attempt > 0) ++counts_.after_retry;
                } else {
                    ++(status == 0 ? counts_.failed : counts_.refused);
                }
            }
            if (acknowledged) break;
            if (attempt + 1 >= options_.attempts || !wait_unless_stopped(delay)) {
                std::lock_guard lock(mutex_);
                ++counts_.given_up;
                break;
            }
            delay *= 2;
        }
        if (options_.pause.count() > 0 && !wait_unless_stopped(options_.pause)) return;
    }
}

}  // namespace optgate::testing
