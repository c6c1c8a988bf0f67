// The local file backend: reading state.json, and replacing it atomically with a backup.
#include "runtime/state/local_backend.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "runtime/state/codec.h"
#include "runtime/state/lineage.h"

namespace kc::state {
namespace {

namespace fs = std::filesystem;

std::string errno_text(int err) {
  return std::strerror(err);
}

std::string directory_of(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// Reads the whole file; sets `err` to the errno of the failure (ENOENT when it does not exist).
bool read_file(const std::string& path, std::string& out, int& err) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    err = errno;
    return false;
  }
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      err = errno;
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return true;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool fsync_directory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// Writes `data` to a new 0600 temp file beside `target` and renames it over `target`. Returns the
// failure as a sentence, or an empty string. The temp file never outlives a failure.
std::string replace_file(const std::string& target, std::string_view data) {
  std::string temp = target + ".tmp-XXXXXX";
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) return "cannot create a temporary file beside it: " + errno_text(errno);
  temp.assign(name.data());
  std::string error;
  if (::fchmod(fd, 0600) != 0 || !write_all(fd, data) || ::fsync(fd) != 0) {
    error = "cannot write " + temp + ": " + errno_text(errno);
  }
  if (::close(fd) != 0 && error.empty()) error = "cannot write " + temp + ": " + errno_text(errno);
  if (error.empty() && ::rename(temp.c_str(), target.c_str()) != 0) {
    error = "cannot rename " + temp + ": " + errno_text(errno);
  }
  if (!error.empty()) ::unlink(temp.c_str());
  return error;
}

// Makes `backup` a copy of the current `path` (a hard link where the file system allows one).
std::string keep_backup(const std::string& path, const std::string& backup) {
  if (::unlink(backup.c_str()) != 0 && errno != ENOENT) {
    return "cannot replace " + backup + ": " + errno_text(errno);
  }
  if (::link(path.c_str(), backup.c_str()) == 0) return {};
  if (errno == ENOENT) return {};  // no previous state to keep
  std::string old;
  int err = 0;
  if (!read_file(path, old, err)) {
    return err == ENOENT ? std::string() : "cannot read " + path + ": " + errno_text(err);
  }
  return replace_file(backup, old);
}

}  // namespace

LocalBackend::LocalBackend(std::string path) : path_(std::move(path)) {}

std::string LocalBackend::default_path(std::string_view module_dir) {
  return (fs::path(module_dir) / ".kc" / "state.json").string();
}

std::optional<State> LocalBackend::load(const sdk::SchemaSource& schemas,
                                        diag::Diagnostics& diags) {
  std::string text;
  int err = 0;
  if (!read_file(path_, text, err)) {
    if (err == ENOENT) {
      State fresh;
      fresh.lineage = new_lineage();
      return fresh;
    }
    diags.error(diag::Code::E0505, source::Span{},
                "cannot read state file `" + path_ + "`: " + errno_text(err));
    return std::nullopt;
  }
  diag::Diagnostics decoded;
  std::optional<State> state = decode_state(text, schemas, path_, decoded);
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
  std::string dir = directory_of(path_);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail("cannot create directory " + dir + ": " + ec.message());

  State next = state;
  next.serial = state.serial + 1;
  if (next.lineage.empty()) next.lineage = new_lineage();
  std::string text = encode_state(next);

  if (std::string error = keep_backup(path_, backup_path()); !error.empty()) return fail(error);
  if (std::string error = replace_file(path_, text); !error.empty()) return fail(error);
  state.serial = next.serial;
  state.lineage = next.lineage;
  if (!fsync_directory(dir)) return fail("cannot sync directory " + dir + ": " + errno_text(errno));
  return diags;
}

}  // namespace kc::state
