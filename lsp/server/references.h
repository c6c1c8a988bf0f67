// References and renaming of module-level names (lets, params, exports, outputs, functions,
// types, enums, schemas, imports) across the modules of one analysis: the declaration, every name
// that resolves to it, and every `module.name` reaching it through an import.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lsp/server/analysis.h"
#include "lsp/server/navigation.h"

namespace kc::lsp {

struct SymbolId {
  uint32_t module = 0;
  uint32_t symbol = 0;
  friend bool operator==(const SymbolId&, const SymbolId&) = default;
};

// The symbol the name at `offset` refers to or declares, and the span of that name.
struct SymbolAt {
  SymbolId id;
  source::Span name;
};
std::optional<SymbolAt> symbol_at(const Analysis& analysis, const FileRef& at, uint32_t offset);

// Every span naming `id`, the declaration first when `include_declaration`, then by file and
// position.
std::vector<source::Span> references(const Analysis& analysis, SymbolId id,
                                     bool include_declaration);

// Whether `name` can replace a name: one identifier token, not a keyword.
bool is_identifier(std::string_view name);

// The symbol's declared name as KCL spells it.
const std::string& symbol_name(const Analysis& analysis, SymbolId id);

}  // namespace kc::lsp
