// What several unit tests share: a temporary directory removed when the test ends, writing a
// file into it, and the messages of a diagnostics list as one text (for CHECK output and substring
// checks).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "compiler/diag/diagnostic.h"

namespace kc::test {

struct TempDir {
  std::string path;
  explicit TempDir(const std::string& prefix = "kc-test") {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// Writes `text` to `path`, creating its directories.
inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

inline std::string messages(const diag::Diagnostics& diagnostics) {
  std::string text;
  for (const diag::Diagnostic& d : diagnostics.all())
    text += d.message + "\n";
  return text;
}

}  // namespace kc::test
