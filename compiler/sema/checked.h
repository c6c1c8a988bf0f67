// The checker's output, read by eval, lint and the language server: for every module its symbols,
// and for every expression its type and (for names) the symbol it refers to.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compiler/sema/program.h"
#include "compiler/sema/types.h"
#include "compiler/source/source.h"
#include "providers/sdk/schema.h"

namespace kc::sema {

// Fn: a function; its Symbol::type is its result type, CheckedModule::functions has the rest.
// Type, Enum, Schema: named types; Symbol::type is the type they name.
// Unchecked: a declaration the checker does not type yet (unchecked.h); its type is Error.
enum class SymbolKind : uint8_t {
  Import,
  Let,
  Param,
  Export,
  Output,
  Fn,
  Type,
  Enum,
  Schema,
  Unchecked
};

// Whether other modules may read a declaration of this kind (through an import, or the prelude's
// declarations unqualified): types, enums, schemas, functions and exports. Lets, params, outputs
// and imports stay in their module.
inline bool public_kind(SymbolKind kind) {
  return kind == SymbolKind::Type || kind == SymbolKind::Enum || kind == SymbolKind::Schema ||
         kind == SymbolKind::Fn || kind == SymbolKind::Export;
}

// Where an expression is: module, file, expression.
struct ExprRef {
  uint32_t module = 0;
  uint32_t file = 0;
  ast::ExprId expr;
};

// A field of a schema, its parent's fields included (LANGUAGE.md 4).
struct FieldInfo {
  std::string name;
  TypeId type;
  source::Span span;  // the name in the declaration
  std::optional<ExprRef> default_value;
  bool required = false;                  // no default and not optional
  bool key = false;                       // @key: filled from the map key or block label
  bool secret = false;                    // @secret: redacted in every output
  std::optional<std::string> deprecated;  // @deprecated("why")
  std::string doc;
};
struct SchemaLet {
  std::string name;
  TypeId type;
  source::Span span;
  ExprRef value;
};
struct SchemaCheck {
  ExprRef condition;
  ExprRef message;
  source::Span span;
};
struct SchemaInfo {
  std::string name;
  TypeId type;
  int32_t parent_module = -1;
  int32_t parent_symbol = -1;
  std::vector<FieldInfo> fields;  // declaration order, the parent's first
  std::vector<SchemaLet> lets;
  std::vector<SchemaCheck> checks;
  const FieldInfo* find_field(std::string_view name) const;
  const SchemaLet* find_let(std::string_view name) const;
  const FieldInfo* key_field() const;
};
struct EnumInfo {
  std::string name;
  TypeId type;
  std::vector<std::string> members;
  bool has(std::string_view member) const;
};
// A type alias with a check block: the lines the evaluator runs with `self` bound to the value.
struct AliasChecks {
  std::vector<SchemaCheck> lines;
};

// A function's parameters as the checker typed them.
struct FnSignature {
  std::vector<TypeId> params;
  size_t required = 0;  // the first `required` parameters have no default
  TypeId result;
};

struct Symbol {
  SymbolKind kind = SymbolKind::Let;
  std::string name;
  uint32_t file = 0;  // index into SourceModule::files
  uint32_t decl = 0;  // index into that file's decls
  source::Span span;  // the name where it is declared
  TypeId type;
  int32_t module = kNoModule;  // for imports: the imported module
};

// What a NameRef expression refers to.
struct NameTarget {
  uint32_t module = 0;
  int32_t symbol = -1;  // -1: unresolved (already reported); or one of the k...Name values below
};
// A NameRef to the innermost local of that name in scope where it stands: a comprehension or
// generator variable, or a function parameter.
inline constexpr int32_t kLocalName = -2;
// A NameRef to a field or `let` of the schema instance being built (defaults, lets and checks).
inline constexpr int32_t kInstanceName = -3;
// An enum member, bare where that enum is expected (`plugin = calico`) or qualified
// (`NetworkPlugin.calico`, recorded on the Member expression); its value is the member's name.
inline constexpr int32_t kEnumMember = -4;

// A name the checker resolved that the NameTarget of a NameRef expression does not describe (or
// not fully): names in types, instance heads and `extends` clauses, the static part of a path
// (`net` in `net.Subnet`, `ipnet` in `ipnet.host(...)`, `Tier` in `Tier.gold`), enum members with
// their enum, schema fields and `let`s with their schema, and resource attributes. The language
// server's navigation reads them; the compiler itself does not.
struct NameUse {
  enum class Kind : uint8_t {
    Symbol,      // the module-level declaration `module`.`symbol`
    Field,       // field or `let` `member` of the schema `module`.`symbol`: an instance key, a
                 // `with` key, `x.member`, or a bare name in the schema's defaults, lets and checks
    EnumMember,  // member `member` of the enum `module`.`symbol`, qualified or bare
    Attribute,   // attribute `member` of the provider resource type `resource`
    Resource,    // the provider resource type `resource` (`aws.vpc` in `resource aws.vpc x {}`)
  };
  Kind kind = Kind::Symbol;
  uint32_t module = 0;
  uint32_t symbol = 0;
  std::string member;
  std::string resource;
  source::Span span;  // the name as written (a key written as a string: the string)
};

struct CheckedModule {
  std::vector<Symbol> symbols;  // declaration order: files by path, then position
  std::map<std::string, uint32_t, std::less<>> by_name;
  // Per file, per expression id: its type, and for NameRefs the target.
  std::vector<std::vector<TypeId>> expr_types;
  std::vector<std::map<uint32_t, NameTarget>> names;
  // Per file, by the byte offset where the name begins.
  std::vector<std::map<uint32_t, NameUse>> uses;
  std::map<uint32_t, FnSignature> functions;     // by symbol index
  std::map<uint32_t, SchemaInfo> schemas;        // by symbol index
  std::map<uint32_t, EnumInfo> enums;            // by symbol index
  std::map<uint32_t, AliasChecks> alias_checks;  // by symbol index, aliases with a check block

  const Symbol* find(std::string_view name) const;
};

struct CheckedProgram {
  const Program* program = nullptr;
  // The provider resource schemas the program was checked against (NameUse::Attribute, Resource).
  const sdk::SchemaSource* resource_schemas = nullptr;
  TypeTable types;
  std::vector<CheckedModule> modules;

  // The schema or enum a Schema/Enum type names.
  const SchemaInfo* schema(TypeId type) const;
  const EnumInfo* enumeration(TypeId type) const;

  const SourceModule& source(uint32_t module) const { return program->modules[module]; }
};

}  // namespace kc::sema
