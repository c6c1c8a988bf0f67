// Rules over evaluated values: the schema instances in the root module's exports (found by walking
// each export's value along its checked type), reading fields of those values, and finding where
// in the source a field was set, so a finding points at the assignment rather than the cluster.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/lint/context.h"

namespace kc::lint {

// One step into a value: a field or map key, or a list index.
struct PathStep {
  std::string key;
  std::optional<size_t> index;
};
using ValuePath = std::vector<PathStep>;

// A schema instance in the exports.
struct Instance {
  const sema::SchemaInfo* schema = nullptr;
  const sdk::Value* value = nullptr;  // into DesiredState::exports
  uint32_t symbol = 0;                // the root module's export holding it
  ValuePath path;                     // below that export
  // The owner path of the resources it creates: `prod`, `prod.node_pool["app"]`.
  std::string owner;
};

// Every instance of `schema` (or of a schema extending it) in the root module's exports; empty
// when there is no evaluated state.
std::vector<Instance> find_instances(const Context& context, const sema::SchemaInfo* schema);

// The value at `keys` below `value` (maps only), or nullptr.
const sdk::Value* value_at(const sdk::Value& value, std::initializer_list<std::string_view> keys);
std::optional<int64_t> int_at(const sdk::Value& value,
                              std::initializer_list<std::string_view> keys);
std::optional<std::string> string_at(const sdk::Value& value,
                                     std::initializer_list<std::string_view> keys);
std::optional<sdk::Cidr> cidr_at(const sdk::Value& value,
                                 std::initializer_list<std::string_view> keys);

struct Location {
  source::Span span;   // the assignment found, or the export's name
  bool exact = false;  // the whole path was found (else `span` encloses where it was defaulted)
};

// Where the value at `below` under `instance` was written: the deepest assignment along the path
// in the source (following `let`s, `with` and labelled blocks, generated ones included).
Location locate(const Context& context, const Instance& instance, const ValuePath& below);

// A path written as `{"etcd", "members"}`.
ValuePath path_of(std::initializer_list<std::string_view> keys);
ValuePath join(const ValuePath& a, const ValuePath& b);

}  // namespace kc::lint

namespace kc::lint {

// The source of a resource the module wrote itself (not one the standard library lowered to):
// the span of `attribute`'s assignment in its body, or of the resource when it is not set there.
// nullopt for resources outside the linted files.
std::optional<source::Span> resource_attribute_span(const Context& context,
                                                    const eval::DesiredResource& resource,
                                                    std::string_view attribute);

}  // namespace kc::lint
