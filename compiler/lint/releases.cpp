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
  source::FileId file = sources.add(source::display_path(path), std::move(text));
  auto fail = [&](const std::string& why) {
    diagnostics.error(diag::Code::E0505, source::Span{file, 0, 0},
                      fmt::format("the Kubernetes release table is malformed: {}", why));
    return std::nullopt;
  };
  ReleaseTable table;
  table.path = source::display_path(path);
  try {
    YAML::Node root = YAML::Load(std::string(sources.file(file).text()));
    const YAML::Node& list = root["releases"];
    if (!list.IsSequence()) return fail("expected a `releases:` list");
    for (const auto& entry : list) {
      KubernetesRelease release;
      std::string version = entry["version"].as<std::string>("");
      if (std::sscanf(version.c_str(), "%ld.%ld", &release.major, &release.minor) != 2) {
        return fail(fmt::format("`version` `{}` is not MAJOR.MINOR", version));
      }
      auto date = [&](const char* key) -> std::optional<int64_t> {
        return parse_date(entry[key].as<std::string>(""));
      };
      std::optional<int64_t> released = date("released"), eol = date("end_of_life");
      if (!released || !eol) {
        return fail(
            fmt::format("{} needs `released` and `end_of_life` dates (YYYY-MM-DD)", version));
      }
      release.released = *released;
      release.end_of_life = *eol;
      release.planned = entry["planned"].as<bool>(false);
      release.final_patch = entry["final_patch"].as<std::string>("");
      table.releases.push_back(std::move(release));
    }
  } catch (const YAML::Exception& e) {
    return fail(e.msg);
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
