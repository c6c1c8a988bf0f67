// The local file backend: reading state.json (and replaying its journal), replacing it atomically
// with a backup, and appending step records to the journal between saves.
#include "runtime/state/local_backend.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "runtime/state/codec.h"
#include "runtime/state/file_lock.h"
#include "runtime/state/journal.h"
#include "runtime/state/lineage.h"
#include "support/files.h"

namespace kc::state {
namespace {

namespace fs = std::filesystem;

std::string directory_of(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// Makes `backup` a copy of the current `path` (a hard link where the file system allows one).
// Returns the failure as a sentence, or an empty string.
std::string keep_backup(const std::string& path, const std::string& backup) {
  if (::unlink(backup.c_str()) != 0 && errno != ENOENT) {
    return "cannot replace " + backup + ": " + std::strerror(errno);
  }
  if (::link(path.c_str(), backup.c_str()) == 0) return {};
  if (errno == ENOENT) return {};  // no previous state to keep
  bool missing = false;
  std::string error;
  std::optional<std::string> old = support::read_whole_file(path, &missing, &error);
  if (!old) return missing ? std::string() : error;
  return support::write_file_atomically(backup, *old, 0600, &error) ? std::string() : error;
}

// Writes all of `bytes` (one write(2) unless the kernel takes less). The failure, or "".
std::string write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::strerror(errno);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

}  // namespace

LocalBackend::LocalBackend(std::string path) : path_(std::move(path)) {}

LocalBackend::~LocalBackend() {
  close_journal();
}

void LocalBackend::close_journal() {
  if (journal_fd_ >= 0) ::close(journal_fd_);
  journal_fd_ = -1;
  unsynced_ = false;
}

std::string LocalBackend::default_path(std::string_view module_dir) {
  return (fs::path(module_dir) / ".kc" / "state.json").string();
}

std::optional<State> LocalBackend::load(const sdk::SchemaSource& schemas,
                                        diag::Diagnostics& diags) {
  bool missing = false;
  std::string error;
  std::optional<std::string> text = support::read_whole_file(path_, &missing, &error);
  if (!text) {
    if (missing) {
      State fresh;
      fresh.lineage = new_lineage();
      return fresh;
    }
    diags.error(diag::Code::E0505, source::Span{}, "cannot read the state: " + error);
    return std::nullopt;
  }
  diag::Diagnostics decoded;
  std::optional<State> state = decode_state(*text, schemas, path_, decoded);
  std::error_code ec;
  bool has_backup = !state && fs::exists(backup_path(), ec);
  for (diag::Diagnostic d : decoded.all()) {
    if (has_backup) d.with_note("the state before the last save is in `" + backup_path() + "`");
    diags.add(std::move(d));
  }
  if (!state) return state;

  // The steps recorded since that save, if a run died before folding them in.
  std::optional<std::string> journal = support::read_whole_file(journal_path(), &missing, &error);
  if (!journal) {
    if (missing) return state;
    diags.error(diag::Code::E0505, source::Span{}, "cannot read the state journal: " + error);
    return std::nullopt;
  }
  JournalReplay replay = replay_journal(*journal, *state, schemas);
  if (!replay.damaged.empty()) {
    diags
        .warning(diag::Code::E0506, source::Span{},
                 "state journal `" + journal_path() + "` has a damaged record on line " +
                     std::to_string(replay.damaged_line) + ": " + replay.damaged)
        .with_note("the " + std::to_string(replay.applied) +
                   " records before it were applied; it and the records after it were not");
  }
  return state;
}

diag::Diagnostics LocalBackend::save(State& state) {
  diag::Diagnostics diags;
  auto fail = [&](const std::string& why) {
    diags.error(diag::Code::E0505, source::Span{},
                "cannot save state file `" + path_ + "`: " + why);
    return diags;
  };
  std::string error;
  if (!support::ensure_directory(directory_of(path_), &error)) return fail(error);

  State next = state;
  next.serial = state.serial + 1;
  if (next.lineage.empty()) next.lineage = new_lineage();
  std::string text = encode_state(next);

  if (std::string backup_error = keep_backup(path_, backup_path()); !backup_error.empty()) {
    return fail(backup_error);
  }
  if (!support::replace_file(path_, text, 0600, &error)) return fail(error);
  // The new file is in place: the serial follows it even if making it durable fails below.
  state.serial = next.serial;
  state.lineage = next.lineage;
  if (!support::sync_directory_of(path_, &error)) return fail(error);
  // The new state holds every record: the journal is folded. Should the unlink not survive a
  // crash, the journal's header names the previous serial, so load() ignores it.
  close_journal();
  if (::unlink(journal_path().c_str()) != 0 && errno != ENOENT) {
    return fail("cannot remove the folded journal `" + journal_path() +
                "`: " + std::strerror(errno));
  }
  return diags;
}

diag::Diagnostics LocalBackend::record(State& state, const JournalEntry& entry) {
  if (entry.kind == JournalEntry::Kind::Upsert) state.clear_pending(entry.resource.address);
  diag::Diagnostics diags;
  auto fail = [&](const std::string& why) {
    diags.error(diag::Code::E0505, source::Span{},
                "cannot record in state journal `" + journal_path() + "`: " + why);
    return diags;
  };
  if (journal_fd_ < 0) {
    // Start from a stored state that holds everything so far (this entry included).
    diags = save(state);
    if (diags.has_errors()) return diags;
    int fd =
        ::open(journal_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return fail(std::strerror(errno));
    journal_fd_ = fd;
    std::string error;
    if (std::string why = write_all(fd, journal_header(state.lineage, state.serial));
        !why.empty()) {
      close_journal();
      return fail(why);
    }
    // The journal's directory entry must outlive a crash once a later sync() has returned.
    if (!support::sync_directory_of(journal_path(), &error)) {
      close_journal();
      return fail(error);
    }
    unsynced_ = true;
    return diags;  // the save already holds `entry`
  }
  if (std::string why = write_all(journal_fd_, journal_record(entry)); !why.empty()) {
    // A partial line is a torn tail, which load() ignores; later records must not follow it.
    close_journal();
    return fail(why);
  }
  unsynced_ = true;
  return diags;
}

diag::Diagnostics LocalBackend::sync() {
  diag::Diagnostics diags;
  if (journal_fd_ < 0 || !unsynced_) return diags;
  if (::fdatasync(journal_fd_) != 0) {
    diags.error(
        diag::Code::E0505, source::Span{},
        "cannot make state journal `" + journal_path() + "` durable: " + std::strerror(errno));
    return diags;
  }
  unsynced_ = false;
  return diags;
}

std::string LocalBackend::lock_path() const {
  std::string_view path = path_;
  if (path.size() > 5 && path.substr(path.size() - 5) == ".json") {
    return std::string(path.substr(0, path.size() - 5)) + ".lock";
  }
  return path_ + ".lock";
}

std::unique_ptr<StateLock> LocalBackend::lock(std::string_view operation,
                                              std::chrono::milliseconds timeout,
                                              diag::Diagnostics& diags) {
  return acquire_file_lock(lock_path(), path_, operation, timeout, diags);
}

}  // namespace kc::state
