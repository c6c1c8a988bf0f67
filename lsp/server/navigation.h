// What the editor asks about a place in a file, answered from one Analysis: the expression under
// the cursor, its hover text, where a name is defined, and the outline of a file. Pure functions of
// the compiler's output; positions are byte offsets (the server converts).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/source/source.h"
#include "lsp/server/analysis.h"
#include "lsp/server/signatures.h"

namespace kc::lsp {

// Where one of the analysis's files is in the checked program.
struct FileRef {
  uint32_t module = 0;
  uint32_t file = 0;  // index into the module's files
  const ast::File* ast = nullptr;
};

// The file at absolute `path`; nullopt when it is not part of the checked program (or checking did
// not run).
std::optional<FileRef> find_file(const Analysis& analysis, const std::string& path);

// The innermost expression whose span holds byte `offset` (a cursor just after a name counts as on
// it); an invalid id when there is none.
ast::ExprId expr_at(const ast::File& file, uint32_t offset);

// Hover text of the name under the cursor (targets.h: symbols, schema fields and `let`s, enum
// members, provider resource types and attributes) with its type, doc comment, default and — for
// constants, and exports and outputs of an evaluated root module — its value; else the type of
// the expression under the cursor.
struct HoverInfo {
  std::string markdown;
  source::Span span;  // what the hover is about
};
std::optional<HoverInfo> hover(const Analysis& analysis, const FileRef& at, uint32_t offset);

// The declaration of the name under the cursor (targets.h: a module-level symbol wherever it is
// named, a schema field or `let` — at an instance key, a member access, a bare use in the schema —,
// an enum member). Provider attributes have none.
std::optional<source::Span> definition(const Analysis& analysis, const FileRef& at,
                                       uint32_t offset);

// The signature of the function called around `offset` (inside its parentheses), with the
// parameter the cursor is on.
std::optional<SignatureInfo> signature_help(const Analysis& analysis, const FileRef& at,
                                            uint32_t offset);

// A type shown after a name whose declaration leaves it to inference (`let zones` ⇒ `: [string]`).
struct TypeHint {
  uint32_t offset = 0;  // just after the name
  std::string label;    // ": [string]"
};
// The hints for declarations of the file whose names lie in [begin, end].
std::vector<TypeHint> type_hints(const Analysis& analysis, const FileRef& at, uint32_t begin,
                                 uint32_t end);

// The defaults that apply to a schema instance, shown after its `{`: ` size = 3, zone = "a"` for
// each field with a default the body does not set (set in any branch of an `if`/`for` counts as
// set; `@key` fields are filled from the label).
struct DefaultsHint {
  uint32_t offset = 0;  // just after the body's `{`
  std::string label;
};
// The hints for the instances of the file whose bodies begin in [begin, end].
std::vector<DefaultsHint> defaults_hints(const Analysis& analysis, const FileRef& at,
                                         uint32_t begin, uint32_t end);

// Module-level symbols of every module of the analysis whose name contains `query` (case-
// insensitively; all of them for an empty query), standard library modules excluded.
struct NamedSymbol {
  std::string name;
  std::string container;  // the module's name
  int kind = 13;          // LSP SymbolKind
  source::Span span;
};
std::vector<NamedSymbol> find_symbols(const Analysis& analysis, std::string_view query);

// A declaration of the file whose value owns resources (`prod = Cluster { ... }` owns every
// resource whose address starts with `prod.`), with how many of each type it produces.
struct ResourceLens {
  source::Span name;
  size_t total = 0;
  std::vector<std::pair<std::string, size_t>> by_type;  // most first, then by name
};
std::vector<ResourceLens> resource_lenses(const Analysis& analysis, const FileRef& at);

struct OutlineItem {
  std::string name;
  std::string detail;      // the type, or the declaration's kind
  int kind = 13;           // LSP SymbolKind
  source::Span span;       // the whole declaration
  source::Span name_span;  // its name
  std::vector<OutlineItem> children;
};
// The declarations of the file, in source order, schemas with their fields.
std::vector<OutlineItem> outline(const Analysis& analysis, const FileRef& at);

}  // namespace kc::lsp
