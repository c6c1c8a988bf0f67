// The `kc` entry point: builds the command tree and maps every outcome to CLI.md's exit codes.
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"kc: check, plan and apply KCL cluster descriptions", "kc"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every command");
  int exit_code = 0;
  kc::cli::add_fmt_command(app, exit_code);
  kc::cli::add_check_command(app, exit_code);
  kc::cli::add_lint_command(app, exit_code);
  kc::cli::add_eval_command(app, exit_code);
  kc::cli::add_plan_command(app, exit_code);
  kc::cli::add_apply_command(app, exit_code);
  kc::cli::add_destroy_command(app, exit_code);
  kc::cli::add_show_command(app, exit_code);
  kc::cli::add_state_command(app, exit_code);
  kc::cli::add_output_command(app, exit_code);
  kc::cli::add_graph_command(app, exit_code);
  kc::cli::add_version_command(app, exit_code);
  kc::cli::add_sim_command(app, exit_code);
  kc::cli::add_lsp_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 reports bad flags by exception; help and version exit 0, every other error 1.
    int code = app.exit(e);
    return code == 0 ? 0 : 1;
  }
  return exit_code;
}
