// Finding and reading `.kc-lint.yaml`. yaml-cpp reports problems only by exception; they are caught
// here and become diagnostics that point into the file.
#include "compiler/lint/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/sema/suggest.h"

namespace kc::lint {

namespace fs = std::filesystem;
using diag::Code;

namespace {

// The options a rule accepts; anything else in a rule's entry is an error.
struct OptionSpec {
  Rule rule;
  std::string_view key;
  enum class Kind : uint8_t { Int, Date } kind;
  int64_t low = 0;
  int64_t high = 0;
};

constexpr OptionSpec kOptions[] = {
    {Rule::PodCidrTooSmall, "node_mask_v4", OptionSpec::Kind::Int, 1, 32},
    {Rule::PodCidrTooSmall, "node_mask_v6", OptionSpec::Kind::Int, 1, 128},
    {Rule::ServiceCidrTooSmall, "min_addresses", OptionSpec::Kind::Int, 1, 1 << 30},
    {Rule::KubernetesVersionEol, "as_of", OptionSpec::Kind::Date, 0, 0},
};

const OptionSpec* find_option(Rule rule, std::string_view key) {
  for (const OptionSpec& spec : kOptions) {
    if (spec.rule == rule && spec.key == key) return &spec;
  }
  return nullptr;
}

std::optional<Level> parse_level(std::string_view text) {
  if (text == "off") return Level::Off;
  if (text == "info") return Level::Info;
  if (text == "warning") return Level::Warning;
  if (text == "error") return Level::Error;
  return std::nullopt;
}

std::string ticked(std::string_view text) {
  return fmt::format("`{}`", text);
}

class Reader {
 public:
  Reader(source::SourceManager& sources, source::FileId file, diag::Diagnostics& diags,
         LintConfig& config)
      : sources_(sources), file_(file), diags_(diags), config_(config) {}

  void read(const YAML::Node& root) {
    if (root.IsNull()) return;  // an empty file: every default
    if (!root.IsMap()) {
      error(root, "the lint configuration must be a mapping (`rules:`, `overrides:`, ...)");
      return;
    }
    LintConfig::Layer top;
    for (const auto& entry : root) {
      std::string key = entry.first.as<std::string>();
      const YAML::Node& value = entry.second;
      if (key == "rules") {
        read_rules(value, top, true);
      } else if (key == "disable" || key == "enable") {
        read_switch(value, top, key == "disable");
      } else if (key == "overrides") {
        read_overrides(value);
      } else if (key == "sarif") {
        read_sarif(value);
      } else {
        error(entry.first, fmt::format("unknown key {} in the lint configuration", ticked(key)),
              {"rules", "disable", "enable", "overrides", "sarif"});
      }
    }
    config_.layers.insert(config_.layers.begin(), std::move(top));
  }

 private:
  source::Span span_of(const YAML::Node& node) const {
    const source::SourceFile& file = sources_.file(file_);
    YAML::Mark mark = node.Mark();
    if (mark.line < 0) return source::Span{file_, 0, 0};
    auto line = static_cast<uint32_t>(mark.line + 1);
    if (line > file.line_count()) return source::Span{file_, 0, 0};
    std::string_view text = file.line_text(line);
    auto begin = static_cast<uint32_t>(text.data() - file.text().data()) +
                 static_cast<uint32_t>(std::min<size_t>(mark.column, text.size()));
    uint32_t width = node.IsScalar() ? static_cast<uint32_t>(node.Scalar().size()) : 1;
    auto line_end = static_cast<uint32_t>(text.data() - file.text().data() + text.size());
    return source::Span{file_, begin, std::min(begin + std::max<uint32_t>(width, 1), line_end)};
  }

  void error(const YAML::Node& at, std::string message,
             const std::vector<std::string>& candidates = {}) {
    diag::Diagnostic& d = diags_.error(Code::E0505, span_of(at), std::move(message));
    if (!candidates.empty() && at.IsScalar()) {
      if (auto near = sema::closest(at.Scalar(), candidates)) {
        d.with_label(fmt::format("did you mean {}?", ticked(*near)));
      }
    }
  }

