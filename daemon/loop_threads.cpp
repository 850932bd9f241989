#include "daemon/loop_threads.hpp"

#include <algorithm>

namespace optgate {

loop_threads::loop_threads(std::size_t count)
    : count_(count), returned_(std::make_unique<std::atomic<clock::rep>[]>(count)) {
    const auto now = clock::now().time_since_epoch().count();
    for (std::size_t i = 0; i < count_; ++i) returned_[i] = now;
}

void loop_threads::run(boost::asio::io_context& ioc, std::size_t index, clock::duration poll) {
    while (!ioc.stopped()) {
        ioc.run_one_for(poll);
        returned_[index] = clock::now().time_since_epoch().count();
    }
}

loop_threads::clock::duration loop_threads::longest_stuck(clock::time_point now) const {
    clock::duration longest{0};
    for (std::size_t i = 0; i < count_; ++i)
        longest = std::max(longest, now - clock::time_point(clock::duration(returned_[i].load())));
    return longest;
}

}  // namespace optgate
