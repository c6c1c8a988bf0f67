// Which checked modules an earlier check can lend a new one, and the copying of their types.
#include "compiler/sema/carry_over.h"

#include "compiler/sema/check.h"

namespace kc::sema {

TypeId TypeCarrier::carry(TypeId id) {
  if (uint32_t known = memo_[id.index]; known != 0) return TypeId{known - 1};
  Type type = from_.get(id);
  // Primitives have the same slots in every table (and no element to follow).
  if (type.kind <= TypeKind::Cidr) return id;
  TypeId out;
  if (type.kind == TypeKind::Refined) {
    // Each refinement is its own type: made once, then found through the memo.
    out = to_.refined(carry(type.element), from_.refinement(id));
  } else {
    type.element = carry(type.element);
    for (auto& field : type.fields)
      field.second = carry(field.second);
    out = to_.intern(std::move(type));
  }
  memo_[id.index] = out.index + 1;
  // After the memo: a schema's parent chain leads back to schemas carried already.
  if (from_.kind(id) == TypeKind::Schema) {
    if (std::optional<TypeId> parent = from_.parent(id)) to_.set_parent(out, carry(*parent));
  }
  return out;
}

CheckedModule carry_module(const CheckedModule& module, TypeCarrier& carrier) {
  CheckedModule out = module;
  auto carry = [&](TypeId& type) { type = carrier.carry(type); };
  for (Symbol& symbol : out.symbols)
    carry(symbol.type);
  for (std::vector<TypeId>& file : out.expr_types) {
    for (TypeId& type : file)
      carry(type);
  }
  for (auto& [index, signature] : out.functions) {
    for (TypeId& param : signature.params)
      carry(param);
    carry(signature.result);
  }
  for (auto& [index, schema] : out.schemas) {
    carry(schema.type);
    for (FieldInfo& field : schema.fields)
      carry(field.type);
    for (SchemaLet& let : schema.lets)
      carry(let.type);
  }
  for (auto& [index, enumeration] : out.enums)
    carry(enumeration.type);
  return out;
}

std::vector<bool> unchanged_modules(const Program& before, const Program& after) {
  std::vector<bool> same(after.modules.size(), false);
  if (before.root != after.root || before.prelude != after.prelude) return same;
  for (size_t m = 0; m < after.modules.size() && m < before.modules.size(); ++m) {
    const SourceModule& old_module = before.modules[m];
    const SourceModule& new_module = after.modules[m];
    same[m] = old_module.name == new_module.name && old_module.dir == new_module.dir &&
              old_module.files == new_module.files && old_module.imports == new_module.imports;
  }
  // A module sees its imports and the prelude: it is unchanged only if they are. Until nothing
  // more changes, since a module may be reached through several others.
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t m = 0; m < same.size(); ++m) {
      if (!same[m]) continue;
      bool sees_changed = after.prelude != kNoModule && static_cast<size_t>(after.prelude) != m &&
                          !same[static_cast<size_t>(after.prelude)];
      for (const auto& [at, target] : after.modules[m].imports) {
        if (target != kNoModule && !same[static_cast<size_t>(target)]) sees_changed = true;
      }
      if (sees_changed) {
        same[m] = false;
        changed = true;
      }
    }
  }
  return same;
}

}  // namespace kc::sema
