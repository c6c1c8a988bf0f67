// Resolving a position to a Target from the checker's declarations, name targets and name uses.
#include "lsp/server/targets.h"

#include <algorithm>
#include <set>

namespace kc::lsp {
namespace {

bool holds(source::Span span, uint32_t offset) {
  return span.valid() && span.begin <= offset && offset <= span.end;
}

const sema::SchemaInfo* schema_info(const sema::CheckedProgram& checked, uint32_t module,
                                    uint32_t symbol) {
  const auto& schemas = checked.modules[module].schemas;
  auto it = schemas.find(symbol);
  return it == schemas.end() ? nullptr : &it->second;
}

bool has_member(const sema::SchemaInfo& info, const std::string& member) {
  return info.find_field(member) != nullptr || info.find_let(member) != nullptr;
}

// A declaration name of the file: a module-level symbol, a schema's field or `let`, an enum
// member.
std::optional<TargetAt> declared_at(const sema::CheckedProgram& checked, const FileRef& at,
                                    uint32_t offset) {
  const sema::CheckedModule& module = checked.modules[at.module];
  for (uint32_t s = 0; s < module.symbols.size(); ++s) {
    const sema::Symbol& symbol = module.symbols[s];
    if (symbol.file != at.file) continue;
    if (holds(symbol.span, offset))
      return TargetAt{Target{Target::Kind::Symbol, at.module, s}, symbol.span};
    if (symbol.decl >= at.ast->decls.size()) continue;
    const ast::Decl& decl = at.ast->decls[symbol.decl];
    if (!holds(decl.span, offset)) continue;
    if (const auto* schema = std::get_if<ast::Schema>(&decl.node)) {
      for (const ast::SchemaItem& item : schema->items) {
        const ast::Name* name = nullptr;
        if (const auto* field = std::get_if<ast::FieldDecl>(&item.node)) name = &field->name;
        if (const auto* let = std::get_if<ast::Let>(&item.node)) name = &let->name;
        if (name != nullptr && holds(name->span, offset)) {
          return TargetAt{Target{Target::Kind::Field, at.module, s, name->text}, name->span};
        }
      }
    } else if (const auto* node = std::get_if<ast::Enum>(&decl.node)) {
      for (const ast::EnumMember& member : node->members) {
        if (holds(member.name.span, offset)) {
          return TargetAt{Target{Target::Kind::EnumMember, at.module, s, member.name.text},
                          member.name.span};
        }
      }
    }
  }
  return std::nullopt;
}

// A name the checker recorded in CheckedModule::uses.
std::optional<TargetAt> used_at(const sema::CheckedProgram& checked, const FileRef& at,
                                uint32_t offset) {
  const auto& uses = checked.modules[at.module].uses;
  if (at.file >= uses.size()) return std::nullopt;
  auto it = uses[at.file].upper_bound(offset);
  // The name starting at or before the cursor; the one before it when the cursor is on a `.`
  // right after a name.
  for (int step = 0; step < 2 && it != uses[at.file].begin(); ++step) {
    --it;
    const sema::NameUse& use = it->second;
    if (!holds(use.span, offset)) continue;
    return TargetAt{Target{use.kind, use.module, use.symbol, use.member, use.resource}, use.span};
  }
  return std::nullopt;
}

}  // namespace

std::optional<TargetAt> target_at(const Analysis& analysis, const FileRef& at, uint32_t offset) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  if (auto declared = declared_at(checked, at, offset)) return declared;
  if (auto used = used_at(checked, at, offset)) return used;
  ast::ExprId id = expr_at(*at.ast, offset);
  if (!id.valid()) return std::nullopt;
  const ast::Expr& expr = at.ast->expr(id);
  const auto* member = std::get_if<ast::Member>(&expr.node);
  if (member != nullptr && !holds(member->member.span, offset)) return std::nullopt;
  source::Span name = member ? member->member.span : expr.span;
  const sema::CheckedModule& module = checked.modules[at.module];
  if (at.file < module.names.size()) {
    auto it = module.names[at.file].find(id.index);
    if (it != module.names[at.file].end() && it->second.symbol >= 0) {
      return TargetAt{
          Target{Target::Kind::Symbol, it->second.module, static_cast<uint32_t>(it->second.symbol)},
          name};
    }
  }
  if (member == nullptr || at.file >= module.names.size()) return std::nullopt;
  // `module.export`: the object names an import.
  auto object = module.names[at.file].find(member->object.index);
  if (object == module.names[at.file].end() || object->second.symbol < 0) return std::nullopt;
  const sema::Symbol& import =
      checked.modules[object->second.module].symbols[static_cast<size_t>(object->second.symbol)];
  if (import.kind != sema::SymbolKind::Import || import.module < 0) return std::nullopt;
  const sema::CheckedModule& target = checked.modules[static_cast<size_t>(import.module)];
  auto found = target.by_name.find(member->member.text);
  if (found == target.by_name.end()) return std::nullopt;
  return TargetAt{Target{Target::Kind::Symbol, static_cast<uint32_t>(import.module), found->second},
                  name};
}

