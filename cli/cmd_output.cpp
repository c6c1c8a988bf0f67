// `kc output [NAME] [--json]`: the outputs stored by the last apply. Sensitive outputs print as
// (sensitive), in text and JSON alike: their values are only in the state itself.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "cli/state_options.h"
#include "compiler/sema/suggest.h"
#include "providers/sdk/json.h"

namespace kc::cli {

void add_output_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<StateOptions>();
  auto name = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("output", "Print the outputs from the stored state");
  command->add_option("name", *name, "Print only this output's value");
  command->add_flag("--json", *json, "Print a JSON object of all outputs (or the one value)");
  add_state_options(*command, *options);
  command->callback([options, name, json, &exit_code] {
    Session session(options->common);
    state::LocalBackend backend = state_backend(*options);
    std::optional<state::State> loaded = load_state(session, backend);
    if (!loaded) {
      exit_code = session.finish();
      return;
    }
    const std::vector<std::string>& hidden = loaded->sensitive_outputs;
    auto shown = [&](const std::string& output, const sdk::Value& value) {
      if (std::binary_search(hidden.begin(), hidden.end(), output)) {
        return nlohmann::ordered_json("(sensitive)");
      }
      return sdk::to_json(value);
    };
    if (!name->empty()) {
      auto it = std::find_if(loaded->outputs.begin(), loaded->outputs.end(),
                             [&](const auto& entry) { return entry.first == *name; });
      if (it == loaded->outputs.end()) {
        std::vector<std::string> names;
        for (const auto& entry : loaded->outputs)
          names.push_back(entry.first);
        diag::Diagnostic& d = session.diagnostics().error(diag::Code::E0505, source::Span{},
                                                          "no output `" + *name + "` in the state");
        if (auto near = sema::closest(*name, names)) {
          d.with_note("did you mean `" + *near + "`?");
        } else if (names.empty()) {
          d.with_note("the state has no outputs: `kc apply` stores them");
        }
      } else {
        nlohmann::ordered_json value = shown(it->first, it->second);
        std::cout << (value.is_string() && !*json ? value.get<std::string>() : value.dump(2))
                  << "\n";
      }
      exit_code = session.finish();
      return;
    }
    if (*json) {
      nlohmann::ordered_json all = nlohmann::ordered_json::object();
      for (const auto& [output, value] : loaded->outputs)
        all[output] = shown(output, value);
      std::cout << all.dump(2) << "\n";
    } else {
      for (const auto& [output, value] : loaded->outputs) {
        nlohmann::ordered_json text = shown(output, value);
        bool sensitive = std::binary_search(hidden.begin(), hidden.end(), output);
        std::cout << fmt::format("{} = {}\n", output,
                                 sensitive ? text.get<std::string>() : text.dump());
      }
    }
    exit_code = session.finish();
  });
}

}  // namespace kc::cli
