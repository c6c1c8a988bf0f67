// Loading what the rules read, then running them.
#include "compiler/lint/lint_module.h"

#include <chrono>
#include <optional>

#include "compiler/lint/addon_compat.h"
#include "compiler/lint/lint.h"
#include "compiler/lint/network_plugins.h"
#include "compiler/lint/releases.h"

namespace kc::lint {

diag::Diagnostics lint_module(source::SourceManager& sources, const ModuleLintInput& input,
                              diag::Diagnostics& compile, LintConfig* config_out) {
  LintConfig config = load_config(sources, *input.module_dir, compile);
  const std::vector<std::string>& dirs = *input.stdlib_dirs;
  DataTableCache* cache = input.tables;
  std::optional<ReleaseTable> releases =
      cache ? cache->releases(sources, dirs, compile) : load_release_table(sources, dirs, compile);
  std::optional<NetworkPluginTable> plugins =
      cache ? cache->plugins(sources, dirs, compile)
            : load_network_plugin_table(sources, dirs, compile);
  std::optional<AddonCompatibilityTable> addons =
      cache ? cache->addons(sources, dirs, compile) : load_addon_table(sources, dirs, compile);
  LintInput lint_input;
  lint_input.sources = &sources;
  lint_input.checked = input.checked;
  lint_input.desired = input.desired;
  lint_input.schemas = input.schemas;
  lint_input.config = &config;
  lint_input.releases = releases ? &*releases : nullptr;
  lint_input.plugins = plugins ? &*plugins : nullptr;
  lint_input.addons = addons ? &*addons : nullptr;
  lint_input.stored = input.stored;
  lint_input.today = input.today;
  diag::Diagnostics result = lint(lint_input, compile);
  if (config_out != nullptr) *config_out = std::move(config);
  return result;
}

int64_t days_since_epoch_today() {
  auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return now.time_since_epoch().count();
}

}  // namespace kc::lint
