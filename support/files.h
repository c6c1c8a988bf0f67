// Durable file operations shared by everything that keeps data on disk (the state, the sim world):
// whole-file reads, atomic replacement, and an exclusive advisory lock across processes.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace kc::support {

// The file's contents; nullopt when it cannot be read, with `missing` telling whether it simply
// does not exist and `error` saying why otherwise.
std::optional<std::string> read_whole_file(const std::string& path, bool* missing,
                                           std::string* error);

// Creates `dir` and its parents when missing.
bool ensure_directory(const std::string& dir, std::string* error);

// Replaces `path` with `contents` so that a reader (or a crash) sees either the old or the new
// file: writes a uniquely named temp file with permissions `mode` in the same directory, fsyncs it,
// renames it over `path` and fsyncs the directory. No temp file outlives a failure.
bool write_file_atomically(const std::string& path, std::string_view contents, mode_t mode,
                           std::string* error);

// The two halves of write_file_atomically, for callers that must know whether the rename happened:
// replace_file stops after the rename; sync_directory_of makes it durable.
bool replace_file(const std::string& path, std::string_view contents, mode_t mode,
                  std::string* error);
bool sync_directory_of(const std::string& path, std::string* error);

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

}  // namespace kc::support
