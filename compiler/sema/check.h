// The checker's entry point: resolve names and type every declaration and expression of a program
// against the provider schemas. Reports E02xx/E03xx; an unresolved or ill-typed expression gets the
// Error type so that one mistake gives one message.
#pragma once

#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/checked.h"
#include "compiler/sema/program.h"
#include "providers/sdk/schema.h"

namespace kc::sema {

// Meta-attributes a resource body may hold besides its provider schema's inputs (LANGUAGE.md 7).
inline constexpr const char* kDependsOn = "depends_on";
inline constexpr const char* kLifecycle = "lifecycle";
inline constexpr const char* kRollout = "rollout";
inline constexpr const char* kHooks = "hooks";
// The events of `hooks { ... }`, each a list of provider actions.
inline constexpr const char* kHookEvents[] = {"before_create", "after_create",   "before_update",
                                              "after_update",  "before_destroy", "after_destroy"};

// Checked modules carried over from an earlier check, so that an edit re-checks only the modules
// it can change (the language server's driver::CheckCache). A module may be carried over when it
// and every module it sees (its imports, the prelude, theirs) are unchanged: the same index, files
// (the very same trees, so spans and FileIds agree), imports, against the same provider schemas.
// unchanged_modules() decides that; the result is then the same as a fresh check's, but for the
// nesting limit (E0405), which counts only the declarations typed in this check.
struct PriorCheck {
  const TypeTable* types = nullptr;                     // the earlier check's types
  const std::vector<CheckedModule>* modules = nullptr;  // its modules, by index
  std::vector<bool> carry;  // per module of the new program: take it from `modules`
  // The earlier check's diagnostics; those in a carried module's files are reported again.
  const diag::Diagnostics* diagnostics = nullptr;
};

// Per module of `after`: whether it may be carried over from a check of `before` (above). The
// trees of `before` must still be alive, so that an address names one tree.
std::vector<bool> unchanged_modules(const Program& before, const Program& after);

CheckedProgram check(const Program& program, const sdk::SchemaSource& schemas,
                     diag::Diagnostics& diagnostics, const PriorCheck* prior = nullptr);

// The brace literals that `value` (a map entry's value) may evaluate to, through parentheses,
// `if`/`else` branches and `??`: each takes the entry's key for its @key field.
std::vector<ast::ExprId> key_receivers(const ast::File& file, ast::ExprId value);

// Text of the checked types (`kc check --dump=types`): one line per symbol, `kind name: type`.
std::string dump_types(const CheckedProgram& checked);

}  // namespace kc::sema
