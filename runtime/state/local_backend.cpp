// The local file backend: reading state.json, and replacing it atomically with a backup.
#include "runtime/state/local_backend.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "runtime/state/codec.h"
#include "runtime/state/file_lock.h"
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

}  // namespace

LocalBackend::LocalBackend(std::string path) : path_(std::move(path)) {}

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
