// The data tables lint rules read from the standard library's `data/` directory (Kubernetes
// releases, network plugins, addon compatibility): finding a table, and pointing its problems at
// the YAML node they are about.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"

namespace kc::lint {

struct DataFile {
  std::string path;  // as read, normalized
  std::string text;
};

// `relative` below the first of `stdlib_dirs` that has it; nullopt when none has.
std::optional<DataFile> read_data_file(const std::vector<std::string>& stdlib_dirs,
                                       std::string_view relative);

// Where `node` is in `file`: its scalar text, or its first character; the file's start when the
// node has no position.
source::Span yaml_span(const source::SourceManager& sources, source::FileId file,
                       const YAML::Node& node);
// The same for a position yaml-cpp reports (a parse error's mark), `width` characters wide.
source::Span yaml_span(const source::SourceManager& sources, source::FileId file,
                       const YAML::Mark& mark, uint32_t width = 1);

// Reports a problem of a table at `at` (the file's start when null) as E0505 "the <table> is
// malformed: <why>"; returns false, so readers can end with `return fail(...)`.
using DataProblem = std::function<bool(const YAML::Node* at, const std::string& why)>;
// Adds `text` to `sources` as `path`, parses it as YAML and hands the root to `read`; YAML syntax
// errors and failed conversions are reported the same way. False when anything was reported.
bool read_data_table(
    source::SourceManager& sources, const std::string& path, std::string text,
    std::string_view table, diag::Diagnostics& diagnostics,
    const std::function<bool(const YAML::Node& root, const DataProblem& fail)>& read);

// `MAJOR.MINOR` (both decimal numbers, nothing else), as data tables write minor versions.
struct MinorVersion {
  int64_t major = 0;
  int64_t minor = 0;
  friend auto operator<=>(const MinorVersion&, const MinorVersion&) = default;
};
std::optional<MinorVersion> parse_minor_version(std::string_view text);
std::string to_string(const MinorVersion& version);

}  // namespace kc::lint
