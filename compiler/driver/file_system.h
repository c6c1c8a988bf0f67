// The file-system seam of the compiler: the driver reads modules only through it, so tests and the
// language server (unsaved buffers) can put their own files in front of the disk.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kc::driver {

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual std::optional<std::string> read(const std::string& path) const = 0;
  virtual bool is_directory(const std::string& path) const = 0;
  virtual bool is_file(const std::string& path) const = 0;
  // The `.kcl` files directly inside `dir`, sorted by name.
  virtual std::vector<std::string> kcl_files(const std::string& dir) const = 0;
};

// The real disk.
class DiskFileSystem : public FileSystem {
 public:
  std::optional<std::string> read(const std::string& path) const override;
  bool is_directory(const std::string& path) const override;
  bool is_file(const std::string& path) const override;
  std::vector<std::string> kcl_files(const std::string& dir) const override;
};

}  // namespace kc::driver