  std::optional<Rule> rule_named(const YAML::Node& node) {
    if (!node.IsScalar()) {
      error(node, "expected a rule name");
      return std::nullopt;
    }
    std::optional<Rule> rule = find_rule(node.Scalar());
    if (!rule)
      error(node, fmt::format("unknown lint rule {}", ticked(node.Scalar())), rule_names());
    return rule;
  }

  void read_switch(const YAML::Node& list, LintConfig::Layer& layer, bool disable) {
    if (!list.IsSequence()) {
      error(list, "expected a list of rule names");
      return;
    }
    for (const auto& item : list) {
      if (auto rule = rule_named(item)) {
        layer.levels[*rule] = disable ? Level::Off : default_level(*rule);
      }
    }
  }

  static Level default_level(Rule rule) {
    switch (rule_info(rule).severity) {
      case diag::Severity::Error:
        return Level::Error;
      case diag::Severity::Warning:
        return Level::Warning;
      case diag::Severity::Info:
        return Level::Info;
    }
    return Level::Warning;
  }

  std::optional<Level> level_of(const YAML::Node& node) {
    if (node.IsScalar()) {
      if (auto level = parse_level(node.Scalar())) return level;
    }
    error(node, "a rule's level is `error`, `warning`, `info` or `off`",
          {"error", "warning", "info", "off"});
    return std::nullopt;
  }

  // `rules:` maps a rule to a level, or to a mapping of `level` and the rule's options (allowed
  // only at the top level: options hold for the whole module).
  void read_rules(const YAML::Node& rules, LintConfig::Layer& layer, bool top_level) {
    if (!rules.IsMap()) {
      error(rules, "`rules` maps rule names to levels");
      return;
    }
    for (const auto& entry : rules) {
      std::optional<Rule> rule = rule_named(entry.first);
      if (!rule) continue;
      const YAML::Node& value = entry.second;
      if (!value.IsMap()) {
        if (auto level = level_of(value)) layer.levels[*rule] = *level;
        continue;
      }
      for (const auto& setting : value) {
        std::string key = setting.first.as<std::string>();
        if (key == "level") {
          if (auto level = level_of(setting.second)) layer.levels[*rule] = *level;
        } else if (!top_level) {
          error(setting.first, "rule options are set at the top level, not in `overrides`");
        } else {
          read_option(*rule, setting.first, setting.second);
        }
      }
    }
  }

  void read_option(Rule rule, const YAML::Node& key_node, const YAML::Node& value) {
    std::string key = key_node.as<std::string>();
    const OptionSpec* spec = find_option(rule, key);
    if (spec == nullptr) {
      std::vector<std::string> known{"level"};
      for (const OptionSpec& s : kOptions) {
        if (s.rule == rule) known.emplace_back(s.key);
      }
      error(key_node, fmt::format("{} has no option {}", ticked(rule_info(rule).name), ticked(key)),
            known);
      return;
    }
    std::string text = value.IsScalar() ? value.Scalar() : std::string();
    bool ok = false;
    if (spec->kind == OptionSpec::Kind::Int) {
      int64_t number = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
      ok = ec == std::errc() && end == text.data() + text.size() && number >= spec->low &&
           number <= spec->high;
      if (!ok) {
        error(value, fmt::format("{} takes a whole number from {} to {}", ticked(key), spec->low,
                                 spec->high));
      }
    } else {
      ok = parse_date(text).has_value();
      if (!ok) error(value, fmt::format("{} takes a date written YYYY-MM-DD", ticked(key)));
    }
    if (ok) config_.options[{rule, key}] = text;
  }

