// Analysis: one compilation of a module as the editor has it (open documents over the disk) —
// parse, check, evaluate, lint — with its diagnostics grouped by absolute file path.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/driver/compilation.h"
#include "compiler/driver/file_system.h"
#include "compiler/lint/data_table_cache.h"
#include "providers/sdk/schema.h"

namespace kc::lsp {

struct Analysis {
  std::unique_ptr<driver::Compilation> compilation;  // owns the sources the diagnostics point into
  std::optional<eval::DesiredState> desired;         // when evaluation succeeded
  diag::Diagnostics diagnostics;                     // compile diagnostics and lint findings
  // Absolute path of every file of the compilation (sources' FileIds index it).
  std::vector<std::string> paths;
};

struct AnalysisInputs {
  const driver::FileSystem* fs = nullptr;
  const sdk::SchemaSource* schemas = nullptr;
  const std::vector<std::string>* stdlib_dirs = nullptr;
};

// What analyses keep for the next (compiler/driver/parse_cache.h, check_cache.h): each file's
// parse, each root module's checked modules, and the lint data tables. The results are the same as
// without them.
struct AnalysisCaches {
  driver::ParseCache* parse = nullptr;
  driver::CheckCache* check = nullptr;     // used only with `parse`
  lint::DataTableCache* tables = nullptr;  // the lint data tables (data_table_cache.h)
};

// Compiles and lints the module in `module_dir` (absolute) the way `kc lint` does without inputs
// (no --var: params take their defaults) and without reading the stored state.
Analysis analyze_module(const std::string& module_dir, const AnalysisInputs& inputs,
                        AnalysisCaches caches = {});

// The absolute path of a source file's display path (display paths are relative to the current
// directory when the file lies below it).
std::string absolute_source_path(const std::string& display_path);

}  // namespace kc::lsp
