#include "tests/support/sentinel_cluster.hpp"

#include <signal.h>

#include <fstream>
#include <stdexcept>

#include "tests/support/redis_server.hpp"

namespace optgate::testing {
namespace {

constexpr auto start_deadline = std::chrono::seconds(15);

bool answers_ping(std::uint16_t port) {
    try {
        return sentinel_cluster::command(port, {"PING"}).str == "PONG";
    } catch (const std::exception&) {
        return false;
    }
}

// Starts `argv` (whose port is argv's business) and waits until it answers PING, or it exits
// (its port was taken meanwhile: the caller picks another).
bool start_process(std::unique_ptr<child_process>& process, std::vector<std::string> argv,
                   const std::filesystem::path& log, std::uint16_t port) {
    process = std::make_unique<child_process>(std::move(argv), log);
    const bool up = wait_until([&] { return !process->running() || answers_ping(port); },
                               std::chrono::seconds(10));
    if (up && process->running()) return true;
    process->stop(SIGKILL, std::chrono::seconds(5));
    return false;
}

}  // namespace

std::string info_field(const std::string& info, const std::string& field) {
    const auto at = info.find(field + ":");
    if (at == std::string::npos || (at != 0 && info[at - 1] != '\n')) return "";
    const auto start = at + field.size() + 1;
    return info.substr(start, info.find_first_of("\r\n", start) - start);
}

sentinel_cluster::sentinel_cluster(std::string master_name) : master_name_(std::move(master_name)) {
    for (std::size_t i = 0; i < data_.size(); ++i)
        data_[i].dir = dir_.path() / ("data-" + std::to_string(i));
    for (std::size_t i = 0; i < sentinels_.size(); ++i)
        sentinels_[i].dir = dir_.path() / ("sentinel-" + std::to_string(i));
    start_data_node(data_[0], 0);
    start_data_node(data_[1], data_[0].port);
    if (!wait_until_replica_synced())
        throw std::runtime_error("the replica did not sync: " + data_[1].process->log_text());
    for (auto& s : sentinels_) start_sentinel(s, true);
    // A sentinel learns the replica from the master's INFO, then connects to it; until then
    // SENTINEL FAILOVER answers NOGOODSLAVE.
    for (auto& s : sentinels_)
        if (!wait_until([&] { return sentinel_knows_replica(s); }, start_deadline))
            throw std::runtime_error("a sentinel did not find the replica: " +
                                     s.process->log_text());
}

sentinel_cluster::~sentinel_cluster() {
    for (auto& s : sentinels_) stop(s);
    for (auto& d : data_) stop(d);
}

std::vector<std::uint16_t> sentinel_cluster::sentinel_ports() const {
    std::vector<std::uint16_t> ports;
    for (const auto& s : sentinels_) ports.push_back(s.port);
    return ports;
}

void sentinel_cluster::start_data_node(node& n, std::uint16_t replica_of) {
    std::filesystem::create_directories(n.dir);
    for (int attempt = 0; attempt < 5; ++attempt) {
        n.port = free_loopback_port();
        std::vector<std::string> argv{"redis-server",
                                      "--port",
                                      std::to_string(n.port),
                                      "--bind",
                                      "127.0.0.1",
                                      "--dir",
                                      n.dir.string(),
                                      "--save",
                                      "",
                                      "--appendonly",
                                      "no",
                                      "--repl-diskless-sync-delay",
                                      "0",
                                      "--daemonize",
                                      "no",
                                      "--logfile",
                                      ""};
        if (replica_of != 0) {
            argv.insert(argv.end(), {"--replicaof", "127.0.0.1", std::to_string(replica_of)});
        }
        if (start_process(n.process, argv, n.dir / "redis.log", n.port)) return;
    }
    throw std::runtime_error("redis-server did not start: " + n.process->log_text());
}

void sentinel_cluster::start_sentinel(node& n, bool write_config) {
    std::filesystem::create_directories(n.dir);
    const auto config = n.dir / "sentinel.conf";
    for (int attempt = 0; attempt < 5; ++attempt) {
        if (write_config) {
            n.port = free_loopback_port();
            std::ofstream out(config, std::ios::trunc);
            out << "port " << n.port << "\nbind 127.0.0.1\ndir " << n.dir.string()
                << "\ndaemonize no\nlogfile \"\"\n"
                << "sentinel monitor " << master_name_ << " 127.0.0.1 " << data_[0].port
                << " 2\nsentinel down-after-milliseconds " << master_name_
                << " 1000\nsentinel failover-timeout " << master_name_ << " 5000\n";
        }
        if (start_process(n.process, {"redis-server", config.string(), "--sentinel"},
                          n.dir / "sentinel.log", n.port) &&
            wait_until([&] { return master_port_of(n) != 0; }, start_deadline))
            return;
        if (!write_config) break;  // its port is in its config: it cannot move
    }
    throw std::runtime_error("redis sentinel did not start: " +
                             (n.process ? n.process->log_text() : std::string()));
}

std::uint16_t sentinel_cluster::master_port_of(const node& n) const {
    try {
        const auto reply = command(n.port, {"SENTINEL", "get-master-addr-by-name", master_name_});
        if (reply.elements.size() == 2)
            return static_cast<std::uint16_t>(std::stoi(reply.elements[1].str));
    } catch (const std::exception&) {
    }
    return 0;
}

bool sentinel_cluster::sentinel_knows_replica(const node& n) const {
    try {
        const auto reply = command(n.port, {"SENTINEL", "replicas", master_name_});
        for (const auto& replica : reply.elements)
            for (std::size_t i = 0; i + 1 < replica.elements.size(); i += 2)
                if (replica.elements[i].str == "flags" && replica.elements[i + 1].str == "slave")
                    return true;
    } catch (const std::exception&) {
    }
    return false;
}

void sentinel_cluster::stop(node& n) {
    if (!n.process) return;
    if (n.paused) ::kill(n.process->pid(), SIGCONT);
    n.paused = false;
    n.process->stop(SIGTERM, std::chrono::seconds(10));
    n.process.reset();
}

std::uint16_t sentinel_cluster::master_port() const {
    for (const auto& s : sentinels_)
        if (s.process && !s.paused)
            if (const auto port = master_port_of(s)) return port;
    throw std::runtime_error("no sentinel names the master");
}

std::uint16_t sentinel_cluster::replica_port() const {
    const auto master = master_port();
    return data_[0].port == master ? data_[1].port : data_[0].port;
}

bool sentinel_cluster::wait_until_replica_synced(std::chrono::milliseconds timeout) {
    return wait_until(
        [&] {
            try {
                // Before the sentinels run, the first node is the master by construction.
                const bool sentinels_up = sentinels_[0].process != nullptr;
                const auto master = sentinels_up ? master_port() : data_[0].port;
                const auto replica = master == data_[0].port ? data_[1].port : data_[0].port;
                const auto wanted = std::stoll(
                    info_field(command(master, {"INFO", "replication"}).str, "master_repl_offset"));
                const auto info = command(replica, {"INFO", "replication"}).str;
                return info_field(info, "role") == "slave" &&
                       info_field(info, "master_port") == std::to_string(master) &&
                       info_field(info, "master_link_status") == "up" &&
                       std::stoll(info_field(info, "slave_repl_offset")) >= wanted;
            } catch (const std::exception&) {
                return false;
            }
        },
        timeout);
}

std::uint16_t sentinel_cluster::failover(std::chrono::milliseconds timeout) {
    const auto old_master = master_port();
    const auto target = old_master == data_[0].port ? data_[1].port : data_[0].port;
    const auto reply = command(sentinels_[0].port, {"SENTINEL", "failover", master_name_});
    if (reply.is_error()) throw std::runtime_error("SENTINEL FAILOVER refused: " + reply.str);
    const bool done = wait_until(
        [&] {
            for (const auto& s : sentinels_)
                if (master_port_of(s) != target) return false;
            try {
                const auto role = command(target, {"ROLE"});
                return !role.elements.empty() && role.elements[0].str == "master";
            } catch (const std::exception&) {
                return false;
            }
        },
        timeout);
    if (!done) throw std::runtime_error("the failover did not complete in time");
    return target;
}

void sentinel_cluster::stop_sentinels() {
    for (auto& s : sentinels_) stop(s);
}

void sentinel_cluster::start_sentinels() {
    for (auto& s : sentinels_)
        if (!s.process) start_sentinel(s, false);
}

void sentinel_cluster::pause_sentinel(std::size_t index) {
    auto& s = sentinels_.at(index);
    if (s.process && !s.paused && ::kill(s.process->pid(), SIGSTOP) == 0) s.paused = true;
}

void sentinel_cluster::resume_sentinel(std::size_t index) {
    auto& s = sentinels_.at(index);
    if (s.process && s.paused) ::kill(s.process->pid(), SIGCONT);
    s.paused = false;
}

redis_reply sentinel_cluster::command(std::uint16_t port, const std::vector<std::string>& args) {
    return redis_pipeline(port, {args}).front();
}

}  // namespace optgate::testing
