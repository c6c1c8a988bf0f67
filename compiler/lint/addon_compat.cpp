// Reading the addon compatibility table.
#include "compiler/lint/addon_compat.h"

#include <fmt/format.h>

#include <algorithm>

namespace kc::lint {

namespace {

std::string canonical_name(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

// `1.26 - 1.30` or `1.31+`.
std::optional<AddonSupport> parse_range(std::string_view text) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ')
      s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
      s.remove_suffix(1);
    return s;
  };
  text = trim(text);
  AddonSupport row;
  if (!text.empty() && text.back() == '+') {
    std::optional<MinorVersion> low = parse_minor_version(trim(text.substr(0, text.size() - 1)));
    if (!low) return std::nullopt;
    row.kubernetes_min = *low;
    return row;
  }
  size_t dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::optional<MinorVersion> low = parse_minor_version(trim(text.substr(0, dash)));
  std::optional<MinorVersion> high = parse_minor_version(trim(text.substr(dash + 1)));
  if (!low || !high || *high < *low) return std::nullopt;
  row.kubernetes_min = *low;
  row.kubernetes_max = *high;
  return row;
}

}  // namespace

bool AddonSupport::supports(const MinorVersion& kubernetes) const {
  return kubernetes >= kubernetes_min && (!kubernetes_max || kubernetes <= *kubernetes_max);
}

std::string AddonSupport::range() const {
  if (!kubernetes_max) return fmt::format("{} and later", to_string(kubernetes_min));
  if (*kubernetes_max == kubernetes_min) return to_string(kubernetes_min);
  return fmt::format("{} to {}", to_string(kubernetes_min), to_string(*kubernetes_max));
}

const std::vector<AddonSupport>* AddonCompatibilityTable::rows(std::string_view addon) const {
  auto it = addons.find(canonical_name(addon));
  return it == addons.end() ? nullptr : &it->second;
}

const AddonSupport* AddonCompatibilityTable::find(std::string_view addon,
                                                  const MinorVersion& version) const {
  const std::vector<AddonSupport>* all = rows(addon);
  if (all == nullptr) return nullptr;
  for (const AddonSupport& row : *all) {
    if (row.addon == version) return &row;
  }
  return nullptr;
}

std::optional<AddonCompatibilityTable> parse_addon_table(source::SourceManager& sources,
                                                         const std::string& path, std::string text,
                                                         diag::Diagnostics& diagnostics) {
  AddonCompatibilityTable table;
  table.path = source::display_path(path);
  auto read = [&](const YAML::Node& root, const DataProblem& fail) {
    const YAML::Node addons = root["addons"];
    if (!addons.IsMap()) return fail(nullptr, "expected an `addons:` mapping");
    for (const auto& entry : addons) {
      std::string name = entry.first.as<std::string>("");
      if (!entry.second.IsSequence()) {
        return fail(&entry.first, fmt::format("`{}` needs a list of rows", name));
      }
      std::vector<AddonSupport>& rows = table.addons[canonical_name(name)];
      for (const auto& item : entry.second) {
        const YAML::Node version = item["version"];
        const YAML::Node kubernetes = item["kubernetes"];
        std::optional<MinorVersion> addon =
            version.IsScalar() ? parse_minor_version(version.Scalar()) : std::nullopt;
        if (!addon) {
          return fail(version.IsDefined() ? &version : &item,
                      fmt::format("a row of `{}` needs a `version` of the form MAJOR.MINOR", name));
        }
        std::optional<AddonSupport> row =
            kubernetes.IsScalar() ? parse_range(kubernetes.Scalar()) : std::nullopt;
        if (!row) {
          return fail(kubernetes.IsDefined() ? &kubernetes : &item,
                      fmt::format("`{}` {} needs `kubernetes` as `1.26 - 1.30` or `1.31+`", name,
                                  to_string(*addon)));
        }
        row->addon = *addon;
        for (const AddonSupport& earlier : rows) {
          if (earlier.addon == row->addon) {
            return fail(&version, fmt::format("`{}` {} is listed twice", name, to_string(*addon)));
          }
        }
        rows.push_back(*row);
      }
    }
    return true;
  };
  if (!read_data_table(sources, path, std::move(text), "addon compatibility table", diagnostics,
                       read)) {
    return std::nullopt;
  }
  return table;
}

std::optional<AddonCompatibilityTable> load_addon_table(source::SourceManager& sources,
                                                        const std::vector<std::string>& stdlib_dirs,
                                                        diag::Diagnostics& diagnostics) {
  std::optional<DataFile> data = read_data_file(stdlib_dirs, kAddonTablePath);
  if (!data) return std::nullopt;
  return parse_addon_table(sources, data->path, std::move(data->text), diagnostics);
}

}  // namespace kc::lint
