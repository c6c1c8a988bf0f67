// The modules of the workspace beyond the one being edited, for references and rename that
// reach every module importing a declaration: the module directories under the workspace folders
// the client named, and the same declaration as another analysis sees it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "lsp/server/analysis.h"
#include "lsp/server/targets.h"

namespace kc::lsp {

// Directories below `roots` (absolute) that hold `.kcl` files directly, in path order: hidden
// directories (`.kc/`, `.git/`) and `node_modules` are skipped, and the walk stops after `limit`
// modules so a huge folder cannot stall a request.
std::vector<std::string> workspace_module_dirs(const std::vector<std::string>& roots,
                                               size_t limit = 256);

// `target`, declared in a module of `from`, as `to` sees it: the declaring module is matched by
// its directory, the declaration by name (a schema's or enum's member by the schema's name and
// its own). nullopt when `to` does not load that module, or for provider types and attributes,
// which belong to no module.
std::optional<Target> translate_target(const Analysis& from, const Target& target,
                                       const Analysis& to);

}  // namespace kc::lsp
