// POSIX file helpers of the sim world: reads, atomic writes and flock-based locking.
#include "support/files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace kc::support {
namespace {

std::string errno_text(const std::string& what, const std::string& path) {
  return what + " `" + path + "`: " + std::strerror(errno);
}

// open(2) that retries when interrupted by a signal.
int open_retrying(const std::string& path, int flags, mode_t mode = 0) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

std::optional<std::string> read_whole_file(const std::string& path, bool* missing,
                                           std::string* error) {
  *missing = false;
  int fd = open_retrying(path, O_RDONLY);
  if (fd < 0) {
    if (errno == ENOENT) {
      *missing = true;
    } else {
      *error = errno_text("cannot open", path);
    }
    return std::nullopt;
  }
  std::string text;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = errno_text("cannot read", path);
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

bool ensure_directory(const std::string& dir, std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *error = "cannot create directory `" + dir + "`: " + ec.message();
    return false;
  }
  return true;
}

bool write_file_atomically(const std::string& path, std::string_view contents, mode_t mode,
                           std::string* error) {
  return replace_file(path, contents, mode, error) && sync_directory_of(path, error);
}

bool replace_file(const std::string& path, std::string_view contents, mode_t mode,
                  std::string* error) {
  std::string temp = path + ".tmp-XXXXXX";
  int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) {
    *error = errno_text("cannot create a temporary file beside", path);
    return false;
  }
  if (::fchmod(fd, mode) != 0 || !write_all(fd, contents) || ::fsync(fd) != 0) {
    *error = errno_text("cannot write", temp);
    ::close(fd);
    ::unlink(temp.c_str());
    return false;
  }
  if (::close(fd) != 0) {
    *error = errno_text("cannot write", temp);
    ::unlink(temp.c_str());
    return false;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    *error = errno_text("cannot replace", path);
    ::unlink(temp.c_str());
    return false;
  }
  return true;
}

bool sync_directory_of(const std::string& path, std::string* error) {
  // A rename is durable only once the directory entry is.
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  int dir_fd = open_retrying(dir, O_RDONLY | O_DIRECTORY);
  if (dir_fd < 0) {
    *error = errno_text("cannot open directory", dir);
    return false;
  }
  bool synced = ::fsync(dir_fd) == 0;
  if (!synced) *error = errno_text("cannot sync directory", dir);
  ::close(dir_fd);
  return synced;
}

std::optional<FileLock> FileLock::acquire(const std::string& path, std::string* error) {
  int fd = open_retrying(path, O_RDWR | O_CREAT, 0644);
  if (fd < 0) {
    *error = errno_text("cannot open lock file", path);
    return std::nullopt;
  }
  int rc;
  do {
    rc = ::flock(fd, LOCK_EX);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    *error = errno_text("cannot lock", path);
    ::close(fd);
    return std::nullopt;
  }
  return FileLock(fd);
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(other.fd_) {
  other.fd_ = -1;
}

FileLock::~FileLock() {
  if (fd_ >= 0) {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
}

}  // namespace kc::support
