// Scalar literal nodes to Values.
#include "compiler/eval/literal.h"

namespace kc::eval {
namespace {

std::optional<sdk::Value> domain_value(const ast::DomainLit& lit) {
  switch (lit.kind) {
    case ast::DomainLit::Kind::Duration:
      if (auto v = sdk::parse_duration(lit.text)) return sdk::Value(*v);
      break;
    case ast::DomainLit::Kind::Bytes:
      if (auto v = sdk::parse_bytes(lit.text)) return sdk::Value(*v);
      break;
    case ast::DomainLit::Kind::Percent:
      if (auto v = sdk::parse_percent(lit.text)) return sdk::Value(*v);
      break;
    case ast::DomainLit::Kind::Version:
      if (auto v = sdk::parse_version(lit.text)) return sdk::Value(*v);
      break;
    case ast::DomainLit::Kind::Ip:
      if (auto v = sdk::parse_ip(lit.text)) return sdk::Value(*v);
      break;
    case ast::DomainLit::Kind::Cidr:
      if (auto v = sdk::parse_cidr(lit.text)) return sdk::Value(*v);
      break;
  }
  return std::nullopt;
}

}  // namespace

std::optional<sdk::Value> scalar_literal(const ast::Expr& expr) {
  if (auto* lit = std::get_if<ast::IntLit>(&expr.node)) return sdk::Value(lit->value);
  if (auto* lit = std::get_if<ast::FloatLit>(&expr.node)) return sdk::Value(lit->value);
  if (auto* lit = std::get_if<ast::StringLit>(&expr.node)) return sdk::Value(lit->value);
  if (auto* lit = std::get_if<ast::BoolLit>(&expr.node)) return sdk::Value(lit->value);
  if (std::holds_alternative<ast::NullLit>(expr.node)) return sdk::Value::null();
  if (auto* lit = std::get_if<ast::DomainLit>(&expr.node)) return domain_value(*lit);
  return std::nullopt;
}

}  // namespace kc::eval
