// `kc check`: parse, resolve, type-check and evaluate; no state or provider is touched.
// `--dump=ast|types|desired` prints one phase's output instead (golden tests pin each boundary);
// `--dump=ast` parses the root module's files only, so it reports syntax errors alone.
#include <iostream>

#include "cli/commands.h"
#include "cli/session.h"

namespace kc::cli {

void add_check_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CommonOptions>();
  auto dump = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("check", "Parse, type-check and evaluate a module");
  add_common_options(*command, *options, true);
  command->add_option("--dump", *dump, "Print a phase's output: ast (parse only), types or desired")
      ->check(CLI::IsMember({"ast", "types", "desired"}));
  command->callback([options, dump, &exit_code] {
    Session session(*options);
    if (*dump == "ast") {
      session.compilation().parse_root();
      std::cout << session.compilation().dump_ast();
      exit_code = session.finish();
      return;
    }
    session.check();
    if (*dump == "types") std::cout << session.compilation().dump_types();
    if (!session.diagnostics().has_errors()) {
      std::optional<eval::DesiredState> desired = session.evaluate(nullptr);
      if (desired && *dump == "desired") std::cout << eval::dump_desired(*desired);
    }
    exit_code = session.finish();
  });
}

}  // namespace kc::cli
