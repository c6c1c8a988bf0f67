// WorldStore: one provider's access to the world file of a module directory. Reads reload the file
// only when it changed on disk (another instance or process wrote it); changes run under the
// cross-process lock and are on disk before they return. Not synchronised: SimProvider serialises
// the calls under its mutex.
#pragma once

#include <sys/types.h>
#include <functional>
#include <optional>
#include <string>

#include "compiler/diag/diagnostic.h"
#include "providers/sim/world.h"

namespace kc::sim {

class WorldStore {
 public:
  explicit WorldStore(std::string module_dir);

  const std::string& path() const { return path_; }

  // The world as it is on disk now; nullptr with an E0504 diagnostic when it cannot be read.
  const SimWorld* current(diag::Diagnostics& diagnostics);

  // Runs `change` on a copy of the current world while holding the lock file, and writes the copy
  // when `change` returns true (something changed). False with diagnostics when the world cannot
  // be read, locked or written, or when `change` reported an error (then nothing is written).
  bool modify(const std::function<bool(SimWorld&, diag::Diagnostics&)>& change,
              diag::Diagnostics& diagnostics);

 private:
  // What identifies one version of the file: writers always rename a new file into place.
  struct FileIdentity {
    bool exists = false;
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    int64_t mtime_ns = 0;
    friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
  };
  std::optional<FileIdentity> identify(diag::Diagnostics& diagnostics) const;

  std::string module_dir_;
  std::string path_;
  std::optional<FileIdentity> cached_identity_;
  SimWorld cached_;
};

}  // namespace kc::sim
