// Saved plans (`kc plan --out FILE`, `kc apply FILE`, `kc show FILE`): the plan with everything
// needed to check it still applies (the state's lineage and serial, digests of the module's
// sources and inputs) and to carry it out exactly (the inputs). Versioned JSON; decoding never
// throws and refuses anything that is not a complete file of this version with an E0505 diagnostic.
// The file holds secret values in clear (apply needs them): it is as sensitive as the state.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"
#include "runtime/plan/drift.h"
#include "runtime/plan/plan.h"

namespace kc::plan {

inline constexpr std::string_view kPlanFileFormat = "kc-plan";
// Version 2 keeps each drifted resource's attribute changes, not only its address.
inline constexpr int kPlanFileVersion = 2;

// One source file the plan was computed from (the module's, its imports', the standard library's).
struct SourceDigest {
  std::string path;    // absolute
  std::string sha256;  // lowercase hex of the file's bytes
  friend bool operator==(const SourceDigest&, const SourceDigest&) = default;
};

// One effective param input (after --var / --var-file / KC_VAR_* precedence).
struct PlanInput {
  std::string name;
  sdk::Value value;
  std::string origin;  // "--var replicas=3", "--var-file prod.yaml", "KC_VAR_replicas"
};

struct PlanFile {
  std::string kc_version;  // of the kc that made it
  // The state the plan was computed against. Serial 0: nothing was stored yet (the lineage is then
  // the one the first save will give the state).
  std::string lineage;
  int64_t serial = 0;
  std::string module;                 // the module path as given to `kc plan`, made absolute
  std::string module_dir;             // absolute
  std::vector<SourceDigest> sources;  // sorted by path
  std::vector<PlanInput> inputs;      // sorted by name
  std::string inputs_sha256;          // inputs_digest(inputs) when the plan was made
  std::vector<Drift> drift;           // what the refresh found changed outside kc
  Plan plan;
};

// SHA-256 (hex) of the inputs' names and exact values (origins do not count).
std::string inputs_digest(const std::vector<PlanInput>& inputs);

// `sources` names span files in the file (as absolute paths); without it spans are not saved.
nlohmann::ordered_json plan_file_to_json(const PlanFile& file,
                                         const source::SourceManager* sources = nullptr);
// plan_file_to_json pretty-printed, with a final newline: the bytes written to disk.
std::string encode_plan_file(const PlanFile& file, const source::SourceManager* sources = nullptr);

// Whether `text` is JSON carrying the saved-plan format marker (of any version): how `kc apply`
// tells a saved plan from a module file whatever the file is called.
bool looks_like_plan_file(std::string_view text);

// Spans are resolved against the files of `sources` with the same absolute path; a span whose file
// is not there (or lies outside it) decodes as invalid. `origin` names the file in messages.
std::optional<PlanFile> decode_plan_file(std::string_view text, std::string_view origin,
                                         diag::Diagnostics& diags,
                                         const source::SourceManager* sources = nullptr);

// Writes `text` to `path` atomically with mode 0600. False with `error` set on failure.
bool write_plan_file(const std::string& path, std::string_view text, std::string* error);

}  // namespace kc::plan
