// The file system the language server compiles through: open documents' unsaved text in front of
// the disk, so diagnostics describe what the editor shows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/driver/file_system.h"
#include "lsp/server/documents.h"

namespace kc::lsp {

class OverlayFileSystem final : public driver::FileSystem {
 public:
  // `documents` must outlive this object; it is read at every call, never copied.
  explicit OverlayFileSystem(const DocumentStore& documents) : documents_(documents) {}

  std::optional<std::string> read(const std::string& path) const override;
  bool is_directory(const std::string& path) const override;
  bool is_file(const std::string& path) const override;
  // The disk's `.kcl` files of `dir` plus open documents in `dir` not yet saved, sorted by name.
  std::vector<std::string> kcl_files(const std::string& dir) const override;

 private:
  const DocumentStore& documents_;
  driver::DiskFileSystem disk_;
};

}  // namespace kc::lsp
