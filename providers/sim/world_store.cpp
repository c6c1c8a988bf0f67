// WorldStore: the cached world kept up to date from world.json and world.journal, changes appended
// to the journal under the world's lock, group-committed syncs, and compaction.
#include "providers/sim/world_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "providers/sim/world_journal.h"
#include "support/files.h"

namespace kc::sim {
namespace {

// The world holds secret material (keys, join tokens, kubeconfig credentials), like the state.
constexpr mode_t kWorldFileMode = 0600;

diag::Diagnostic& world_error(diag::Diagnostics& diagnostics, std::string message) {
  return diagnostics.error(diag::Code::E0504, source::Span{}, std::move(message));
}

std::string errno_message(const std::string& what, const std::string& path) {
  return what + " `" + path + "`: " + std::strerror(errno);
}

}  // namespace

std::optional<SimWorld> SimWorld::load(const std::string& module_dir,
                                       diag::Diagnostics& diagnostics) {
  WorldStore store(module_dir, /*fold_on_close=*/false);
  const SimWorld* world = store.current(diagnostics);
  if (world == nullptr) return std::nullopt;
  return *world;
}

WorldStore::WorldStore(std::string module_dir, bool fold_on_close)
    : module_dir_(std::move(module_dir)),
      path_(world_path(module_dir_)),
      journal_path_(journal_path(module_dir_)),
      fold_on_close_(fold_on_close) {}

WorldStore::~WorldStore() {
  if (fold_on_close_) {
    diag::Diagnostics ignored;  // a world that cannot be folded now is folded by the next store
    fold(ignored);
  }
  if (journal_fd_ >= 0) ::close(journal_fd_);
}

std::optional<WorldStore::FileIdentity> WorldStore::identify(const std::string& path,
                                                             diag::Diagnostics& diagnostics) const {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return FileIdentity{};
    world_error(diagnostics, errno_message("cannot read the sim world", path));
    return std::nullopt;
  }
  FileIdentity identity;
  identity.exists = true;
  identity.device = info.st_dev;
  identity.inode = info.st_ino;
  identity.size = info.st_size;
  identity.mtime_ns = int64_t{info.st_mtim.tv_sec} * 1'000'000'000 + info.st_mtim.tv_nsec;
  return identity;
}

namespace {

// Whether two identities name the same file (the journal's size and time change as it grows).
template <typename Identity>
bool same_file(const Identity& a, const Identity& b) {
  return a.exists == b.exists && a.device == b.device && a.inode == b.inode;
}

// The bytes of `path` from `offset` to its end; nullopt with errno set when it cannot be read.
std::optional<std::string> read_from(const std::string& path, int64_t offset) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? std::optional<std::string>(std::string()) : std::nullopt;
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int saved = errno;
      ::close(fd);
      errno = saved;
      return std::nullopt;
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
    offset += n;
  }
  ::close(fd);
  return bytes;
}

}  // namespace

const SimWorld* WorldStore::current(diag::Diagnostics& diagnostics) {
  std::optional<FileIdentity> snapshot = identify(path_, diagnostics);
  if (!snapshot) return nullptr;
  std::optional<FileIdentity> journal = identify(journal_path_, diagnostics);
  if (!journal) return nullptr;
  if (valid_ && *snapshot == snapshot_ && same_file(*journal, journal_) &&
      journal->size == journal_seen_) {
    return &cached_;
  }
  return refresh(/*locked=*/false, diagnostics);
}

