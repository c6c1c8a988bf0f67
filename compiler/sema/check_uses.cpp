// Recording the names the language server navigates by (CheckedModule::uses). Recording never
// reports and never changes a type: checking gives the same diagnostics with or without it.
#include "compiler/sema/checker.h"

namespace kc::sema {

void Checker::note_use(uint32_t m, NameUse use) {
  if (!use.span.valid()) return;
  const SourceModule& module = program_.modules[m];
  for (uint32_t f = 0; f < module.files.size(); ++f) {
    if (module.files[f]->file != use.span.file) continue;
    uint32_t begin = use.span.begin;
    out_.modules[m].uses[f][begin] = std::move(use);
    return;
  }
}

void Checker::note_symbol_use(uint32_t m, Span at, Declared target) {
  NameUse use;
  use.kind = NameUse::Kind::Symbol;
  use.module = target.module;
  use.symbol = target.symbol;
  use.span = at;
  note_use(m, std::move(use));
}

void Checker::note_member_use(uint32_t m, Span at, NameUse::Kind kind, uint32_t owner_module,
                              uint32_t owner_symbol, const std::string& member) {
  NameUse use;
  use.kind = kind;
  use.module = owner_module;
  use.symbol = owner_symbol;
  use.member = member;
  use.span = at;
  note_use(m, std::move(use));
}

void Checker::note_schema_member(uint32_t m, Span at, TypeId schema, const std::string& member) {
  const Type& type = types_.get(types_.core(schema));
  if (type.kind != TypeKind::Schema) return;
  note_member_use(m, at, NameUse::Kind::Field, type.module_index, type.symbol, member);
}

}  // namespace kc::sema
