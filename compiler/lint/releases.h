// The Kubernetes release table (stdlib/data/kubernetes-releases.yaml): when each minor version was
// released and when it reaches end of life. Data, so that a new release needs no new `kc`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"

namespace kc::lint {

inline constexpr const char* kReleaseTablePath = "data/kubernetes-releases.yaml";

struct KubernetesRelease {
  int64_t major = 1;
  int64_t minor = 0;
  int64_t released = 0;     // days since 1970-01-01
  int64_t end_of_life = 0;  // days since 1970-01-01
  bool planned = false;     // end_of_life is the planned date, not yet confirmed
  std::string final_patch;  // "1.29.14" once the branch is closed; empty before
};

struct ReleaseTable {
  std::string path;  // where it was read, for messages
  std::vector<KubernetesRelease> releases;

  const KubernetesRelease* find(int64_t major, int64_t minor) const;
  // The oldest release still supported on `day`, or nullptr when none is.
  const KubernetesRelease* oldest_supported(int64_t day) const;
};

// Parses the table; problems are E0505 errors pointing into the file (added to `sources`).
std::optional<ReleaseTable> parse_release_table(source::SourceManager& sources,
                                                const std::string& path, std::string text,
                                                diag::Diagnostics& diagnostics);
// Reads kReleaseTablePath below the first of `stdlib_dirs` that has it; nullopt when none has.
std::optional<ReleaseTable> load_release_table(source::SourceManager& sources,
                                               const std::vector<std::string>& stdlib_dirs,
                                               diag::Diagnostics& diagnostics);

}  // namespace kc::lint
