#include "adapters/pipeline/redis_memory_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <random>
#include <system_error>

#include <spdlog/spdlog.h>

namespace optgate {
namespace {

constexpr const char* instance_file = "instance-id";
constexpr const char* run_id_file = "redis-run-id";
constexpr const char* peers_file = "peers";
constexpr const char* evictions_file = "redis-evictions";

std::error_code write_all_and_sync(int fd, const std::string& text) {
    for (std::size_t done = 0; done < text.size();) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return {errno, std::system_category()};
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) return {errno, std::system_category()};
    return {};
}

// The file holds `text` once this returns true; else it holds what it held before.
bool write_whole(const std::filesystem::path& dir, const char* name, const std::string& text) {
    const auto temp = dir / (std::string(name) + ".tmp");
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    std::error_code ec =
        fd < 0 ? std::error_code(errno, std::system_category()) : write_all_and_sync(fd, text);
    if (fd >= 0 && ::close(fd) != 0 && !ec) ec = {errno, std::system_category()};
    if (!ec && ::rename(temp.c_str(), (dir / name).c_str()) != 0)
        ec = {errno, std::system_category()};
    if (!ec) {
        const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd >= 0) {
            ::fsync(dir_fd);
            ::close(dir_fd);
        }
    }
    if (ec) {
        spdlog::error("journal: cannot write {}: {}", (dir / name).string(), ec.message());
        std::filesystem::remove(temp, ec);
    }
    return !ec;
}

std::string first_line(const std::filesystem::path& path) {
    std::string line;
    std::getline(std::ifstream(path), line);
    return line;
}

}  // namespace

redis_memory_files::redis_memory_files(std::filesystem::path state_dir)
    : dir_(std::move(state_dir)) {}

std::string redis_memory_files::instance_id() const {
    if (auto id = first_line(dir_ / instance_file); !id.empty()) return id;
    std::random_device random;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%08x%08x", random(), random());
    // Not kept (a full disk): a new id on the next start, which the others then wait for too.
    write_whole(dir_, instance_file, std::string(buf) + "\n");
    return buf;
}

redis_memory redis_memory_files::load(const std::string& instance) const {
    redis_memory memory;
    memory.instance = instance;
    memory.known_run_id = first_line(dir_ / run_id_file);
    std::ifstream peers(dir_ / peers_file);
    for (std::string line; std::getline(peers, line);)
        if (!line.empty() && line != instance) memory.peers.insert(line);
    std::ifstream evictions(dir_ / evictions_file);
    std::string unreviewed, counted;
    std::getline(evictions, unreviewed);
    std::getline(evictions, counted);
    std::getline(evictions, memory.review_consumed);
    memory.evictions_unreviewed = unreviewed == "1";
    std::from_chars(counted.data(), counted.data() + counted.size(), memory.evictions_counted);
    return memory;
}

void redis_memory_files::save_run_id(const std::string& run_id) const {
    write_whole(dir_, run_id_file, run_id + "\n");
}

void redis_memory_files::save_peers(const std::set<std::string>& peers) const {
    std::string lines;
    for (const auto& peer : peers) lines += peer + "\n";
    write_whole(dir_, peers_file, lines);
}

void redis_memory_files::save_evictions(const redis_memory& memory) const {
    write_whole(dir_, evictions_file,
                std::string(memory.evictions_unreviewed ? "1" : "0") + "\n" +
                    std::to_string(memory.evictions_counted) + "\n" + memory.review_consumed +
                    "\n");
}

}  // namespace optgate
