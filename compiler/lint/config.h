// `.kc-lint.yaml`: which rules run and at what severity, per path, and the rules' options. Found
// in the module's directory or the nearest directory above it (docs/lint/README.md,
// "Configuration").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/lint/rule.h"
#include "compiler/source/source.h"

namespace kc::lint {

inline constexpr const char* kConfigFileName = ".kc-lint.yaml";

enum class Level : uint8_t { Off, Info, Warning, Error };

struct LintConfig {
  // Rule levels from one part of the file: the top level (no patterns), then each `overrides`
  // entry (applies to files matching one of its patterns). Later layers win.
  struct Layer {
    std::vector<std::string> patterns;
    std::map<Rule, Level> levels;
  };

  std::string path;      // the file read; empty when there is none (every default applies)
  std::string base_dir;  // absolute; `overrides` patterns are relative to it
  std::vector<Layer> layers;
  std::map<std::pair<Rule, std::string>, std::string, std::less<>> options;  // as written
  // Where SARIF `helpUri`s point: `<base><rule>.md`.
  std::string help_uri_base;

  // The severity of `rule` for a finding in `file` (a path as printed: relative to the current
  // directory, or absolute); nullopt when the rule is off there.
  std::optional<diag::Severity> severity(Rule rule, std::string_view file) const;
  // An option's text (validated when the file was read), or nullopt when not set.
  std::optional<std::string> option(Rule rule, std::string_view key) const;
  int64_t int_option(Rule rule, std::string_view key, int64_t fallback) const;
};

// `.kc-lint.yaml` in `start_dir` or the nearest directory above it; the search stops after a
// directory that holds `.git` (the repository root) or at the file system root.
std::optional<std::string> find_config(const std::string& start_dir);

// Reads a configuration. The file is added to `sources` so that problems (E0505 errors: bad YAML,
// unknown keys, rules, levels or options) point into it.
LintConfig parse_config(source::SourceManager& sources, const std::string& path, std::string text,
                        diag::Diagnostics& diagnostics);

// find_config + parse_config; the defaults when there is no file. An unreadable file is an E0505.
LintConfig load_config(source::SourceManager& sources, const std::string& module_dir,
                       diag::Diagnostics& diagnostics);

// Whether `path` ('/'-separated, relative) matches `pattern`: `*` and `?` stay within one path
// segment, `**` crosses segments (`dev/**`, `**/staging.kcl`).
bool glob_match(std::string_view pattern, std::string_view path);

// Parses `YYYY-MM-DD` into days since 1970-01-01; nullopt for anything else.
std::optional<int64_t> parse_date(std::string_view text);
// Days since 1970-01-01 back to `YYYY-MM-DD`.
std::string format_date(int64_t days);

}  // namespace kc::lint
