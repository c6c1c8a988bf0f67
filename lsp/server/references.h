// References and renaming across the modules of one analysis, of module-level names (lets, params,
// exports, outputs, functions, types, enums, schemas, imports: the declaration, every name that
// resolves to it — in expressions, types, instance heads, `extends` — and every `module.name`
// reaching it through an import), schema fields and `let`s (their declarations, instance keys,
// `with` keys, member accesses and bare uses in the schema's own defaults and checks, shared with
// the schemas extending the owner) and enum members.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lsp/server/analysis.h"
#include "lsp/server/navigation.h"
#include "lsp/server/targets.h"

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

// Every span naming `target`, its declarations first when `include_declaration` (a field
// redeclared by a schema extending its owner has several), then by file and position. Provider
// attributes and resource types have no declaration in source.
std::vector<source::Span> references(const Analysis& analysis, const Target& target,
                                     bool include_declaration);

// The name at `offset` if the user may rename it; otherwise `refusal` says why (a name of the
// standard library or of a provider, an import named by its path, no name at all).
struct Renamable {
  std::optional<TargetAt> target;
  std::string placeholder;  // the current name
  std::string refusal;
};
Renamable renamable(const Analysis& analysis, const FileRef& at, uint32_t offset);

// The edits renaming `target` to `new_name` (an identifier) everywhere the analysis sees it; when
// the rename could not be complete or would change what a name means (the new name is taken by
// another declaration, field or member in the same place), no edits and `refusal` says why. A
// key written as a string (`"size" = 3`) is rewritten as a string.
struct RenameEdit {
  source::Span span;
  std::string text;
};
struct RenameEdits {
  std::vector<RenameEdit> edits;
  std::string refusal;
};
RenameEdits rename_edits(const Analysis& analysis, const Target& target,
                         const std::string& new_name);

// Whether `name` can replace a name: one identifier token, not a keyword.
bool is_identifier(std::string_view name);

// The symbol's declared name as KCL spells it.
const std::string& symbol_name(const Analysis& analysis, SymbolId id);

}  // namespace kc::lsp
