// Reading the Kubernetes release table.
#include "compiler/lint/releases.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <tuple>

#include "compiler/lint/config.h"
#include "compiler/lint/data_file.h"

namespace kc::lint {

const KubernetesRelease* ReleaseTable::find(int64_t major, int64_t minor) const {
  for (const KubernetesRelease& release : releases) {
    if (release.major == major && release.minor == minor) return &release;
  }
  return nullptr;
}

const KubernetesRelease* ReleaseTable::oldest_supported(int64_t day) const {
  const KubernetesRelease* best = nullptr;
  for (const KubernetesRelease& release : releases) {
    if (release.released > day || release.end_of_life < day) continue;
    if (best == nullptr ||
        std::tie(release.major, release.minor) < std::tie(best->major, best->minor))
      best = &release;
  }
  return best;
}

std::optional<ReleaseTable> parse_release_table(source::SourceManager& sources,
                                                const std::string& path, std::string text,
                                                diag::Diagnostics& diagnostics) {
  ReleaseTable table;
  table.path = source::display_path(path);
  auto read = [&](const YAML::Node& root, const DataProblem& fail) {
    const YAML::Node list = root["releases"];
    if (!list.IsSequence()) return fail(nullptr, "expected a `releases:` list");
    for (const auto& entry : list) {
      KubernetesRelease release;
      std::string version = entry["version"].as<std::string>("");
      if (std::sscanf(version.c_str(), "%ld.%ld", &release.major, &release.minor) != 2) {
        return fail(&entry, fmt::format("`version` `{}` is not MAJOR.MINOR", version));
      }
      auto date = [&](const char* key) -> std::optional<int64_t> {
        return parse_date(entry[key].as<std::string>(""));
      };
      std::optional<int64_t> released = date("released"), eol = date("end_of_life");
      if (!released || !eol) {
        return fail(&entry, fmt::format("{} needs `released` and `end_of_life` dates (YYYY-MM-DD)",
                                        version));
      }
      release.released = *released;
      release.end_of_life = *eol;
      release.planned = entry["planned"].as<bool>(false);
      release.final_patch = entry["final_patch"].as<std::string>("");
      table.releases.push_back(std::move(release));
    }
    return true;
  };
  if (!read_data_table(sources, path, std::move(text), "Kubernetes release table", diagnostics,
                       read)) {
    return std::nullopt;
  }
  return table;
}

std::optional<ReleaseTable> load_release_table(source::SourceManager& sources,
                                               const std::vector<std::string>& stdlib_dirs,
                                               diag::Diagnostics& diagnostics) {
  std::optional<DataFile> data = read_data_file(stdlib_dirs, kReleaseTablePath);
  if (!data) return std::nullopt;
  return parse_release_table(sources, data->path, std::move(data->text), diagnostics);
}

}  // namespace kc::lint
