// The POSIX file operations the sim world needs: whole-file reads, atomic replacement and an
// exclusive advisory lock shared by every process working on the same module directory.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kc::sim {

// The file's contents; nullopt when it cannot be read, with `missing` telling whether it simply
// does not exist and `error` saying why otherwise.
std::optional<std::string> read_whole_file(const std::string& path, bool* missing,
                                           std::string* error);

// Creates `dir` and its parents when missing.
bool ensure_directory(const std::string& dir, std::string* error);

// Replaces `path` with `contents` so that a reader (or a crash) sees either the old or the new
// file: writes `path`.tmp in the same directory, fsyncs it, renames it over `path` and fsyncs the
// directory. The caller holds the FileLock, so one temp name is enough.
bool write_file_atomically(const std::string& path, std::string_view contents, std::string* error);

// An exclusive flock(2) on a lock file, released on destruction. Blocks until the lock is free.
// flock locks belong to the open file description, so two holders in one process exclude each
// other just as two processes do.
class FileLock {
 public:
  static std::optional<FileLock> acquire(const std::string& path, std::string* error);
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace kc::sim
