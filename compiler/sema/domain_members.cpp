// Domain members (domain_members.h): one table of kind, name and member type, which the evaluator's
// compiler/eval/domain_members.cpp mirrors.
#include "compiler/sema/domain_members.h"

#include <array>

namespace kc::sema {
namespace {

struct Member {
  TypeKind owner;
  std::string_view name;
  TypeKind type;
};

constexpr std::array<Member, 12> kMembers = {{
    {TypeKind::Version, "major", TypeKind::Int},
    {TypeKind::Version, "minor", TypeKind::Int},
    {TypeKind::Version, "patch", TypeKind::Int},
    {TypeKind::Version, "prerelease", TypeKind::String},
    {TypeKind::Cidr, "prefix", TypeKind::Int},
    {TypeKind::Cidr, "network", TypeKind::Ip},
    {TypeKind::Cidr, "size", TypeKind::Int},
    {TypeKind::Duration, "seconds", TypeKind::Int},
    {TypeKind::Duration, "ms", TypeKind::Int},
    {TypeKind::Bytes, "bytes", TypeKind::Int},
    {TypeKind::Percent, "value", TypeKind::Float},
    {TypeKind::Ip, "v6", TypeKind::Bool},
}};

}  // namespace

std::optional<TypeId> domain_member_type(TypeTable& types, TypeKind kind, std::string_view member) {
  for (const Member& m : kMembers) {
    if (m.owner == kind && m.name == member) return types.primitive(m.type);
  }
  return std::nullopt;
}

std::vector<std::string> domain_member_names(TypeKind kind) {
  std::vector<std::string> names;
  for (const Member& m : kMembers) {
    if (m.owner == kind) names.emplace_back(m.name);
  }
  return names;
}

}  // namespace kc::sema
