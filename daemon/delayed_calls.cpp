#include "daemon/delayed_calls.hpp"

namespace optgate {

void delayed_calls::after(std::chrono::milliseconds delay, std::function<void()> fn) {
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, delay);
    // Under the lock: cancel_all() must not touch the timer while its wait is being started.
    const std::lock_guard lock(mutex_);
    if (cancelled_) return;
    waiting_.insert(timer);
    timer->async_wait([this, timer, fn = std::move(fn)](boost::system::error_code ec) {
        {
            const std::lock_guard lock(mutex_);
            waiting_.erase(timer);
        }
        if (!ec) fn();
    });
}

void delayed_calls::cancel_all() {
    const std::lock_guard lock(mutex_);
    cancelled_ = true;
    for (const auto& timer : waiting_) timer->cancel();
}

}  // namespace optgate
