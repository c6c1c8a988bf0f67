// WorldStore: cached reads of the world file and locked, atomic read-modify-write cycles.
#include "providers/sim/world_store.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "support/files.h"

namespace kc::sim {
namespace {

// The world holds secret material (keys, join tokens, kubeconfig credentials), like the state.
constexpr mode_t kWorldFileMode = 0600;

}  // namespace

WorldStore::WorldStore(std::string module_dir)
    : module_dir_(std::move(module_dir)), path_(world_path(module_dir_)) {}

std::optional<WorldStore::FileIdentity> WorldStore::identify(diag::Diagnostics& diagnostics) const {
  struct stat info {};
  if (::stat(path_.c_str(), &info) != 0) {
    if (errno == ENOENT) return FileIdentity{};
    diagnostics.error(diag::Code::E0504, source::Span{},
                      "cannot read the sim world `" + path_ + "`: " + std::strerror(errno));
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

const SimWorld* WorldStore::current(diag::Diagnostics& diagnostics) {
  std::optional<FileIdentity> identity = identify(diagnostics);
  if (!identity) return nullptr;
  if (cached_identity_ && *cached_identity_ == *identity) return &cached_;
  // A write between the stat and the read only makes the next call reload once more.
  std::optional<SimWorld> world = SimWorld::load(module_dir_, diagnostics);
  if (!world) {
    cached_identity_.reset();
    return nullptr;
  }
  cached_ = std::move(*world);
  cached_identity_ = identity;
  return &cached_;
}

bool WorldStore::modify(const std::function<bool(SimWorld&, diag::Diagnostics&)>& change,
                        diag::Diagnostics& diagnostics) {
  std::string error;
  if (!support::ensure_directory(sim_directory(module_dir_), &error)) {
    diagnostics.error(diag::Code::E0504, source::Span{}, error);
    return false;
  }
  std::optional<support::FileLock> lock =
      support::FileLock::acquire(lock_path(module_dir_), &error);
  if (!lock) {
    diagnostics.error(diag::Code::E0504, source::Span{}, error);
    return false;
  }
  const SimWorld* world = current(diagnostics);
  if (world == nullptr) return false;
  SimWorld next = *world;
  const size_t errors_before = diagnostics.error_count();
  const bool changed = change(next, diagnostics);
  if (diagnostics.error_count() > errors_before) return false;
  if (!changed) return true;
  std::string text = next.to_json().dump(2) + "\n";
  if (!support::write_file_atomically(path_, text, kWorldFileMode, &error)) {
    cached_identity_.reset();
    diagnostics.error(diag::Code::E0504, source::Span{}, "cannot write the sim world: " + error);
    return false;
  }
  cached_ = std::move(next);
  diag::Diagnostics ignored;
  cached_identity_ = identify(ignored);
  return true;
}

}  // namespace kc::sim
