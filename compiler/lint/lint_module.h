// lint_module: everything `kc lint` runs after compiling a module — its lint configuration, the
// standard library's data tables, the rules — in one call, shared by the CLI and the language
// server.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/eval/desired_state.h"
#include "compiler/lint/config.h"
#include "compiler/lint/data_table_cache.h"
#include "compiler/sema/checked.h"
#include "compiler/source/source.h"
#include "providers/sdk/schema.h"

namespace kc::lint {

struct ModuleLintInput {
  const std::string* module_dir = nullptr;                // where the configuration is looked up
  const std::vector<std::string>* stdlib_dirs = nullptr;  // where the data tables are
  const sema::CheckedProgram* checked = nullptr;          // null when checking did not run
  const eval::DesiredState* desired = nullptr;            // null when evaluation failed
  const sdk::SchemaSource* schemas = nullptr;
  const std::map<std::string, sdk::Value>* stored = nullptr;  // the state's attributes, if any
  int64_t today = 0;                                          // days since 1970-01-01
  DataTableCache* tables = nullptr;  // when given, the data tables are parsed through it
};

// Reads the configuration and tables (adding their files to `sources`; problems with them go to
// `compile`), then returns lint(): the compile diagnostics and the findings, sorted. `config`,
// when given, receives the configuration read.
diag::Diagnostics lint_module(source::SourceManager& sources, const ModuleLintInput& input,
                              diag::Diagnostics& compile, LintConfig* config = nullptr);

// Today as days since 1970-01-01 (UTC), the default date support status is judged on.
int64_t days_since_epoch_today();

}  // namespace kc::lint
