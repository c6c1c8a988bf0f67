// What every module-reading command shares: the common flags, the built-in providers, one
// Compilation, and the diagnostics of the whole run, printed once at the end in the chosen format.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/render.h"
#include "compiler/driver/compilation.h"
#include "compiler/driver/file_system.h"
#include "providers/registry/builtin_providers.h"

namespace kc::cli {

struct CommonOptions {
  std::string path = ".";
  std::vector<std::string> vars;
  std::vector<std::string> var_files;
  std::string diagnostics = "human";
  bool no_color = false;
  std::optional<std::string> expression;  // `kc eval --expr`
};

// Adds the module path argument, --diagnostics and --no-color; with `inputs`, --var and --var-file.
void add_common_options(CLI::App& command, CommonOptions& options, bool inputs);

// Whether to colour output written to `fd` (a terminal, and neither NO_COLOR nor --no-color).
bool use_color(int fd, bool no_color);

class Session {
 public:
  explicit Session(const CommonOptions& options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Loads, parses and checks the module. False when there are errors.
  bool check();
  // Evaluates with the given stored resources (address -> attributes) for known outputs, reporting
  // into `diags` (default: the session's). nullopt when evaluation reported errors.
  std::optional<eval::DesiredState> evaluate(const std::map<std::string, sdk::Value>* known);
  std::optional<eval::DesiredState> evaluate(const std::map<std::string, sdk::Value>* known,
                                             diag::Diagnostics& diags);
  // The effective param inputs (--var over --var-file over KC_VAR_*), read on first use; errors
  // reading them go to the session's diagnostics.
  const std::map<std::string, eval::ParamInput>& params();
  // Evaluates with these inputs instead (a saved plan's); the command line and environment are
  // then never read.
  void use_params(std::map<std::string, eval::ParamInput> params);
  // Configures every built-in provider (with the module's provider blocks, if any).
  bool configure_providers(const eval::DesiredState& desired);

  driver::Compilation& compilation() { return compilation_; }
  diag::Diagnostics& diagnostics() { return compilation_.diagnostics(); }
  providers::BuiltinProviders& providers() { return providers_; }
  const std::string& module_dir() const { return compilation_.module_dir(); }
  bool color_stdout() const { return color_stdout_; }

  // Prints the accumulated diagnostics to stderr (once) and returns the exit code they imply.
  int finish();

 private:
  CommonOptions options_;
  driver::DiskFileSystem fs_;
  providers::BuiltinProviders providers_;
  driver::Compilation compilation_;
  std::map<std::string, eval::ParamInput> params_;
  bool params_read_ = false;
  bool finished_ = false;
  bool color_stdout_ = false;
};

// Directories searched for `std/...` imports: $KC_STDLIB, then beside the installed binary, then
// the source tree the binary was built from.
std::vector<std::string> stdlib_dirs();

}  // namespace kc::cli
