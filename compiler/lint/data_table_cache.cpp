// Data tables kept between lints while their files' texts stay the same.
#include "compiler/lint/data_table_cache.h"

#include "compiler/lint/data_file.h"

namespace kc::lint {
namespace {

// The table in `relative` below `stdlib_dirs`, from `slot` when its text is unchanged.
template <typename Table, typename Parse>
std::optional<Table> through(DataTableCache::Slot<Table>& slot, size_t& parses,
                             source::SourceManager& sources,
                             const std::vector<std::string>& stdlib_dirs, const char* relative,
                             diag::Diagnostics& diagnostics, Parse parse) {
  std::optional<DataFile> data = read_data_file(stdlib_dirs, relative);
  if (!data) return std::nullopt;
  if (slot.table && slot.path == data->path && slot.text == data->text) {
    sources.add(source::display_path(data->path), std::move(data->text));
    return slot.table;
  }
  ++parses;
  diag::Diagnostics problems;
  std::optional<Table> table = parse(sources, data->path, data->text, problems);
  bool clean = problems.empty();
  diagnostics.append(problems);
  if (table && clean) {
    slot = {data->path, std::move(data->text), table};
  } else {
    slot = {};
  }
  return table;
}

}  // namespace

std::optional<ReleaseTable> DataTableCache::releases(source::SourceManager& sources,
                                                     const std::vector<std::string>& stdlib_dirs,
                                                     diag::Diagnostics& diagnostics) {
  return through(releases_, parses_, sources, stdlib_dirs, kReleaseTablePath, diagnostics,
                 parse_release_table);
}

std::optional<NetworkPluginTable> DataTableCache::plugins(
    source::SourceManager& sources, const std::vector<std::string>& stdlib_dirs,
    diag::Diagnostics& diagnostics) {
  return through(plugins_, parses_, sources, stdlib_dirs, kNetworkPluginTablePath, diagnostics,
                 parse_network_plugin_table);
}

std::optional<AddonCompatibilityTable> DataTableCache::addons(
    source::SourceManager& sources, const std::vector<std::string>& stdlib_dirs,
    diag::Diagnostics& diagnostics) {
  return through(addons_, parses_, sources, stdlib_dirs, kAddonTablePath, diagnostics,
                 parse_addon_table);
}

}  // namespace kc::lint
