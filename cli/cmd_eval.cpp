// `kc eval`: the root module's exports as data (LANGUAGE.md 8a). Outputs of resources that do not
// exist yet print as "(known after apply)".
#include <iostream>

#include "cli/commands.h"
#include "cli/session.h"
#include "support/yaml_writer.h"

namespace kc::cli {

void add_eval_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CommonOptions>();
  auto format = std::make_shared<std::string>("json");
  CLI::App* command = app.add_subcommand("eval", "Print the root module's exports as data");
  add_common_options(*command, *options, true);
  command->add_option("--format", *format, "Output format: json or yaml")
      ->check(CLI::IsMember({"json", "yaml"}));
  command->add_option("--expr", options->expression,
                      "Print one expression, evaluated in the root module's scope, instead of "
                      "the exports");
  command->callback([options, format, &exit_code] {
    Session session(*options);
    if (session.check()) {
      if (std::optional<eval::DesiredState> desired = session.evaluate(nullptr)) {
        nlohmann::ordered_json exports = eval::exports_json(*desired);
        if (options->expression) {
          // A null value has no entry: printed records leave null fields out.
          nlohmann::ordered_json value = exports.contains(driver::kExprExport)
                                             ? exports[driver::kExprExport]
                                             : nlohmann::ordered_json(nullptr);
          exports = std::move(value);
        }
        std::cout << (*format == "yaml" ? support::to_yaml(exports) : exports.dump(2) + "\n");
      }
    }
    exit_code = session.finish();
  });
}

}  // namespace kc::cli
