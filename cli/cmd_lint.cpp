// `kc lint [PATH] [--format text|json|sarif] [--fix] [--diff]`: `check` plus the lint rules
// (docs/lint/README.md); text goes to stderr, json and sarif to stdout.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/planning.h"
#include "cli/session.h"
#include "compiler/format/diff.h"
#include "compiler/lint/fix.h"
#include "compiler/lint/lint.h"
#include "compiler/lint/lint_module.h"
#include "compiler/lint/sarif.h"
#include "support/files.h"

namespace kc::cli {
namespace {

struct LintOptions {
  CommonOptions common;
  std::string format = "text";
  bool fix = false;
  bool diff = false;
};

// One lint of the module: the session (which owns the sources the findings point into), the
// configuration it read, and the findings with the compile diagnostics.
struct LintRun {
  std::unique_ptr<Session> session;
  lint::LintConfig config;
  diag::Diagnostics result;
};

// The attributes of the module's stored state by address, read without a lock (nothing is
// written); nullopt when there is no state file. A state that cannot be read is no reason for lint
// to fail: plan reports it.
std::optional<std::map<std::string, sdk::Value>> stored_resources(Session& session) {
  std::string path = state::LocalBackend::default_path(session.module_dir());
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  state::LocalBackend backend(path);
  diag::Diagnostics scratch;
  std::optional<state::State> loaded = backend.load(session.providers(), scratch);
  if (!loaded) return std::nullopt;
  return known_resources(*loaded);
}

std::unique_ptr<LintRun> lint_once(const CommonOptions& common) {
  auto run = std::make_unique<LintRun>();
  run->session = std::make_unique<Session>(common);
  Session& session = *run->session;
  std::optional<eval::DesiredState> desired;
  if (session.check()) desired = session.evaluate(nullptr);
  std::optional<std::map<std::string, sdk::Value>> stored;
  if (desired) stored = stored_resources(session);
  std::vector<std::string> dirs = stdlib_dirs();
  lint::ModuleLintInput input;
  input.module_dir = &session.module_dir();
  input.stdlib_dirs = &dirs;
  input.checked = session.compilation().checked();
  input.desired = desired ? &*desired : nullptr;
  input.schemas = &session.providers();
  input.stored = stored ? &*stored : nullptr;
  input.today = lint::days_since_epoch_today();
  run->result = lint::lint_module(session.compilation().sources(), input, session.diagnostics(),
                                  &run->config);
  return run;
}

// Writes the fixed files; false (after reporting) when one could not be written.
bool write_fixes(const std::vector<lint::FixedFile>& fixed) {
  bool ok = true;
  for (const lint::FixedFile& file : fixed) {
    struct stat info {};
    mode_t mode = ::stat(file.path.c_str(), &info) == 0 ? (info.st_mode & 07777) : 0644;
    std::string error;
    if (!support::write_file_atomically(file.path, file.after, mode, &error)) {
      std::cerr << "kc: cannot write " << file.path << ": " << error << "\n";
      ok = false;
      continue;
    }
    std::cerr << "kc lint: fixed " << file.applied << (file.applied == 1 ? " problem" : " problems")
              << " in " << file.path << "\n";
  }
  return ok;
}

// `--fix` applies the safe fixes, then lints the fixed files again; `--diff` prints the fixes as a
// unified diff instead of writing them.
int run_lint(LintOptions options) {
  // json and sarif are printed here, on stdout; the session must then print nothing itself.
  if (options.format != "text") options.common.diagnostics = "human";
  std::unique_ptr<LintRun> run = lint_once(options.common);
  bool write_failed = false;
  if (options.fix || options.diff) {
    std::vector<lint::FixedFile> fixed =
        lint::apply_fixes(run->result, run->session->compilation().sources());
    if (options.diff) {
      for (const lint::FixedFile& file : fixed) {
        std::cout << format::unified_diff(file.before, file.after, "a/" + file.path,
                                          "b/" + file.path);
      }
    } else if (!fixed.empty()) {
      write_failed = !write_fixes(fixed);
      // What remains is what the fixed files hold now.
      run->session->diagnostics() = diag::Diagnostics{};
      run.reset();
      run = lint_once(options.common);
    }
  }
  Session& session = *run->session;
  int code = run->result.has_errors() || write_failed ? 1 : 0;
  if (options.format == "text") {
    session.diagnostics() = run->result;
    int finish = session.finish();
    return std::max(code, finish);
  }
  const source::SourceManager& sources = session.compilation().sources();
  if (options.format == "json") {
    diag::RenderOptions render;
    render.format = diag::Format::Json;
    std::cout << diag::render(run->result, sources, render);
  } else {
    lint::SarifOptions sarif;
    sarif.tool_version = KC_VERSION;
    if (!run->config.help_uri_base.empty()) sarif.help_uri_base = run->config.help_uri_base;
    std::cout << lint::sarif_log(run->result, sources, sarif)
                     .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
              << "\n";
  }
  session.diagnostics() = diag::Diagnostics{};
  return code;
}

}  // namespace

void add_lint_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<LintOptions>();
  CLI::App* command =
      app.add_subcommand("lint", "Check a module and run the lint rules (docs/lint/README.md)");
  add_common_options(*command, options->common, true);
  command->add_option("--format", options->format, "Output: text (stderr), json or sarif (stdout)")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  command->add_flag("--fix", options->fix, "Apply the safe fixes, then lint again");
  command->add_flag("--diff", options->diff,
                    "Print the safe fixes as a unified diff instead of applying them");
  command->callback([options, &exit_code] { exit_code = run_lint(*options); });
}

}  // namespace kc::cli
