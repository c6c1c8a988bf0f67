// Open documents first, then the disk.
#include "lsp/server/overlay_file_system.h"

#include <algorithm>
#include <filesystem>

namespace kc::lsp {

std::optional<std::string> OverlayFileSystem::read(const std::string& path) const {
  if (const Document* document = documents_.find(path)) return document->text;
  return disk_.read(path);
}

bool OverlayFileSystem::is_directory(const std::string& path) const {
  return disk_.is_directory(path);
}

bool OverlayFileSystem::is_file(const std::string& path) const {
  return documents_.find(path) != nullptr || disk_.is_file(path);
}

std::vector<std::string> OverlayFileSystem::kcl_files(const std::string& dir) const {
  std::vector<std::string> files = disk_.kcl_files(dir);
  namespace fs = std::filesystem;
  fs::path directory = fs::path(dir).lexically_normal();
  for (const auto& [path, document] : documents_.all()) {
    fs::path file(path);
    if (file.extension() != ".kcl" || file.parent_path().lexically_normal() != directory) continue;
    if (std::find(files.begin(), files.end(), path) == files.end()) files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace kc::lsp