  void read_overrides(const YAML::Node& list) {
    if (!list.IsSequence()) {
      error(list, "`overrides` is a list of `{ paths: [...], rules: {...} }` entries");
      return;
    }
    for (const auto& item : list) {
      if (!item.IsMap()) {
        error(item, "an override is a mapping with `paths` and `rules`, `enable` or `disable`");
        continue;
      }
      LintConfig::Layer layer;
      bool has_paths = false;
      for (const auto& entry : item) {
        std::string key = entry.first.as<std::string>();
        const YAML::Node& value = entry.second;
        if (key == "paths") {
          has_paths = true;
          if (value.IsScalar()) {
            layer.patterns.push_back(value.Scalar());
          } else if (value.IsSequence()) {
            for (const auto& pattern : value) {
              if (pattern.IsScalar()) {
                layer.patterns.push_back(pattern.Scalar());
              } else {
                error(pattern, "a path pattern is a string such as `dev/**`");
              }
            }
          } else {
            error(value, "`paths` is a list of path patterns such as `dev/**`");
          }
        } else if (key == "rules") {
          read_rules(value, layer, false);
        } else if (key == "disable" || key == "enable") {
          read_switch(value, layer, key == "disable");
        } else {
          error(entry.first, fmt::format("unknown key {} in an override", ticked(key)),
                {"paths", "rules", "disable", "enable"});
        }
      }
      if (!has_paths) {
        error(item, "an override needs `paths`: the files it applies to");
        continue;
      }
      config_.layers.push_back(std::move(layer));
    }
  }

  void read_sarif(const YAML::Node& value) {
    if (!value.IsMap()) {
      error(value, "`sarif` is a mapping (`help_uri_base: ...`)");
      return;
    }
    for (const auto& entry : value) {
      std::string key = entry.first.as<std::string>();
      if (key == "help_uri_base" && entry.second.IsScalar()) {
        config_.help_uri_base = entry.second.Scalar();
      } else {
        error(entry.first, fmt::format("unknown key {} in `sarif`", ticked(key)),
              {"help_uri_base"});
      }
    }
  }

