// Reading the network plugin table.
#include "compiler/lint/network_plugins.h"

#include <fmt/format.h>

#include "compiler/lint/data_file.h"

namespace kc::lint {

const NetworkPluginInfo* NetworkPluginTable::find(std::string_view name) const {
  for (const NetworkPluginInfo& plugin : plugins) {
    if (plugin.name == name) return &plugin;
  }
  return nullptr;
}

std::vector<std::string> NetworkPluginTable::supporting(std::string_view feature) const {
  std::vector<std::string> out;
  for (const NetworkPluginInfo& plugin : plugins) {
    auto it = plugin.features.find(std::string(feature));
    if (it != plugin.features.end() && it->second) out.push_back(plugin.name);
  }
  return out;
}

std::optional<NetworkPluginTable> parse_network_plugin_table(source::SourceManager& sources,
                                                             const std::string& path,
                                                             std::string text,
                                                             diag::Diagnostics& diagnostics) {
  NetworkPluginTable table;
  table.path = source::display_path(path);
  auto read = [&](const YAML::Node& root, const DataProblem& fail) {
    const YAML::Node plugins = root["plugins"];
    if (!plugins.IsMap()) return fail(nullptr, "expected a `plugins:` mapping");
    for (const auto& entry : plugins) {
      NetworkPluginInfo plugin;
      plugin.name = entry.first.as<std::string>("");
      if (!entry.second.IsMap()) {
        return fail(&entry.first,
                    fmt::format("`{}` needs a mapping of features to true or false", plugin.name));
      }
      for (const auto& feature : entry.second) {
        bool supported = false;
        if (!feature.second.IsScalar() || !YAML::convert<bool>::decode(feature.second, supported)) {
          return fail(&feature.second, fmt::format("`{}.{}` must be true or false", plugin.name,
                                                   feature.first.as<std::string>("")));
        }
        plugin.features[feature.first.as<std::string>("")] = supported;
      }
      table.plugins.push_back(std::move(plugin));
    }
    return true;
  };
  if (!read_data_table(sources, path, std::move(text), "network plugin table", diagnostics, read)) {
    return std::nullopt;
  }
  return table;
}

std::optional<NetworkPluginTable> load_network_plugin_table(
    source::SourceManager& sources, const std::vector<std::string>& stdlib_dirs,
    diag::Diagnostics& diagnostics) {
  std::optional<DataFile> data = read_data_file(stdlib_dirs, kNetworkPluginTablePath);
  if (!data) return std::nullopt;
  return parse_network_plugin_table(sources, data->path, std::move(data->text), diagnostics);
}

}  // namespace kc::lint
