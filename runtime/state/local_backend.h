// LocalBackend: the state as one JSON file, by default <module_dir>/.kc/state.json, replaced
// atomically on every save with the previous version kept beside it as state.json.backup.
#pragma once

#include <string>
#include <string_view>

#include "runtime/state/backend.h"

namespace kc::state {

// Guarantees: a save either leaves the old file or puts the complete new one in place (temp file in
// the same directory, fsync, rename, fsync of the directory); the file is mode 0600; no temp file
// is left behind. Runs that write hold lock() (an flock on state.lock beside the state file) from
// before load() to after their last save(); save() itself does not check the lock.
class LocalBackend final : public Backend {
 public:
  explicit LocalBackend(std::string path);

  // <module_dir>/.kc/state.json
  static std::string default_path(std::string_view module_dir);

  const std::string& path() const { return path_; }
  std::string backup_path() const { return path_ + ".backup"; }
  // <dir>/state.lock for <dir>/state.json (a path not ending in .json gets ".lock" appended).
  std::string lock_path() const;

  std::string location() const override { return path_; }
  std::optional<State> load(const sdk::SchemaSource& schemas, diag::Diagnostics& diags) override;
  // Also creates the directory when missing and gives the state a lineage when it has none.
  diag::Diagnostics save(State& state) override;
  std::unique_ptr<StateLock> lock(std::string_view operation, std::chrono::milliseconds timeout,
                                  diag::Diagnostics& diags) override;

 private:
  std::string path_;
};

}  // namespace kc::state