std::vector<std::pair<uint32_t, uint32_t>> field_family(const sema::CheckedProgram& checked,
                                                        uint32_t module, uint32_t schema,
                                                        const std::string& member) {
  // Up to the topmost ancestor that has the member.
  uint32_t root_m = module, root_s = schema;
  for (size_t guard = 0; guard < 64; ++guard) {
    const sema::SchemaInfo* info = schema_info(checked, root_m, root_s);
    if (info == nullptr || info->parent_symbol < 0) break;
    const sema::SchemaInfo* parent =
        schema_info(checked, static_cast<uint32_t>(info->parent_module),
                    static_cast<uint32_t>(info->parent_symbol));
    if (parent == nullptr || !has_member(*parent, member)) break;
    root_m = static_cast<uint32_t>(info->parent_module);
    root_s = static_cast<uint32_t>(info->parent_symbol);
  }
  // Every schema whose chain of parents reaches the root.
  std::vector<std::pair<uint32_t, uint32_t>> family;
  for (uint32_t m = 0; m < checked.modules.size(); ++m) {
    for (const auto& [s, info] : checked.modules[m].schemas) {
      uint32_t cm = m, cs = s;
      const sema::SchemaInfo* current = &info;
      for (size_t guard = 0; guard < 64 && current != nullptr; ++guard) {
        if (cm == root_m && cs == root_s) {
          if (has_member(info, member)) family.emplace_back(m, s);
          break;
        }
        if (current->parent_symbol < 0) break;
        cm = static_cast<uint32_t>(current->parent_module);
        cs = static_cast<uint32_t>(current->parent_symbol);
        current = schema_info(checked, cm, cs);
      }
    }
  }
  return family;
}

const sema::FieldInfo* find_field(const sema::CheckedProgram& checked, const Target& target) {
  if (target.kind != Target::Kind::Field) return nullptr;
  const sema::SchemaInfo* info = schema_info(checked, target.module, target.symbol);
  return info ? info->find_field(target.member) : nullptr;
}

const sema::SchemaLet* find_let(const sema::CheckedProgram& checked, const Target& target) {
  if (target.kind != Target::Kind::Field) return nullptr;
  const sema::SchemaInfo* info = schema_info(checked, target.module, target.symbol);
  return info ? info->find_let(target.member) : nullptr;
}

const ast::Decl* declaration_node(const sema::CheckedProgram& checked, uint32_t module,
                                  const sema::Symbol& symbol) {
  const sema::SourceModule& source = checked.source(module);
  if (symbol.file >= source.files.size()) return nullptr;
  const ast::File& file = *source.files[symbol.file];
  return symbol.decl < file.decls.size() ? &file.decls[symbol.decl] : nullptr;
}

std::optional<source::Span> declaration_of(const sema::CheckedProgram& checked,
                                           const Target& target) {
  switch (target.kind) {
    case Target::Kind::Symbol:
      return checked.modules[target.module].symbols[target.symbol].span;
    case Target::Kind::Field:
      if (const sema::FieldInfo* field = find_field(checked, target)) return field->span;
      if (const sema::SchemaLet* let = find_let(checked, target)) return let->span;
      return std::nullopt;
    case Target::Kind::EnumMember: {
      const sema::Symbol& symbol = checked.modules[target.module].symbols[target.symbol];
      const ast::Decl* decl = declaration_node(checked, target.module, symbol);
      const auto* node = decl ? std::get_if<ast::Enum>(&decl->node) : nullptr;
      if (node == nullptr) return std::nullopt;
      for (const ast::EnumMember& member : node->members) {
        if (member.name.text == target.member) return member.name.span;
      }
      return std::nullopt;
    }
    case Target::Kind::Attribute:
    case Target::Kind::Resource:
      return std::nullopt;
  }
  return std::nullopt;
}

std::vector<source::Span> declarations_of(const sema::CheckedProgram& checked,
                                          const Target& target) {
  std::vector<source::Span> spans;
  if (target.kind != Target::Kind::Field) {
    if (auto span = declaration_of(checked, target)) spans.push_back(*span);
    return spans;
  }
  for (const auto& [m, s] : field_family(checked, target.module, target.symbol, target.member)) {
    if (auto span = declaration_of(checked, Target{Target::Kind::Field, m, s, target.member})) {
      if (std::find(spans.begin(), spans.end(), *span) == spans.end()) spans.push_back(*span);
    }
  }
  return spans;
}

}  // namespace kc::lsp
