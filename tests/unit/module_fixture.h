// What the tests that compile modules from disk share: a temporary directory, the disk file
// system, the built-in providers and the repository's standard library, as the language server's
// analyses take them.
#pragma once

#include <string>
#include <vector>

#include "compiler/driver/file_system.h"
#include "lsp/server/analysis.h"
#include "providers/registry/builtin_providers.h"
#include "tests/unit/temp_dir.h"

namespace kc::test {

struct ModuleFixture {
  explicit ModuleFixture(const std::string& prefix) : dir(prefix) {}

  TempDir dir;
  driver::DiskFileSystem fs;
  providers::BuiltinProviders providers;
  std::vector<std::string> stdlib = {std::string(KC_SOURCE_DIR) + "/stdlib"};

  lsp::AnalysisInputs inputs() { return lsp::AnalysisInputs{&fs, &providers, &stdlib}; }
};

}  // namespace kc::test
