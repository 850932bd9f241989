// The few system calls through which the journal makes its bytes durable, behind a virtual
// seam so tests can make a write or an fdatasync fail without root or a full disk.
#pragma once

#include <sys/types.h>

#include <cstddef>

namespace optgate {

// The default implementation calls the POSIX functions of the same names. Every method
// follows the POSIX convention: -1 with errno set on failure. Called from the journal's
// writer thread, and from whichever thread runs journal::remove_expired_segments (fsync of
// the directory); an override must be thread-safe.
class journal_file_ops {
  public:
    virtual ~journal_file_ops() = default;
    virtual ssize_t write(int fd, const void* bytes, std::size_t count);
    virtual int fdatasync(int fd);  // a segment's records
    virtual int fsync(int fd);      // the journal directory, after creating or removing a file
};

}  // namespace optgate
