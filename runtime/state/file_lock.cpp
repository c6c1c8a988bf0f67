// flock-based state locks: acquiring with polling, the owner information in the lock file, and
// breaking a lock for `kc state unlock`.
#include "runtime/state/file_lock.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "support/files.h"

namespace kc::state {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How often a waiting run retries, and how long a run that may not wait still re-reads a lock file
// whose holder has not written its information yet.
constexpr milliseconds kPollInterval{100};
constexpr milliseconds kInfoGrace{300};

std::string current_user() {
  if (const char* user = std::getenv("USER"); user && *user) return user;
  if (const passwd* pw = ::getpwuid(::geteuid()); pw && pw->pw_name) return pw->pw_name;
  return "uid " + std::to_string(::geteuid());
}

std::string current_host() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return {};
  return name;
}

std::string now_rfc3339() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string random_id() {
  std::random_device random;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 4; ++i) {
    uint32_t bits = random();
    for (int j = 0; j < 4; ++j, bits >>= 4)
      id += kHex[bits & 0xf];
  }
  return id;
}

// True when the path still names the inode open as `fd`: a lock on an unlinked file locks nothing.
bool names_inode(const std::string& path, int fd) {
  struct stat by_path {};
  struct stat by_fd {};
  if (::stat(path.c_str(), &by_path) != 0 || ::fstat(fd, &by_fd) != 0) return false;
  return by_path.st_dev == by_fd.st_dev && by_path.st_ino == by_fd.st_ino;
}

std::optional<LockInfo> read_info(int fd) {
  std::string text;
  char buffer[4096];
  off_t offset = 0;
  for (;;) {
    ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
    offset += n;
    if (text.size() > 65536) return std::nullopt;
  }
  return parse_lock_info(text);
}

// Information left by a process on this host that no longer runs: the new holder has locked the
// file but not yet replaced it.
bool is_stale(const LockInfo& info, const std::string& host) {
  if (info.host != host || info.pid <= 0) return false;
  return ::kill(static_cast<pid_t>(info.pid), 0) != 0 && errno == ESRCH;
}

class FileLock final : public StateLock {
 public:
  FileLock(std::string path, int fd, LockInfo info)
      : path_(std::move(path)), fd_(fd), info_(std::move(info)) {}
  ~FileLock() override {
    // Unlink first, so the next run locks a fresh file; skip it when `kc state unlock` already
    // removed ours (the path may name another holder's file now).
    if (names_inode(path_, fd_)) ::unlink(path_.c_str());
    ::close(fd_);
  }
  const LockInfo& info() const override { return info_; }

 private:
  std::string path_;
  int fd_;
  LockInfo info_;
};

}  // namespace

std::string encode_lock_info(const LockInfo& info) {
  nlohmann::ordered_json j;
  j["id"] = info.id;
  j["user"] = info.user;
  j["host"] = info.host;
  j["pid"] = info.pid;
  j["operation"] = info.operation;
  j["created"] = info.created;
  return j.dump(2) + "\n";
}

std::optional<LockInfo> parse_lock_info(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  auto string_field = [&](const char* key) -> std::string {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  LockInfo info;
  info.id = string_field("id");
  if (info.id.empty()) return std::nullopt;
  info.user = string_field("user");
  info.host = string_field("host");
  info.operation = string_field("operation");
  info.created = string_field("created");
  if (auto it = j.find("pid"); it != j.end() && it->is_number_integer()) info.pid = it->get<long>();
  return info;
}

std::unique_ptr<StateLock> acquire_file_lock(const std::string& lock_path,
                                             std::string_view location, std::string_view operation,
                                             milliseconds timeout, diag::Diagnostics& diags) {
  auto fail = [&](const std::string& why) -> std::unique_ptr<StateLock> {
    diags.error(diag::Code::E0505, source::Span{},
                "cannot lock the state `" + std::string(location) + "`: " + why);
    return nullptr;
  };
  std::string error;
  std::string dir = std::filesystem::path(lock_path).parent_path().string();
  if (!support::ensure_directory(dir.empty() ? std::string(".") : dir, &error)) return fail(error);

  const std::string host = current_host();
  const Clock::time_point start = Clock::now();
  const Clock::time_point deadline = start + timeout;
  std::optional<LockInfo> holder;
  for (;;) {
    int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return fail(lock_path + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      if (!names_inode(lock_path, fd)) {  // released or broken between open and flock
        ::close(fd);
        continue;
      }
      LockInfo info{
          random_id(),  current_user(), host, static_cast<long>(::getpid()), std::string(operation),
          now_rfc3339()};
      std::string text = encode_lock_info(info);
      if (::ftruncate(fd, 0) != 0 ||
          ::pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
        std::string why = std::strerror(errno);
        ::unlink(lock_path.c_str());
        ::close(fd);
        return fail("cannot write " + lock_path + ": " + why);
      }
      return std::make_unique<FileLock>(lock_path, fd, std::move(info));
    }
    if (errno != EWOULDBLOCK) {
      std::string why = std::strerror(errno);
      ::close(fd);
      return fail(lock_path + ": " + why);
    }
    std::optional<LockInfo> read = read_info(fd);
    ::close(fd);
    bool current = read && !is_stale(*read, host);
    if (current) holder = std::move(read);

    Clock::time_point now = Clock::now();
    // A holder that has just taken the lock writes its information a moment later: a run that may
    // not wait still retries briefly so that it can name the holder.
    bool in_grace = !current && now < start + kInfoGrace;
    if (now >= deadline && !in_grace) break;
    milliseconds pause = in_grace ? milliseconds(10) : kPollInterval;
    if (now < deadline) {
      pause = std::min(pause,
                       std::chrono::duration_cast<milliseconds>(deadline - now) + milliseconds(1));
    }
    std::this_thread::sleep_for(pause);
  }
  report_locked(diags, location, holder);
  return nullptr;
}

UnlockResult break_file_lock(const std::string& lock_path, std::string_view lock_id) {
  UnlockResult result;
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return result;  // NotLocked
    result.outcome = UnlockResult::Outcome::Failed;
    result.error = lock_path + ": " + std::strerror(errno);
    return result;
  }
  result.holder = read_info(fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
    // Nobody holds it: the file is what a dead process left. Remove it while we hold it.
    result.holder = read_info(fd);
    if (names_inode(lock_path, fd)) ::unlink(lock_path.c_str());
    ::close(fd);
    return result;
  }
  if (errno != EWOULDBLOCK) {
    result.outcome = UnlockResult::Outcome::Failed;
    result.error = lock_path + ": " + std::strerror(errno);
    ::close(fd);
    return result;
  }
  result.holder = read_info(fd);
  if (!result.holder || result.holder->id != lock_id) {
    result.outcome = UnlockResult::Outcome::Mismatch;
    ::close(fd);
    return result;
  }
  if (!names_inode(lock_path, fd)) {
    // The holder released it between our read and now (someone else may hold a new lock).
    ::close(fd);
    return result;  // NotLocked
  }
  if (::unlink(lock_path.c_str()) != 0) {
    result.outcome = UnlockResult::Outcome::Failed;
    result.error = "cannot remove " + lock_path + ": " + std::strerror(errno);
    ::close(fd);
    return result;
  }
  ::close(fd);
  result.outcome = UnlockResult::Outcome::Broken;
  return result;
}

}  // namespace kc::state
