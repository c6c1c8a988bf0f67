// Carrying checked modules from an earlier check into a new one (check.h, PriorCheck): their types
// interned again in the new program's table. Internal to compiler/sema.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/sema/checked.h"
#include "compiler/sema/types.h"

namespace kc::sema {

// Copies types from one table into another, each once: a refinement stays one distinct type, and
// a schema keeps its parent.
class TypeCarrier {
 public:
  TypeCarrier(const TypeTable& from, TypeTable& to) : from_(from), to_(to), memo_(from.size()) {}
  TypeId carry(TypeId id);

 private:
  const TypeTable& from_;
  TypeTable& to_;
  std::vector<uint32_t> memo_;  // per type of `from_`: its index in `to_` plus one; 0 when not yet
};

// `module` with every type in it carried into the carrier's table. Module indices, spans and
// expression ids are kept: a carried module has the same index, files and trees.
CheckedModule carry_module(const CheckedModule& module, TypeCarrier& carrier);

}  // namespace kc::sema
