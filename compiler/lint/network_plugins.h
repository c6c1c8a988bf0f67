// The network plugin table (stdlib/data/network-plugins.yaml): which features each plugin of the
// `NetworkPlugin` enum supports, such as enforcing NetworkPolicy objects. Data, so that a plugin's
// new feature needs no new `kc`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"

namespace kc::lint {

inline constexpr const char* kNetworkPluginTablePath = "data/network-plugins.yaml";

struct NetworkPluginInfo {
  std::string name;                      // as the `NetworkPlugin` enum names it
  std::map<std::string, bool> features;  // feature -> supported; a feature not listed is unknown
};

struct NetworkPluginTable {
  std::string path;                        // where it was read, for messages
  std::vector<NetworkPluginInfo> plugins;  // in file order

  const NetworkPluginInfo* find(std::string_view name) const;
  // The plugins that support `feature`, in file order.
  std::vector<std::string> supporting(std::string_view feature) const;
};

// Parses the table; problems are E0505 errors pointing into the file (added to `sources`).
std::optional<NetworkPluginTable> parse_network_plugin_table(source::SourceManager& sources,
                                                             const std::string& path,
                                                             std::string text,
                                                             diag::Diagnostics& diagnostics);
// Reads kNetworkPluginTablePath below the first of `stdlib_dirs` that has it; nullopt when none
// has.
std::optional<NetworkPluginTable> load_network_plugin_table(
    source::SourceManager& sources, const std::vector<std::string>& stdlib_dirs,
    diag::Diagnostics& diagnostics);

}  // namespace kc::lint
