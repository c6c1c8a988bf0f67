// One literal per kind of type; refinements use their low bound (else their high one) so that a
// placeholder for `int(1..65535)` is in range.
#include "lsp/server/placeholders.h"

#include "providers/sdk/literal.h"

namespace kc::lsp {
namespace {

std::string domain_placeholder(sema::TypeKind kind) {
  switch (kind) {
    case sema::TypeKind::Bool:
      return "false";
    case sema::TypeKind::Int:
      return "0";
    case sema::TypeKind::Float:
      return "0.0";
    case sema::TypeKind::String:
      return "\"\"";
    case sema::TypeKind::Duration:
      return "0s";
    case sema::TypeKind::Bytes:
      return "1Gi";
    case sema::TypeKind::Percent:
      return "0%";
    case sema::TypeKind::Version:
      return "v1.0.0";
    case sema::TypeKind::Ip:
      return "10.0.0.1";
    case sema::TypeKind::Cidr:
      return "10.0.0.0/16";
    case sema::TypeKind::List:
      return "[]";
    case sema::TypeKind::Map:
    case sema::TypeKind::Record:
    case sema::TypeKind::Schema:  // a brace literal takes the schema expected where it stands
      return "{}";
    default:  // any, optional, resources: nothing better than null
      return "null";
  }
}

}  // namespace

std::string placeholder_for(const sema::CheckedProgram& checked, sema::TypeId type) {
  const sema::TypeTable& types = checked.types;
  const sema::Type& t = types.get(type);
  if (t.kind == sema::TypeKind::Refined) {
    const sema::Refinement& refinement = types.refinement(type);
    if (refinement.low) return sdk::kcl_literal(*refinement.low);
    if (refinement.high) return sdk::kcl_literal(*refinement.high);
    return placeholder_for(checked, t.element);
  }
  if (t.kind == sema::TypeKind::Enum) {
    const sema::EnumInfo* info = checked.enumeration(type);
    return info != nullptr && !info->members.empty() ? info->members.front() : "null";
  }
  return domain_placeholder(t.kind);
}

std::string placeholder_for(const sdk::AttrType& type) {
  using Kind = sdk::AttrType::Kind;
  switch (type.kind) {
    case Kind::Bool:
      return domain_placeholder(sema::TypeKind::Bool);
    case Kind::Int:
      return domain_placeholder(sema::TypeKind::Int);
    case Kind::Float:
      return domain_placeholder(sema::TypeKind::Float);
    case Kind::String:
      return domain_placeholder(sema::TypeKind::String);
    case Kind::Duration:
      return domain_placeholder(sema::TypeKind::Duration);
    case Kind::Bytes:
      return domain_placeholder(sema::TypeKind::Bytes);
    case Kind::Percent:
      return domain_placeholder(sema::TypeKind::Percent);
    case Kind::Version:
      return domain_placeholder(sema::TypeKind::Version);
    case Kind::Ip:
      return domain_placeholder(sema::TypeKind::Ip);
    case Kind::Cidr:
      return domain_placeholder(sema::TypeKind::Cidr);
    case Kind::List:
      return "[]";
    case Kind::Map:
      return "{}";
    case Kind::Any:
      break;
  }
  return "null";
}

}  // namespace kc::lsp
