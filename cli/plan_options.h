// The flags that choose what a plan covers, shared by `plan`, `apply` and `destroy`: whether to
// refresh from the providers first, and the --target/--exclude selection.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace kc::cli {

struct PlanOptions {
  bool refresh = true;                // --refresh=false plans against the state as stored
  std::vector<std::string> targets;   // --target ADDR (repeatable)
  std::vector<std::string> excludes;  // --exclude ADDR (repeatable)
};

// Adds --refresh[=true|false], --target and --exclude to `command`.
void add_plan_options(CLI::App& command, PlanOptions& options);

}  // namespace kc::cli
