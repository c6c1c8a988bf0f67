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

namespace kc::sema {

// Unchecked: a declaration the checker does not type yet (unchecked.h); its type is Error.
// Fn: a function; its Symbol::type is its result type, CheckedModule::functions has the rest.
enum class SymbolKind : uint8_t { Import, Let, Param, Export, Output, Fn, Unchecked };

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
  int32_t symbol = -1;  // -1: unresolved (already reported); kLocalName: a comprehension variable
};
// A NameRef to the innermost comprehension variable of that name in scope where it stands.
inline constexpr int32_t kLocalName = -2;

struct CheckedModule {
  std::vector<Symbol> symbols;  // declaration order: files by path, then position
  std::map<std::string, uint32_t, std::less<>> by_name;
  // Per file, per expression id: its type, and for NameRefs the target.
  std::vector<std::vector<TypeId>> expr_types;
  std::vector<std::map<uint32_t, NameTarget>> names;
  std::map<uint32_t, FnSignature> functions;  // by symbol index

  const Symbol* find(std::string_view name) const;
};

struct CheckedProgram {
  const Program* program = nullptr;
  TypeTable types;
  std::vector<CheckedModule> modules;

  const SourceModule& source(uint32_t module) const { return program->modules[module]; }
};

}  // namespace kc::sema
