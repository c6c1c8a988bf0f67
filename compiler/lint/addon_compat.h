// The addon compatibility table (stdlib/data/addon-compatibility.yaml): for well-known addons,
// which Kubernetes minor versions each addon minor version supports, as the addons' own projects
// publish it. Data, so that a new addon release needs no new `kc`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/lint/data_file.h"
#include "compiler/source/source.h"

namespace kc::lint {

inline constexpr const char* kAddonTablePath = "data/addon-compatibility.yaml";

// One row: an addon minor version and the Kubernetes minor versions it supports.
struct AddonSupport {
  MinorVersion addon;
  MinorVersion kubernetes_min;
  std::optional<MinorVersion> kubernetes_max;  // nullopt: every later version (`1.31+`)

  bool supports(const MinorVersion& kubernetes) const;
  // `1.26 to 1.30`, or `1.31 and later`.
  std::string range() const;
};

struct AddonCompatibilityTable {
  std::string path;                                         // where it was read, for messages
  std::map<std::string, std::vector<AddonSupport>> addons;  // by name, rows in file order

  // The row of `addon` for `version`, or nullptr. Names compare with `_` and `-` alike: a block
  // label (`addon metrics_server { ... }`) cannot hold `-`.
  const AddonSupport* find(std::string_view addon, const MinorVersion& version) const;
  // Every row of `addon` (the same name rules), or nullptr when the table does not list it.
  const std::vector<AddonSupport>* rows(std::string_view addon) const;
};

// Parses the table; problems are E0505 errors pointing into the file (added to `sources`).
std::optional<AddonCompatibilityTable> parse_addon_table(source::SourceManager& sources,
                                                         const std::string& path, std::string text,
                                                         diag::Diagnostics& diagnostics);
// Reads kAddonTablePath below the first of `stdlib_dirs` that has it; nullopt when none has.
std::optional<AddonCompatibilityTable> load_addon_table(source::SourceManager& sources,
                                                        const std::vector<std::string>& stdlib_dirs,
                                                        diag::Diagnostics& diagnostics);

}  // namespace kc::lint
