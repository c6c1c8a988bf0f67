// Workspace module discovery and matching declarations across analyses.
#include "lsp/server/workspace_modules.h"

#include <algorithm>
#include <filesystem>
#include <set>

namespace kc::lsp {
namespace fs = std::filesystem;

namespace {

std::string normal(const std::string& path) {
  return fs::path(path).lexically_normal().string();
}

bool skipped(const fs::path& dir) {
  std::string name = dir.filename().string();
  return (!name.empty() && name[0] == '.') || name == "node_modules";
}

}  // namespace

std::vector<std::string> workspace_module_dirs(const std::vector<std::string>& roots,
                                               size_t limit) {
  std::set<std::string> found;
  for (const std::string& root : roots) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) continue;
    std::vector<fs::path> pending{fs::path(root)};
    while (!pending.empty() && found.size() < limit) {
      fs::path dir = pending.back();
      pending.pop_back();
      bool has_kcl = false;
      std::vector<fs::path> children;
      for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
           !ec && it != end; it.increment(ec)) {
        if (it->is_directory(ec)) {
          if (!it->is_symlink(ec) && !skipped(it->path())) children.push_back(it->path());
        } else if (it->path().extension() == ".kcl") {
          has_kcl = true;
        }
      }
      if (has_kcl) found.insert(normal(dir.string()));
      // Reverse path order onto the stack, so the walk visits directories in path order.
      std::sort(children.rbegin(), children.rend());
      for (fs::path& child : children)
        pending.push_back(std::move(child));
    }
  }
  return {found.begin(), found.end()};
}

namespace {

// A module's identity across analyses: the path of its first file (a directory module's files
// are sorted; a single-file module has one). Directories do not do: `./lib.kcl` shares its
// directory with the module importing it.
std::optional<std::string> first_file(const Analysis& analysis, uint32_t module) {
  const sema::SourceModule& source = analysis.compilation->checked()->source(module);
  if (source.files.empty() || source.files[0]->file >= analysis.paths.size()) return std::nullopt;
  return analysis.paths[source.files[0]->file];
}

}  // namespace

std::optional<Target> translate_target(const Analysis& from, const Target& target,
                                       const Analysis& to) {
  if (target.kind == Target::Kind::Attribute || target.kind == Target::Kind::Resource) {
    return std::nullopt;
  }
  const sema::CheckedProgram* source = from.compilation->checked();
  const sema::CheckedProgram* other = to.compilation->checked();
  if (source == nullptr || other == nullptr) return std::nullopt;
  std::optional<std::string> identity = first_file(from, target.module);
  if (!identity) return std::nullopt;
  const std::string& name = source->modules[target.module].symbols[target.symbol].name;
  for (uint32_t m = 0; m < other->modules.size(); ++m) {
    if (first_file(to, m) != identity) continue;
    const sema::CheckedModule& module = other->modules[m];
    auto it = module.by_name.find(name);
    if (it == module.by_name.end()) return std::nullopt;
    Target translated = target;
    translated.module = m;
    translated.symbol = it->second;
    return translated;
  }
  return std::nullopt;
}

}  // namespace kc::lsp
