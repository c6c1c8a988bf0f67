// Saved plans at the command line: writing one after `kc plan --out`, telling one from a module
// path, reading one back, and refusing it (E0502) when the state, the module's sources or kc
// itself changed since it was made.
#pragma once

#include <optional>
#include <string>

#include "cli/planning.h"
#include "cli/session.h"
#include "runtime/plan/plan_file.h"
#include "runtime/state/state.h"

namespace kc::cli {

// The plan file of `run` (a plan just made in `session` for the module PATH `module_path`): its
// state's lineage and serial, the digests of every source file the session loaded, and the
// session's effective inputs.
plan::PlanFile make_plan_file(Session& session, const std::string& module_path, const PlanRun& run);

// Writes `file` to `path` (mode 0600). False with E0505 in the session's diagnostics on failure.
bool write_saved_plan(Session& session, const plan::PlanFile& file, const std::string& path);

// Whether the module PATH argument names a saved plan: a regular file carrying the plan format
// marker, or any regular file not named *.kcl (which reading then refuses with E0505 saying why).
// Directories and .kcl files that are not plans are modules.
bool names_saved_plan(const std::string& path);

// Reads and decodes the saved plan at `path`; nullopt with E0505 in `diags` when it cannot be read
// or is not a complete plan file. Spans resolve against `sources` when given; `text`, when given,
// receives the file's contents.
std::optional<plan::PlanFile> read_saved_plan(const std::string& path, diag::Diagnostics& diags,
                                              const source::SourceManager* sources = nullptr,
                                              std::string* text = nullptr);

// The saved inputs as the session evaluates them.
std::map<std::string, eval::ParamInput> saved_inputs(const plan::PlanFile& file);

// E0502 in `diags` (and false) when `file` no longer applies: it was made by another kc version,
// against another state (lineage) or an older one (serial), or from other sources (a file of the
// module, its imports or the standard library changed, appeared or disappeared). A plan made
// before anything was stored applies to a state still empty; `state` then takes the plan's lineage.
bool check_saved_plan(const plan::PlanFile& file, Session& session, state::State& state,
                      diag::Diagnostics& diags);

}  // namespace kc::cli
