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

CheckedProgram check(const Program& program, const sdk::SchemaSource& schemas,
                     diag::Diagnostics& diagnostics);

// The brace literals that `value` (a map entry's value) may evaluate to, through parentheses,
// `if`/`else` branches and `??`: each takes the entry's key for its @key field.
std::vector<ast::ExprId> key_receivers(const ast::File& file, ast::ExprId value);

// Text of the checked types (`kc check --dump=types`): one line per symbol, `kind name: type`.
std::string dump_types(const CheckedProgram& checked);

}  // namespace kc::sema
