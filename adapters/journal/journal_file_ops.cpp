#include "adapters/journal/journal_file_ops.hpp"

#include <unistd.h>

namespace optgate {

ssize_t journal_file_ops::write(int fd, const void* bytes, std::size_t count) {
    return ::write(fd, bytes, count);
}

int journal_file_ops::fdatasync(int fd) {
    return ::fdatasync(fd);
}

int journal_file_ops::fsync(int fd) {
    return ::fsync(fd);
}

}  // namespace optgate
