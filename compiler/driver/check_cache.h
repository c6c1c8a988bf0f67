// CheckCache: the checked modules of one compilation kept for the next compilation of the same
// root module. The language server compiles a module again after every edit; with a cache, the
// checker takes over every module that neither changed nor sees a changed module (its imports,
// the prelude, theirs) from the last check, and checks only the rest: an edit in the root module
// re-checks the root, an edit in a library re-checks the library and what imports it
// (sema::PriorCheck). The diagnostics and the checked program are the same as without a cache.
//
// Use it together with a ParseCache: a module is unchanged when its files are the very same parsed
// trees, which only a parse cache hands out twice. Not thread-safe: one compilation at a time.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/check.h"
#include "compiler/sema/checked.h"
#include "compiler/sema/program.h"
#include "compiler/syntax/ast.h"
#include "providers/sdk/schema.h"

namespace kc::driver {

class CheckCache {
 public:
  // What the last check of the root `root_key` (a canonical path) lends a check of `program`
  // against `schemas`; nullopt when there was none. The result points into this cache: use it
  // before the next store().
  std::optional<sema::PriorCheck> prior(const std::string& root_key, const sema::Program& program,
                                        const sdk::SchemaSource& schemas);

  // Keeps a check of `program` (whose trees `files` holds) and the diagnostics the check reported,
  // replacing what was kept for `root_key`. `reused` is how many modules it took from the prior.
  void store(const std::string& root_key, const sema::Program& program,
             std::vector<std::shared_ptr<const ast::File>> files,
             std::shared_ptr<const sema::CheckedProgram> checked, diag::Diagnostics diagnostics,
             const sdk::SchemaSource& schemas, size_t reused);

  // Of the last stored check: modules taken from the one before, and modules checked.
  size_t last_reused() const { return last_reused_; }
  size_t last_checked() const { return last_checked_; }

 private:
  struct Entry {
    // A copy of the compilation's program: the one `checked->program` points to may be gone.
    sema::Program program;
    std::vector<std::shared_ptr<const ast::File>> files;  // keeps the addresses in `program` unique
    std::shared_ptr<const sema::CheckedProgram> checked;
    diag::Diagnostics diagnostics;
    const sdk::SchemaSource* schemas = nullptr;
  };
  std::map<std::string, Entry> entries_;
  size_t last_reused_ = 0;
  size_t last_checked_ = 0;
};

}  // namespace kc::driver
