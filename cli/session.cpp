// Session: shared set-up of module-reading commands and the single place diagnostics are printed.
#include "cli/session.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "compiler/driver/params.h"

extern char** environ;

namespace kc::cli {

namespace fs = std::filesystem;

void add_common_options(CLI::App& command, CommonOptions& options, bool inputs) {
  command.add_option("path", options.path, "Module: a directory or a .kcl file (default: .)");
  command
      .add_option("--diagnostics", options.diagnostics, "Diagnostic format: human, short or json")
      ->check(CLI::IsMember({"human", "short", "json"}));
  command.add_flag("--no-color", options.no_color, "Never colour the output");
  if (inputs) {
    // One value per occurrence, so `--var a=1 main.kcl` leaves the path alone.
    command.add_option("--var", options.vars, "Set a param: NAME=VALUE (repeatable)")
        ->allow_extra_args(false);
    command.add_option("--var-file", options.var_files, "Read params from a YAML or JSON file")
        ->allow_extra_args(false);
  }
}

bool use_color(int fd, bool no_color) {
  return !no_color && std::getenv("NO_COLOR") == nullptr && isatty(fd) == 1;
}

std::vector<std::string> stdlib_dirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("KC_STDLIB")) dirs.emplace_back(env);
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back((exe.parent_path() / ".." / "share" / "kc" / "stdlib").string());
  dirs.push_back(std::string(KC_SOURCE_DIR) + "/stdlib");
  return dirs;
}

Session::Session(const CommonOptions& options)
    : options_(options),
      compilation_(driver::CompileOptions{options.path, stdlib_dirs(), options.expression},
                   providers_, fs_),
      color_stdout_(use_color(STDOUT_FILENO, options.no_color)) {}

Session::~Session() {
  finish();
}

bool Session::check() {
  compilation_.check();
  return !diagnostics().has_errors();
}

std::optional<eval::DesiredState> Session::evaluate(
    const std::map<std::string, sdk::Value>* known) {
  return evaluate(known, diagnostics());
}

const std::map<std::string, eval::ParamInput>& Session::params() {
  if (!params_read_) {
    driver::ParamSources sources{options_.vars, options_.var_files, {}};
    for (char** entry = environ; entry && *entry; ++entry)
      sources.environment.emplace_back(*entry);
    params_ = driver::collect_params(sources, diagnostics());
    params_read_ = true;
  }
  return params_;
}

void Session::use_params(std::map<std::string, eval::ParamInput> params) {
  params_ = std::move(params);
  params_read_ = true;
}

std::optional<eval::DesiredState> Session::evaluate(const std::map<std::string, sdk::Value>* known,
                                                    diag::Diagnostics& diags) {
  params();
  // Evaluating with a param input that could not be read would print data the user did not ask for.
  if (diagnostics().has_errors()) return std::nullopt;
  size_t errors_before = diags.error_count();
  eval::DesiredState desired = compilation_.evaluate(eval::EvalInputs{params_, known, {}}, diags);
  if (diags.error_count() > errors_before) return std::nullopt;
  return desired;
}

// The provider block without `timeout` when the provider declares no such setting: then it is the
// executor's per-step limit (cli/cmd_apply.cpp), not the provider's.
static sdk::Value executor_settings_removed(const eval::ProviderConfig& block,
                                            const sdk::ProviderSchema* schema) {
  if (block.config.kind() != sdk::Kind::Map || block.config.find("timeout") == nullptr) {
    return block.config;
  }
  if (schema != nullptr) {
    for (const sdk::AttributeSchema& a : schema->config) {
      if (a.name == "timeout") return block.config;
    }
  }
  sdk::Entries entries;
  for (const auto& [name, value] : block.config.as_map()) {
    if (name != "timeout") entries.emplace_back(name, value);
  }
  return sdk::Value::map(std::move(entries));
}

bool Session::configure_providers(const eval::DesiredState& desired) {
  diag::Diagnostics result;
  for (const eval::ProviderConfig& block : desired.providers) {
    sdk::Value config = executor_settings_removed(block, providers_.find_provider(block.name));
    result.append(providers_.configure(block.name, config, module_dir()));
  }
  result.append(providers_.configure_defaults(module_dir()));
  diagnostics().append(result);
  return !result.has_errors();
}

int Session::finish() {
  if (!finished_) {
    finished_ = true;
    diag::RenderOptions render;
    diag::parse_format(options_.diagnostics, render.format);
    render.color = use_color(STDERR_FILENO, options_.no_color);
    diagnostics().sort();
    if (render.format == diag::Format::Json || !diagnostics().empty()) {
      std::cerr << diag::render(diagnostics(), compilation_.sources(), render);
    }
  }
  return diagnostics().has_errors() ? 1 : 0;
}

}  // namespace kc::cli