const SimWorld* WorldStore::refresh(bool locked, diag::Diagnostics& diagnostics) {
  // Under the lock no compaction can run between reading the snapshot and the journal. Without a
  // sim directory there is nothing to read; a lock that cannot be taken (a read-only module) means
  // reading without it, as before the journal existed.
  struct stat directory {};
  std::string ignored;
  std::optional<support::FileLock> lock =
      !locked && ::stat(sim_directory(module_dir_).c_str(), &directory) == 0
          ? support::FileLock::acquire(lock_path(module_dir_), &ignored)
          : std::nullopt;
  std::optional<FileIdentity> snapshot = identify(path_, diagnostics);
  if (!snapshot) return nullptr;
  std::optional<FileIdentity> journal = identify(journal_path_, diagnostics);
  if (!journal) return nullptr;

  if (!valid_ || !(*snapshot == snapshot_) || !same_file(*journal, journal_) ||
      journal->size < offset_) {
    valid_ = false;
    SimWorld world;
    snapshot_bytes_ = 0;
    if (snapshot->exists) {
      bool missing = false;
      std::string error;
      std::optional<std::string> text = support::read_whole_file(path_, &missing, &error);
      if (!text && !missing) {
        world_error(diagnostics, "cannot read the sim world: " + error);
        return nullptr;
      }
      if (text) {
        std::optional<SimWorld> parsed = SimWorld::parse(*text, path_, diagnostics);
        if (!parsed) return nullptr;
        world = std::move(*parsed);
        snapshot_bytes_ = static_cast<int64_t>(text->size());
      }
    }
    cached_ = std::move(world);
    snapshot_ = *snapshot;
    offset_ = 0;
    journal_seen_ = 0;
  }
  journal_ = *journal;
  if (journal->exists && journal->size == journal_seen_) {
    // Nothing added since the last read (a writer refreshing before its change).
  } else if (journal->exists) {
    std::optional<std::string> bytes = read_from(journal_path_, offset_);
    if (!bytes) {
      world_error(diagnostics, errno_message("cannot read the sim journal", journal_path_));
      valid_ = false;
      return nullptr;
    }
    JournalReplay replay = replay_journal(cached_, *bytes);
    if (!replay.error.empty()) {
      world_error(diagnostics, "corrupt sim journal `" + journal_path_ + "`: " + replay.error)
          .with_note("move world.journal away to go back to the world in world.json alone");
      valid_ = false;
      return nullptr;
    }
    journal_seen_ = offset_ + static_cast<int64_t>(bytes->size());
    offset_ += static_cast<int64_t>(replay.consumed);
  } else {
    journal_seen_ = offset_ = 0;
  }
  valid_ = true;
  return &cached_;
}

bool WorldStore::open_journal(diag::Diagnostics& diagnostics) {
  std::lock_guard<std::mutex> guard(sync_mutex_);
  struct stat on_disk {};
  const bool exists = ::stat(journal_path_.c_str(), &on_disk) == 0;
  if (journal_fd_ >= 0) {
    struct stat open_file {};
    if (exists && ::fstat(journal_fd_, &open_file) == 0 && open_file.st_dev == on_disk.st_dev &&
        open_file.st_ino == on_disk.st_ino) {
      return true;
    }
    ::close(journal_fd_);  // the file was removed or replaced behind our back
    journal_fd_ = -1;
  }
  journal_fd_ =
      ::open(journal_path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, kWorldFileMode);
  if (journal_fd_ < 0) {
    world_error(diagnostics, errno_message("cannot open the sim journal", journal_path_));
    return false;
  }
  std::string error;
  if (!exists && !support::sync_directory_of(journal_path_, &error)) {
    world_error(diagnostics, "cannot write the sim journal: " + error);
    return false;
  }
  return true;
}

bool WorldStore::modify(const std::function<bool(SimWorld&, diag::Diagnostics&)>& change,
                        diag::Diagnostics& diagnostics) {
  uint64_t ticket = 0;
  if (!modify_unsynced(change, diagnostics, &ticket)) return false;
  return sync(ticket, diagnostics);
}

