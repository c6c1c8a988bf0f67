// What each body of a file builds, from the checker's types: a schema instance, a map, an untyped
// record, a resource or a provider configuration. Field rules need it to know which schema field
// (or provider attribute) a `key = value` item sets.
#pragma once

#include <vector>

#include "compiler/lint/context.h"

namespace kc::lint {

struct BodyKind {
  enum class Kind : uint8_t { Unknown, Schema, Map, Record, Resource, Provider };
  Kind kind = Kind::Unknown;
  const sema::SchemaInfo* schema = nullptr;       // Schema
  const sdk::ResourceSchema* resource = nullptr;  // Resource
  const sdk::ProviderSchema* provider = nullptr;  // Provider
};

// One entry per body of file `file` of module `module`, indexed by BodyId.
std::vector<BodyKind> classify_bodies(const Context& context, uint32_t module, uint32_t file);

// Calls `fn(item, kind)` for every `key = value` item of the file with a key known without
// evaluation, with the kind of the body holding it (generated items included).
template <typename Fn>
void for_each_assignment(const ast::File& file, const std::vector<BodyKind>& kinds, Fn&& fn) {
  for (size_t b = 0; b < file.bodies.size(); ++b) {
    for (const ast::BodyItem& item : file.bodies[b].items) {
      if (const auto* assign = std::get_if<ast::FieldAssign>(&item.node)) {
        fn(item, *assign, kinds[b]);
      }
    }
  }
}

}  // namespace kc::lint
