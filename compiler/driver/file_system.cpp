// DiskFileSystem: std::filesystem and ifstream behind the FileSystem seam.
#include "compiler/driver/file_system.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kc::driver {

namespace fs = std::filesystem;

std::optional<std::string> DiskFileSystem::read(const std::string& path) const {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

bool DiskFileSystem::is_directory(const std::string& path) const {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

bool DiskFileSystem::is_file(const std::string& path) const {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::vector<std::string> DiskFileSystem::kcl_files(const std::string& dir) const {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".kcl" && it->is_regular_file(ec)) {
      files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace kc::driver
