// SARIF 2.1.0 output of `kc lint --format sarif`, shaped for GitHub code scanning
// (docs/lint/README.md, "SARIF and GitHub code scanning").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"

namespace kc::lint {

// Where the rules' documentation lives until the configuration says otherwise (`sarif:
// help_uri_base`): `<base>lint/<rule>.md` and `<base>diagnostics.md#e0302`.
inline constexpr const char* kDefaultHelpUriBase = "https://kc.example/docs/";

struct SarifOptions {
  std::string tool_version;
  std::string help_uri_base = kDefaultHelpUriBase;  // ends with `/`
};

// One run: each rule that reports, as a reportingDescriptor with help text and a helpUri; each
// diagnostic as a result with its rule, level, message, location (relative paths with uriBaseId
// %SRCROOT%), related locations, fixes and partialFingerprints that survive edits elsewhere in the
// file. Diagnostics without a location become tool execution notifications.
nlohmann::ordered_json sarif_log(const diag::Diagnostics& diagnostics,
                                 const source::SourceManager& sources, const SarifOptions& options);

// A path as a relative URI reference (percent-encoded), or a `file://` URI when it is absolute.
std::string path_uri(std::string_view path);

}  // namespace kc::lint
