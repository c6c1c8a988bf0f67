// The value of a scalar literal node (int, float, string, bool, null, domain literals). Shared by
// the evaluator and by the parsing of `--var` values.
#pragma once

#include <optional>

#include "compiler/syntax/ast.h"
#include "providers/sdk/value.h"

namespace kc::eval {

// nullopt for nodes that are not scalar literals. Domain literals were validated by the parser, so
// they always convert.
std::optional<sdk::Value> scalar_literal(const ast::Expr& expr);

}  // namespace kc::eval
