// DataTableCache: the standard library's lint data tables (Kubernetes releases, network plugins,
// addon compatibility) parsed once for many lints. The language server lints after every edit, and
// parsing the three YAML files was about a sixth of an edit's instructions (docs/performance.md). A
// table is parsed again when its file's text changes; one with problems is never kept, so its
// diagnostics are reported by every lint as without a cache. The file is still added to each lint's
// sources, so FileIds and paths are the same as without a cache. Not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/lint/addon_compat.h"
#include "compiler/lint/network_plugins.h"
#include "compiler/lint/releases.h"
#include "compiler/source/source.h"

namespace kc::lint {

class DataTableCache {
 public:
  // As load_release_table, load_network_plugin_table and load_addon_table.
  std::optional<ReleaseTable> releases(source::SourceManager& sources,
                                       const std::vector<std::string>& stdlib_dirs,
                                       diag::Diagnostics& diagnostics);
  std::optional<NetworkPluginTable> plugins(source::SourceManager& sources,
                                            const std::vector<std::string>& stdlib_dirs,
                                            diag::Diagnostics& diagnostics);
  std::optional<AddonCompatibilityTable> addons(source::SourceManager& sources,
                                                const std::vector<std::string>& stdlib_dirs,
                                                diag::Diagnostics& diagnostics);

  // Tables parsed since construction (a lint served from the cache parses none).
  size_t parses() const { return parses_; }

  template <typename Table>
  struct Slot {
    std::string path;
    std::string text;
    std::optional<Table> table;
  };

 private:
  Slot<ReleaseTable> releases_;
  Slot<NetworkPluginTable> plugins_;
  Slot<AddonCompatibilityTable> addons_;
  size_t parses_ = 0;
};

}  // namespace kc::lint
