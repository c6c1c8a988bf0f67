// read_below.h: lexical checks first (absolute, `..`), then the same checks on the path with every
// symlink resolved, so a link inside the root cannot lead out of it.
#include "compiler/eval/read_below.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

namespace kc::eval {
namespace {

namespace fs = std::filesystem;

bool escapes(const fs::path& relative) {
  return relative.empty() || *relative.begin() == "..";
}

}  // namespace

std::optional<std::string> read_file_below(const std::string& root_dir, std::string_view relative,
                                           std::string* error) {
  auto fail = [&](std::string_view why) -> std::optional<std::string> {
    *error = fmt::format("cannot read `{}`: {}", relative, why);
    return std::nullopt;
  };
  if (relative.empty()) {
    *error = "`file` needs a path relative to the root module's directory";
    return std::nullopt;
  }
  const fs::path path{std::string(relative)};
  if (path.is_absolute() || path.has_root_path()) {
    return fail("`file` takes paths relative to the root module's directory, not absolute ones");
  }
  const fs::path normal = path.lexically_normal();
  if (escapes(normal)) return fail("it is outside the root module's directory");
  if (normal == ".") return fail("it is a directory, not a file");
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(fs::absolute(root_dir, ec), ec);
  if (ec)
    return fail(fmt::format("the root module's directory is not accessible ({})", ec.message()));
  const fs::path target = fs::weakly_canonical(root / normal, ec);
  if (ec) return fail(ec.message());
  if (escapes(target.lexically_relative(root))) {
    return fail(
        "it resolves (through a symbolic link) to a place outside the root module's "
        "directory");
  }
  const fs::file_status status = fs::status(target, ec);
  if (!fs::exists(status)) return fail("no such file below the root module's directory");
  if (fs::is_directory(status)) return fail("it is a directory, not a file");
  if (!fs::is_regular_file(status)) return fail("it is not a regular file");
  const uintmax_t size = fs::file_size(target, ec);
  if (ec) return fail(ec.message());
  if (size > kMaxReadFileBytes) {
    return fail(fmt::format("it holds {} bytes; `file` reads at most {}", size, kMaxReadFileBytes));
  }
  std::ifstream in(target, std::ios::binary);
  if (!in) return fail("it cannot be opened");
  std::string contents(static_cast<size_t>(size), '\0');
  in.read(contents.data(), static_cast<std::streamsize>(size));
  contents.resize(static_cast<size_t>(in.gcount()));  // the file may have shrunk meanwhile
  if (in.bad()) return fail("it cannot be read");
  return contents;
}

}  // namespace kc::eval
