// WorldStore: one provider's access to the world of a module directory, kept as a snapshot
// (world.json) plus an append-only journal of changes (world.journal, see world_journal.h).
//
// A change runs on the cached world in place with its undo recorded (SimWorld::begin_tracking), so
// an error leaves the world as it was, and is persisted as one journal record appended with one
// write(2) under the world's flock: O(size of the change), not of the world. Records carry the
// generation of the snapshot they follow. Readers bring their cache up to date by replaying the
// journal bytes added since their last read (a cheap stat of both files tells whether anything
// changed), and reload everything when world.json itself changed (rewritten by kc, or edited by
// hand). The snapshot is rewritten with the next generation and the journal emptied (compaction)
// when the journal outgrows it, when the world was never written by this format (no snapshot, or
// a hand-written one without a generation), and when a store closes (`fold`), so that world.json
// is complete whenever no kc process is working on the world, except after a kill, when the next
// kc process to open the world replays the journal (a torn last record is ignored) and folds it.
//
// Not synchronised except sync(): SimProvider serialises the other calls under its mutex.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "compiler/diag/diagnostic.h"
#include "providers/sim/world.h"
#include "support/files.h"

namespace kc::sim {

class WorldStore {
 public:
  // Below this many journal bytes the snapshot is not rewritten, however small it is.
  static constexpr int64_t kDefaultCompactionBytes = int64_t{4} << 20;

  // `fold_on_close`: fold the journal into world.json on destruction (errors are ignored then).
  explicit WorldStore(std::string module_dir, bool fold_on_close = true);
  ~WorldStore();
  WorldStore(const WorldStore&) = delete;
  WorldStore& operator=(const WorldStore&) = delete;

  const std::string& path() const { return path_; }

  // The world as it is on disk now; nullptr with an E0504 diagnostic when it cannot be read.
  const SimWorld* current(diag::Diagnostics& diagnostics);

  // Runs `change` on the current world while holding the lock file and persists it when `change`
  // returns true (something changed); it is durable (fdatasync) on return. False with diagnostics
  // when the world cannot be read, locked or written, or when `change` reported an error (then
  // the world is left exactly as it was and nothing is written).
  bool modify(const std::function<bool(SimWorld&, diag::Diagnostics&)>& change,
              diag::Diagnostics& diagnostics);
  // Like modify, but on return the change is only written (every reader sees it, a killed process
  // does not lose it), not yet durable against a crash of the machine: `*ticket` is set (0 when
  // nothing needs syncing) for sync(), which the caller runs before reporting the change. This
  // lets concurrent changes share one fdatasync.
  bool modify_unsynced(const std::function<bool(SimWorld&, diag::Diagnostics&)>& change,
                       diag::Diagnostics& diagnostics, uint64_t* ticket);
  // Makes the change with `ticket` (and every one written before it) durable. Thread-safe, also
  // against the other calls.
  bool sync(uint64_t ticket, diag::Diagnostics& diagnostics);

  // Rewrites world.json from the current world (the next generation) and empties the journal.
  bool compact(diag::Diagnostics& diagnostics);
  // compact() when the journal holds anything; true when there was nothing to do.
  bool fold(diag::Diagnostics& diagnostics);

  // Compaction starts once the journal is larger than max(2 x the snapshot, `bytes`) (tests).
  void set_compaction_bytes(int64_t bytes) { compaction_bytes_ = bytes; }
  // Bytes of journal replayed into the cache so far (tests).
  int64_t journal_offset() const { return offset_; }

 private:
  // What identifies one version of a file: kc renames a new snapshot into place; the journal only
  // grows (or is emptied in place by a compaction, which also renames a new snapshot).
  struct FileIdentity {
    bool exists = false;
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    int64_t mtime_ns = 0;
    friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
  };
  std::optional<FileIdentity> identify(const std::string& path,
                                       diag::Diagnostics& diagnostics) const;
  // Brings the cache up to date; `locked` when the caller holds the world's lock (otherwise it is
  // taken when it can be).
  const SimWorld* refresh(bool locked, diag::Diagnostics& diagnostics);
  // Creates the sim directory, takes the world's flock and brings the cached world up to date
  // under it: what every write starts with. nullopt after reporting why not.
  std::optional<support::FileLock> lock_for_writing(diag::Diagnostics& diagnostics);
  bool compact_locked(diag::Diagnostics& diagnostics);
  // Opens (or reopens, when the file was replaced) the journal for appending.
  bool open_journal(diag::Diagnostics& diagnostics);

  std::string module_dir_;
  std::string path_;
  std::string journal_path_;
  bool fold_on_close_ = true;
  bool valid_ = false;
  FileIdentity snapshot_;  // the world.json the cache was loaded from
  int64_t snapshot_bytes_ = 0;
  FileIdentity journal_;      // the journal as of the last refresh or write
  int64_t offset_ = 0;        // journal bytes replayed (complete records)
  int64_t journal_seen_ = 0;  // journal bytes seen (more than offset_ after a torn record)
  int64_t compaction_bytes_ = kDefaultCompactionBytes;
  SimWorld cached_;

  std::mutex sync_mutex_;             // guards journal_fd_ and durable_
  int journal_fd_ = -1;               // O_APPEND
  std::atomic<uint64_t> written_{0};  // changes written so far
  uint64_t durable_ = 0;              // changes known durable
};

}  // namespace kc::sim