  source::SourceManager& sources_;
  source::FileId file_;
  diag::Diagnostics& diags_;
  LintConfig& config_;
};

// '/'-separated, relative to `base`; empty when `file` lies outside it.
std::string relative_to(const std::string& base, std::string_view file) {
  std::error_code ec;
  fs::path absolute = fs::absolute(fs::path(file), ec).lexically_normal();
  if (ec) return std::string();
  fs::path rel = absolute.lexically_relative(fs::path(base));
  std::string text = rel.generic_string();
  if (text.empty() || text.rfind("..", 0) == 0) return std::string();
  return text;
}

}  // namespace

std::optional<diag::Severity> LintConfig::severity(Rule rule, std::string_view file) const {
  Level level = Level::Warning;
  switch (rule_info(rule).severity) {
    case diag::Severity::Error:
      level = Level::Error;
      break;
    case diag::Severity::Warning:
      level = Level::Warning;
      break;
    case diag::Severity::Info:
      level = Level::Info;
      break;
  }
  std::string relative;
  bool relative_known = false;
  for (const Layer& layer : layers) {
    auto it = layer.levels.find(rule);
    if (it == layer.levels.end()) continue;
    if (!layer.patterns.empty()) {
      if (!relative_known) {
        relative = relative_to(base_dir, file);
        relative_known = true;
      }
      bool matched = false;
      for (const std::string& pattern : layer.patterns) {
        if (!relative.empty() && glob_match(pattern, relative)) matched = true;
      }
      if (!matched) continue;
    }
    level = it->second;
  }
  switch (level) {
    case Level::Off:
      return std::nullopt;
    case Level::Info:
      return diag::Severity::Info;
    case Level::Warning:
      return diag::Severity::Warning;
    case Level::Error:
      return diag::Severity::Error;
  }
  return std::nullopt;
}

std::optional<std::string> LintConfig::option(Rule rule, std::string_view key) const {
  auto it = options.find(std::make_pair(rule, std::string(key)));
  if (it == options.end()) return std::nullopt;
  return it->second;
}

int64_t LintConfig::int_option(Rule rule, std::string_view key, int64_t fallback) const {
  std::optional<std::string> text = option(rule, key);
  if (!text) return fallback;
  int64_t number = fallback;
  std::from_chars(text->data(), text->data() + text->size(), number);
  return number;
}

std::optional<std::string> find_config(const std::string& start_dir) {
  std::error_code ec;
  fs::path dir = fs::absolute(fs::path(start_dir.empty() ? "." : start_dir), ec).lexically_normal();
  if (ec) return std::nullopt;
  while (true) {
    fs::path candidate = dir / kConfigFileName;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (fs::exists(dir / ".git", ec) || !dir.has_parent_path() || dir.parent_path() == dir) break;
    dir = dir.parent_path();
  }
  return std::nullopt;
}

LintConfig parse_config(source::SourceManager& sources, const std::string& path, std::string text,
                        diag::Diagnostics& diagnostics) {
  LintConfig config;
  config.path = path;
  std::error_code ec;
  config.base_dir = fs::absolute(fs::path(path), ec).lexically_normal().parent_path().string();
  source::FileId file = sources.add(source::display_path(path), std::move(text));
  YAML::Node root;
  try {
    root = YAML::Load(std::string(sources.file(file).text()));
  } catch (const YAML::Exception& e) {
    const source::SourceFile& source_file = sources.file(file);
    uint32_t offset = 0;
    if (e.mark.line >= 0 && static_cast<uint32_t>(e.mark.line) < source_file.line_count()) {
      std::string_view line = source_file.line_text(static_cast<uint32_t>(e.mark.line + 1));
      offset = static_cast<uint32_t>(line.data() - source_file.text().data()) +
               static_cast<uint32_t>(std::min<size_t>(std::max(e.mark.column, 0), line.size()));
    }
    diagnostics.error(Code::E0505, source::Span{file, offset, offset},
                      fmt::format("the lint configuration is not valid YAML: {}", e.msg));
    return config;
  }
  try {
    Reader(sources, file, diagnostics, config).read(root);
  } catch (const YAML::Exception& e) {  // a key that is not a scalar, say
    diagnostics.error(Code::E0505, source::Span{file, 0, 0},
                      fmt::format("cannot read the lint configuration: {}", e.msg));
  }
  return config;
}

LintConfig load_config(source::SourceManager& sources, const std::string& module_dir,
                       diag::Diagnostics& diagnostics) {
  std::optional<std::string> path = find_config(module_dir);
  if (!path) return LintConfig{};
  std::ifstream in(*path, std::ios::binary);
  if (!in) {
    diagnostics.error(Code::E0505, source::Span{},
                      fmt::format("cannot read the lint configuration `{}`", *path));
    return LintConfig{};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(sources, *path, text.str(), diagnostics);
}

bool glob_match(std::string_view pattern, std::string_view path) {
  if (pattern.empty()) return path.empty();
  if (pattern.substr(0, 2) == "**") {
    std::string_view rest = pattern.substr(2);
    // `**/x` also matches `x` at the top.
    if (!rest.empty() && rest[0] == '/' && glob_match(rest.substr(1), path)) return true;
    for (size_t i = 0; i <= path.size(); ++i) {
      if (glob_match(rest, path.substr(i))) return true;
    }
    return false;
  }
  if (pattern[0] == '*') {
    for (size_t i = 0; i <= path.size(); ++i) {
      if (glob_match(pattern.substr(1), path.substr(i))) return true;
      if (i < path.size() && path[i] == '/') break;
    }
    return false;
  }
  if (path.empty()) return false;
  if (pattern[0] == '?') return path[0] != '/' && glob_match(pattern.substr(1), path.substr(1));
  return pattern[0] == path[0] && glob_match(pattern.substr(1), path.substr(1));
}

std::optional<int64_t> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](size_t at, size_t len) -> std::optional<int> {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + len, value);
    if (ec != std::errc() || end != text.data() + at + len) return std::nullopt;
    return value;
  };
  auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d) return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year(*y),
                                   std::chrono::month(static_cast<unsigned>(*m)),
                                   std::chrono::day(static_cast<unsigned>(*d))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date).time_since_epoch().count();
}

std::string format_date(int64_t days) {
  std::chrono::year_month_day date{std::chrono::sys_days(std::chrono::days(days))};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

}  // namespace kc::lint
