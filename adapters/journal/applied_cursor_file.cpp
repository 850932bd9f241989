#include "adapters/journal/applied_cursor_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <string>

#include "adapters/journal/unique_fd.hpp"

namespace optgate {
namespace {

constexpr const char* cursor_name = "applied";
constexpr const char* temp_name = "applied.tmp";
constexpr std::size_t max_cursor_text = 32;

std::error_code last_errno() {
    return {errno, std::system_category()};
}

}  // namespace

std::uint64_t read_applied_cursor(const std::filesystem::path& dir, std::error_code& ec) {
    ec.clear();
    unique_fd fd(::open((dir / cursor_name).c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        if (errno != ENOENT) ec = last_errno();
        return 0;
    }
    char text[max_cursor_text];
    ssize_t got;
    do {
        got = ::read(fd.get(), text, sizeof text);
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
        ec = last_errno();
        return 0;
    }
    const char* end = text + got;
    std::uint64_t seq = 0;
    auto [digits_end, parse_ec] = std::from_chars(text, end, seq);
    if (parse_ec != std::errc{} || digits_end + 1 != end || *digits_end != '\n') return 0;
    return seq;
}

std::error_code write_applied_cursor(const std::filesystem::path& dir, std::uint64_t seq) {
    const std::string text = std::to_string(seq) + "\n";
    const auto temp = dir / temp_name;
    unique_fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!fd) return last_errno();
    ssize_t written;
    do {
        written = ::write(fd.get(), text.data(), text.size());
    } while (written < 0 && errno == EINTR);
    if (written < 0) return last_errno();
    if (static_cast<std::size_t>(written) != text.size())
        return std::make_error_code(std::errc::no_space_on_device);
    if (::close(fd.release()) != 0) return last_errno();
    if (::rename(temp.c_str(), (dir / cursor_name).c_str()) != 0) return last_errno();
    return {};
}

}  // namespace optgate
