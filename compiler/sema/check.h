// The checker's entry point: resolve names and type every declaration and expression of a program
// against the provider schemas. Reports E02xx/E03xx; an unresolved or ill-typed expression gets the
// Error type so that one mistake gives one message.
#pragma once

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/checked.h"
#include "compiler/sema/program.h"
#include "providers/sdk/schema.h"

namespace kc::sema {

// Meta-attributes a resource body may hold besides its provider schema's inputs (LANGUAGE.md 7).
inline constexpr const char* kDependsOn = "depends_on";
inline constexpr const char* kLifecycle = "lifecycle";

CheckedProgram check(const Program& program, const sdk::SchemaSource& schemas,
                     diag::Diagnostics& diagnostics);

// Text of the checked types (`kc check --dump=types`): one line per symbol, `kind name: type`.
std::string dump_types(const CheckedProgram& checked);

}  // namespace kc::sema
