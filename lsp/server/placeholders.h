// Placeholder values: for a type the checker knows, a short literal that type-checks where that
// type is expected (`""` for a string, `0` for an int, an enum's first member, a range's low
// bound). Shared by the instance snippets of completion and the "add missing required fields"
// quick fix.
#pragma once

#include <string>

#include "compiler/sema/checked.h"
#include "providers/sdk/schema.h"

namespace kc::lsp {

// The placeholder for `type` as written in a body of the root module (enum members bare, since
// an enum is expected there; nested schemas as `Name {}`).
std::string placeholder_for(const sema::CheckedProgram& checked, sema::TypeId type);

// The placeholder for a provider attribute type.
std::string placeholder_for(const sdk::AttrType& type);

}  // namespace kc::lsp
