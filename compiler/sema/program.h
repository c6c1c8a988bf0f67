// The checker's input: the modules of one compilation as the driver loaded them, with every import
// already resolved to a module (the driver owns the file system and reports E0202/E0203).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "compiler/syntax/ast.h"

namespace kc::sema {

inline constexpr int32_t kNoModule = -1;

struct SourceModule {
  std::string name;  // as printed: the root's path, "std/net", "./pools"
  std::string dir;   // directory that relative imports and `.kc/` are resolved against
  std::vector<const ast::File*> files;  // sorted by path
  // (file index, decl index) of each import -> the imported module, or kNoModule when it could not
  // be loaded (already reported).
  std::map<std::pair<uint32_t, uint32_t>, int32_t> imports;
};

struct Program {
  std::vector<SourceModule> modules;
  uint32_t root = 0;
  // std/cluster, whose declarations every module sees after its own (LANGUAGE.md 1); kNoModule
  // when the standard library is not installed.
  int32_t prelude = kNoModule;
};

}  // namespace kc::sema
