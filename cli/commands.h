// One registration function per subcommand (each in its own cmd_*.cpp). A command's callback stores
// its exit code in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace kc::cli {

void add_check_command(CLI::App& app, int& exit_code);
void add_fmt_command(CLI::App& app, int& exit_code);
void add_eval_command(CLI::App& app, int& exit_code);
void add_lint_command(CLI::App& app, int& exit_code);
void add_plan_command(CLI::App& app, int& exit_code);
void add_apply_command(CLI::App& app, int& exit_code);
void add_destroy_command(CLI::App& app, int& exit_code);
void add_show_command(CLI::App& app, int& exit_code);
void add_state_command(CLI::App& app, int& exit_code);
void add_output_command(CLI::App& app, int& exit_code);
void add_graph_command(CLI::App& app, int& exit_code);
void add_version_command(CLI::App& app, int& exit_code);
void add_sim_command(CLI::App& app, int& exit_code);
void add_lsp_command(CLI::App& app, int& exit_code);

}  // namespace kc::cli
