// Constructs the parser accepts but the checker does not type yet (LANGUAGE.md sections 3-6 beyond
// the walking skeleton): each is reported once as E0001 so `kc check` never silently accepts code
// it did not check. The checker treats what this reports as the Error type, without further
// messages. Shrinks as the checker grows; empty when the language is fully checked.
#pragma once

#include "compiler/diag/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace kc::sema {

// Reports every unchecked construct in `file` (E0001), outermost first; nothing inside an
// unchecked construct is reported again.
void report_unchecked(const ast::File& file, diag::Diagnostics& diags);

}  // namespace kc::sema
