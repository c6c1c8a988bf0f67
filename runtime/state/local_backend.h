// LocalBackend: the state as one JSON file, by default <module_dir>/.kc/state.json, replaced
// atomically on every save with the previous version kept beside it as state.json.backup, plus a
// journal (state.json.journal) of the steps recorded since the last save.
#pragma once

#include <string>
#include <string_view>

#include "runtime/state/backend.h"

namespace kc::state {

// Guarantees: a save either leaves the old file or puts the complete new one in place (temp file in
// the same directory, fsync, rename, fsync of the directory); the file is mode 0600; no temp file
// is left behind. Runs that write hold lock() (an flock on state.lock beside the state file) from
// before load() to after their last save(); save() itself does not check the lock.
//
// The journal (format in journal.h) makes a step's record cost O(the step), not O(the state):
// the first record() after construction or a save() saves the state once (folding any journal an
// earlier run left and bumping the serial, so saved plans made before it are stale), then starts
// a new journal whose header names that lineage and serial; each record() appends one line with
// a single write(2); sync() fdatasyncs it; save() replaces the state file and then deletes the
// journal. load() replays a journal whose header matches the state file, up to its first torn or
// damaged record, so a run killed at any moment loses nothing that sync() had returned for.
class LocalBackend final : public Backend {
 public:
  explicit LocalBackend(std::string path);
  ~LocalBackend() override;
  LocalBackend(const LocalBackend&) = delete;
  LocalBackend& operator=(const LocalBackend&) = delete;

  // <module_dir>/.kc/state.json
  static std::string default_path(std::string_view module_dir);

  const std::string& path() const { return path_; }
  std::string backup_path() const { return path_ + ".backup"; }
  std::string journal_path() const { return path_ + ".journal"; }
  // <dir>/state.lock for <dir>/state.json (a path not ending in .json gets ".lock" appended).
  std::string lock_path() const;

  std::string location() const override { return path_; }
  std::optional<State> load(const sdk::SchemaSource& schemas, diag::Diagnostics& diags) override;
  // Also creates the directory when missing and gives the state a lineage when it has none.
  diag::Diagnostics save(State& state) override;
  // An Upsert also settles (clears) a pending create at its address in `state`.
  diag::Diagnostics record(State& state, const JournalEntry& entry) override;
  diag::Diagnostics sync() override;
  std::unique_ptr<StateLock> lock(std::string_view operation, std::chrono::milliseconds timeout,
                                  diag::Diagnostics& diags) override;

 private:
  void close_journal();

  std::string path_;
  int journal_fd_ = -1;    // open for appending while a journal is being written
  bool unsynced_ = false;  // records appended since the last fdatasync
};

}  // namespace kc::state