bool WorldStore::modify_unsynced(const std::function<bool(SimWorld&, diag::Diagnostics&)>& change,
                                 diag::Diagnostics& diagnostics, uint64_t* ticket) {
  *ticket = 0;
  std::optional<support::FileLock> lock = lock_for_writing(diagnostics);
  if (!lock) return false;
  const size_t errors_before = diagnostics.error_count();
  cached_.begin_tracking();
  const bool changed = change(cached_, diagnostics);
  if (diagnostics.error_count() > errors_before || !changed) {
    cached_.rollback_tracking();
    return diagnostics.error_count() == errors_before;
  }
  if (!snapshot_.exists || cached_.generation() == 0) {
    // No snapshot of this format to follow yet: write one (small, and only once).
    cached_.end_tracking();
    return compact_locked(diagnostics);
  }
  const std::string line = encode_journal_line(cached_.tracked_record());
  if (!open_journal(diagnostics)) {
    cached_.rollback_tracking();
    return false;
  }
  // A record torn by a killed writer is cut off, so that this one starts on a line of its own.
  if (journal_seen_ > offset_ && ::ftruncate(journal_fd_, static_cast<off_t>(offset_)) != 0) {
    world_error(diagnostics, errno_message("cannot write the sim journal", journal_path_));
    cached_.rollback_tracking();
    return false;
  }
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(journal_fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      world_error(diagnostics, errno_message("cannot write the sim journal", journal_path_));
      cached_.rollback_tracking();
      valid_ = false;  // a partial record may be on disk: read everything again next time
      return false;
    }
    done += static_cast<size_t>(n);
  }
  cached_.end_tracking();
  offset_ += static_cast<int64_t>(line.size());
  journal_seen_ = offset_;
  struct stat info {};
  if (::fstat(journal_fd_, &info) == 0) {
    journal_.exists = true;
    journal_.device = info.st_dev;
    journal_.inode = info.st_ino;
    journal_.size = info.st_size;
  }
  *ticket = written_.fetch_add(1) + 1;
  if (offset_ > std::max<int64_t>(2 * snapshot_bytes_, compaction_bytes_)) {
    diag::Diagnostics ignored;  // the change is written; a failed compaction is retried later
    compact_locked(ignored);
  }
  return true;
}

bool WorldStore::sync(uint64_t ticket, diag::Diagnostics& diagnostics) {
  if (ticket == 0) return true;
  std::lock_guard<std::mutex> guard(sync_mutex_);
  if (durable_ >= ticket) return true;  // an fdatasync or a compaction since covered it
  const uint64_t target = written_.load();
  if (journal_fd_ >= 0 && ::fdatasync(journal_fd_) != 0) {
    world_error(diagnostics, errno_message("cannot write the sim journal", journal_path_));
    return false;
  }
  durable_ = std::max(durable_, target);
  return true;
}

bool WorldStore::compact_locked(diag::Diagnostics& diagnostics) {
  const int64_t previous = cached_.generation();
  cached_.set_generation(previous + 1);
  const std::string text = cached_.to_json().dump(2) + "\n";
  std::string error;
  if (!support::write_file_atomically(path_, text, kWorldFileMode, &error)) {
    cached_.set_generation(previous);
    valid_ = false;  // reread world.json and the journal next time
    world_error(diagnostics, "cannot write the sim world: " + error);
    return false;
  }
  {
    // The journal's records belong to the previous generation now: drop them. Should this not
    // reach the disk, replay skips them by their generation.
    std::lock_guard<std::mutex> guard(sync_mutex_);
    if (journal_fd_ >= 0) {
      if (::ftruncate(journal_fd_, 0) != 0) valid_ = false;
    } else if (::truncate(journal_path_.c_str(), 0) != 0 && errno != ENOENT) {
      valid_ = false;
    }
    durable_ = written_.load();  // everything written is in the synced snapshot
  }
  diag::Diagnostics ignored;
  snapshot_ = identify(path_, ignored).value_or(FileIdentity{});
  journal_ = identify(journal_path_, ignored).value_or(FileIdentity{});
  snapshot_bytes_ = static_cast<int64_t>(text.size());
  offset_ = 0;
  journal_seen_ = 0;
  return true;
}

std::optional<support::FileLock> WorldStore::lock_for_writing(diag::Diagnostics& diagnostics) {
  std::string error;
  if (!support::ensure_directory(sim_directory(module_dir_), &error)) {
    world_error(diagnostics, error);
    return std::nullopt;
  }
  std::optional<support::FileLock> lock =
      support::FileLock::acquire(lock_path(module_dir_), &error);
  if (!lock) {
    world_error(diagnostics, error);
    return std::nullopt;
  }
  if (refresh(/*locked=*/true, diagnostics) == nullptr) return std::nullopt;
  return lock;
}

bool WorldStore::compact(diag::Diagnostics& diagnostics) {
  std::optional<support::FileLock> lock = lock_for_writing(diagnostics);
  if (!lock) return false;
  return compact_locked(diagnostics);
}

bool WorldStore::fold(diag::Diagnostics& diagnostics) {
  struct stat info {};
  if (::stat(journal_path_.c_str(), &info) != 0 || info.st_size == 0) return true;
  return compact(diagnostics);
}

}  // namespace kc::sim
