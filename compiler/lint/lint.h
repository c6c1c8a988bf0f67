// `kc lint`'s engine: runs every enabled rule over a checked and evaluated module, applies the
// configuration and the `# kc:ignore` comments, and returns the findings with the compile
// diagnostics. Rules only read what the compiler produced; nothing is parsed or evaluated again.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "compiler/diag/diagnostic.h"
#include "compiler/eval/desired_state.h"
#include "compiler/lint/addon_compat.h"
#include "compiler/lint/config.h"
#include "compiler/lint/network_plugins.h"
#include "compiler/lint/releases.h"
#include "compiler/sema/checked.h"
#include "compiler/source/source.h"
#include "providers/sdk/schema.h"

namespace kc::lint {

struct LintInput {
  const source::SourceManager* sources = nullptr;
  // Null when checking did not run (syntax errors).
  const sema::CheckedProgram* checked = nullptr;
  // Null when evaluation failed or did not run: rules over values are then skipped.
  const eval::DesiredState* desired = nullptr;
  const sdk::SchemaSource* schemas = nullptr;
  const LintConfig* config = nullptr;
  // Null when no release table was found: kubernetes-version-eol is then skipped.
  const ReleaseTable* releases = nullptr;
  // Null when no network plugin table was found: network-plugin-feature is then skipped.
  const NetworkPluginTable* plugins = nullptr;
  // Null when no addon compatibility table was found: addon-incompatible is then skipped.
  const AddonCompatibilityTable* addons = nullptr;
  // Address -> attributes from the state, when one exists (null otherwise): upgrade-skips-minor
  // compares the desired versions with them.
  const std::map<std::string, sdk::Value>* stored = nullptr;
  // Days since 1970-01-01: the date support status is judged on unless the configuration sets
  // kubernetes-version-eol's `as_of`.
  int64_t today = 0;
};

// The compile diagnostics followed by the lint findings, sorted for printing. Rules run only when
// `compile` has no errors (findings over a broken module are mostly echoes). The checker's
// deprecation warnings (E0306) are replaced by the `deprecated-field` rule, so that configuration
// and `# kc:ignore` govern them too.
diag::Diagnostics lint(const LintInput& input, const diag::Diagnostics& compile);

}  // namespace kc::lint
