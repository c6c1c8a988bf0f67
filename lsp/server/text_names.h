// Names read from the text before the cursor and resolved through the module's last checked
// analysis: what completion and signature help go by while the text being typed does not parse.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/sema/checked.h"

namespace kc::lsp {

// The dotted name ending at `end` (`lib.p0x2` gives {"lib", "p0x2"}) and where it begins; empty
// when an identifier does not end there.
std::vector<std::string> dotted_name_before(std::string_view text, uint32_t end, uint32_t* begin);

struct DeclaredName {
  uint32_t module = 0;
  const sema::Symbol* symbol = nullptr;
};
// The module-level declaration that `Pool`, `lib.Pool` or `lib.inner.f` names in module
// `module`: the first part among the module's own names, then the prelude's; each further part
// among the public names of the module the previous part imports.
std::optional<DeclaredName> declared_name(const sema::CheckedProgram& checked, uint32_t module,
                                          const std::vector<std::string>& parts);

// A bracket still open at the cursor, with the commas seen directly inside it so far.
struct OpenBracket {
  char bracket = '(';  // `(`, `[` or `{`
  uint32_t at = 0;
  uint32_t commas = 0;
};
// The brackets open at `offset`, outermost first. Strings and comments are skipped roughly, as
// people type them (a string ends at its line's end).
std::vector<OpenBracket> open_brackets(std::string_view text, uint32_t offset);

// Whether `text` holds `name` as a whole identifier (comments and strings count too).
bool mentions_identifier(std::string_view text, std::string_view name);

// Whether other modules may read `symbol` (sema::public_kind).
bool public_symbol(const sema::Symbol& symbol);

}  // namespace kc::lsp
