// What a name at a position stands for, across everything the checker resolved: module-level
// declarations, schema fields and `let`s, enum members, provider resource types and attributes.
// Navigation (hover, definition), references, rename and semantic tokens share this one answer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/sema/checked.h"
#include "lsp/server/analysis.h"
#include "lsp/server/navigation.h"

namespace kc::lsp {

struct Target {
  using Kind = sema::NameUse::Kind;
  Kind kind = Kind::Symbol;
  // Symbol: the declaration. Field: the schema the name was reached through (a field is shared
  // with the schemas that extend or are extended by it, see field_family). EnumMember: the enum.
  uint32_t module = 0;
  uint32_t symbol = 0;
  std::string member = {};    // Field, EnumMember, Attribute: its name
  std::string resource = {};  // Attribute, Resource: the resource type (`aws.vpc`)
  friend bool operator==(const Target&, const Target&) = default;
};

struct TargetAt {
  Target target;
  source::Span name;  // the name under the cursor
};

// The target of the name at byte `offset` of the file (a use or a declaration), if any. Locals
// (comprehension variables, function parameters inside the body) have none.
std::optional<TargetAt> target_at(const Analysis& analysis, const FileRef& at, uint32_t offset);

// A schema's member (field or `let`) and the schemas sharing it: the topmost ancestor that has
// it and every schema extending that one (transitively) — a child inherits its parent's field,
// so a name set on the child is the parent's field. Each entry: (module, schema symbol).
std::vector<std::pair<uint32_t, uint32_t>> field_family(const sema::CheckedProgram& checked,
                                                        uint32_t module, uint32_t schema,
                                                        const std::string& member);

// Where a target is declared: the symbol's name, the field's or `let`'s name in the schema
// that declares it, the member in its enum. nullopt for provider attributes and types, which
// have no source.
std::optional<source::Span> declaration_of(const sema::CheckedProgram& checked,
                                           const Target& target);
// Every declaration of a target: a field redeclared by a schema extending its owner has two.
std::vector<source::Span> declarations_of(const sema::CheckedProgram& checked,
                                          const Target& target);

// The schema member's declaration (field or let) as the schema `module`.`symbol` sees it.
const sema::FieldInfo* find_field(const sema::CheckedProgram& checked, const Target& target);
const sema::SchemaLet* find_let(const sema::CheckedProgram& checked, const Target& target);

// The AST declaration of a symbol, when it has one in a parsed file.
const ast::Decl* declaration_node(const sema::CheckedProgram& checked, uint32_t module,
                                  const sema::Symbol& symbol);

}  // namespace kc::lsp
