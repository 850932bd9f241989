#include "tests/support/redis_server.hpp"

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <stdexcept>

namespace optgate::testing {

std::uint16_t free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot find a free port");
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

redis_server::redis_server() {
    start();
}

redis_server::~redis_server() {
    stop();
}

std::string redis_server::url(int database) const {
    return "redis://127.0.0.1:" + std::to_string(port_) + "/" + std::to_string(database);
}

void redis_server::start() {
    for (int attempt = 0; attempt < 5; ++attempt) {
        if (port_ == 0 || attempt > 0) port_ = free_loopback_port();
        process_ = std::make_unique<child_process>(
            std::vector<std::string>{"redis-server", "--port", std::to_string(port_), "--bind",
                                     "127.0.0.1", "--dir", dir_.path().string(), "--save", "",
                                     "--appendonly", "yes", "--appendfsync", "everysec",
                                     "--daemonize", "no", "--logfile", ""},
            dir_.path() / "redis.log");
        const bool up = wait_until(
            [&] {
                if (!process_->running()) return true;
                try {
                    return command({"PING"}).str == "PONG";
                } catch (const std::exception&) {
                    return false;
                }
            },
            std::chrono::seconds(10));
        if (up && process_->running()) return;
        process_->stop(SIGKILL, std::chrono::seconds(5));  // the port was taken meanwhile
    }
    throw std::runtime_error("redis-server did not start: " + process_->log_text());
}

void redis_server::stop() {
    resume();
    if (process_) process_->stop(SIGTERM, std::chrono::seconds(10));
    process_.reset();
}

void redis_server::start_empty() {
    stop();
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path()))
        if (entry.path().filename() != "redis.log") std::filesystem::remove_all(entry.path());
    start();
}

void redis_server::pause() {
    if (process_ && process_->running() && ::kill(process_->pid(), SIGSTOP) == 0) paused_ = true;
}

void redis_server::resume() {
    if (paused_ && process_) ::kill(process_->pid(), SIGCONT);
    paused_ = false;
}

redis_reply redis_server::command(const std::vector<std::string>& args) const {
    return redis_pipeline(port_, {args}).front();
}

std::vector<redis_reply> redis_pipeline(std::uint16_t port,
                                        const std::vector<std::vector<std::string>>& batch) {
    const timeval timeout{5, 0};
    redisContext* c = redisConnectWithTimeout("127.0.0.1", port, timeout);
    if (!c || c->err) {
        if (c) redisFree(c);
        throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
    }
    redisSetTimeout(c, timeout);
    for (const auto& args : batch) {
        std::vector<const char*> argv;
        std::vector<std::size_t> lengths;
        for (const auto& a : args) {
            argv.push_back(a.data());
            lengths.push_back(a.size());
        }
        redisAppendCommandArgv(c, int(argv.size()), argv.data(), lengths.data());
    }
    std::vector<redis_reply> replies;
    replies.reserve(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        void* reply = nullptr;
        if (redisGetReply(c, &reply) != REDIS_OK || !reply) {
            redisFree(c);
            throw std::runtime_error("no answer from 127.0.0.1:" + std::to_string(port));
        }
        replies.push_back(copy_reply(*static_cast<redisReply*>(reply)));
        freeReplyObject(reply);
    }
    redisFree(c);
    return replies;
}

}  // namespace optgate::testing
