// Reading param inputs: literal parsing through the real parser, YAML/JSON files through yaml-cpp.
#include "compiler/driver/params.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <optional>

#include "compiler/eval/literal.h"
#include "compiler/syntax/parse.h"

namespace kc::driver {
namespace {

using diag::Code;

std::optional<sdk::Value> literal_tree(const ast::File& file, ast::ExprId id) {
  const ast::Expr& expr = file.expr(id);
  if (auto scalar = eval::scalar_literal(expr)) return scalar;
  // A bare word inside a list or record is a string, as in YAML's flow style: `[app, infra]`
  // gives enum members or strings, whichever the param's type expects.
  if (const auto* name = std::get_if<ast::NameRef>(&expr.node)) return sdk::Value(name->name.text);
  if (const auto* neg = std::get_if<ast::Unary>(&expr.node); neg && neg->op == ast::UnaryOp::Neg) {
    const ast::Expr& operand = file.expr(neg->operand);
    if (const auto* i = std::get_if<ast::IntLit>(&operand.node)) return sdk::Value(-i->value);
    if (const auto* d = std::get_if<ast::FloatLit>(&operand.node)) return sdk::Value(-d->value);
    return std::nullopt;
  }
  if (const auto* list = std::get_if<ast::ListLit>(&expr.node)) {
    sdk::List items;
    for (ast::ExprId item : list->items) {
      auto value = literal_tree(file, item);
      if (!value) return std::nullopt;
      items.push_back(std::move(*value));
    }
    return sdk::Value::list(std::move(items));
  }
  if (const auto* record = std::get_if<ast::RecordLit>(&expr.node); record && !record->schema) {
    sdk::Entries entries;
    for (const ast::BodyItem& item : file.body(record->body).items) {
      const auto* field = std::get_if<ast::FieldAssign>(&item.node);
      std::optional<ast::Name> key = field ? ast::static_label(file, field->key) : std::nullopt;
      if (!key) return std::nullopt;
      auto value = literal_tree(file, field->value);
      if (!value) return std::nullopt;
      entries.emplace_back(key->text, std::move(*value));
    }
    return sdk::Value::map(std::move(entries));
  }
  return std::nullopt;
}

// YAML scalars carry no type of their own beyond their tag and spelling; read them the way
// YAML 1.2's core schema does (plain `3` is an int, `"3"` a string).
sdk::Value from_yaml(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: {
      sdk::List items;
      for (const auto& item : node)
        items.push_back(from_yaml(item));
      return sdk::Value::list(std::move(items));
    }
    case YAML::NodeType::Map: {
      sdk::Entries entries;
      for (const auto& entry : node) {
        entries.emplace_back(entry.first.as<std::string>(), from_yaml(entry.second));
      }
      return sdk::Value::map(std::move(entries));
    }
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      if (node.Tag() == "!") return sdk::Value(text);  // quoted
      if (text == "true" || text == "True" || text == "TRUE") return sdk::Value(true);
      if (text == "false" || text == "False" || text == "FALSE") return sdk::Value(false);
      if (text == "null" || text == "Null" || text == "NULL" || text == "~") return sdk::Value();
      int64_t i = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
      if (ec == std::errc() && ptr == text.data() + text.size()) return sdk::Value(i);
      double f = 0;
      auto [fptr, fec] = std::from_chars(text.data(), text.data() + text.size(), f);
      if (fec == std::errc() && fptr == text.data() + text.size()) return sdk::Value(f);
      return sdk::Value(text);
    }
    default:
      return sdk::Value();
  }
}

}  // namespace

sdk::Value parse_input_value(std::string_view text) {
  source::SourceManager sources;
  source::FileId id = sources.add("<--var>", fmt::format("value = {}\n", text));
  syntax::ParseResult parsed = syntax::parse(sources, id);
  if (parsed.diagnostics.empty() && parsed.file.decls.size() == 1) {
    if (const auto* exported = std::get_if<ast::Export>(&parsed.file.decls[0].node)) {
      if (auto value = literal_tree(parsed.file, exported->value)) return *value;
    }
  }
  return sdk::Value(std::string(text));
}

std::map<std::string, eval::ParamInput> collect_params(const ParamSources& sources,
                                                       diag::Diagnostics& diagnostics) {
  std::map<std::string, eval::ParamInput> params;
  constexpr std::string_view kEnvPrefix = "KC_VAR_";
  for (const std::string& entry : sources.environment) {
    if (entry.compare(0, kEnvPrefix.size(), kEnvPrefix) != 0) continue;
    size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == kEnvPrefix.size()) continue;
    std::string name = entry.substr(kEnvPrefix.size(), eq - kEnvPrefix.size());
    params[name] = {parse_input_value(std::string_view(entry).substr(eq + 1)),
                    fmt::format("KC_VAR_{}", name)};
  }
  for (const std::string& path : sources.var_files) {
    YAML::Node root;
    try {
      root = YAML::LoadFile(path);
    } catch (const YAML::Exception& e) {  // yaml-cpp reports only by exception; stop it here
      diagnostics.error(Code::E0505, source::Span{},
                        fmt::format("cannot read var file `{}`: {}", path, e.what()));
      continue;
    }
    if (root.IsNull()) continue;
    if (!root.IsMap()) {
      diagnostics.error(
          Code::E0505, source::Span{},
          fmt::format("var file `{}` must hold a map of param names to values", path));
      continue;
    }
    for (const auto& entry : root) {
      std::string name = entry.first.as<std::string>();
      params[name] = {from_yaml(entry.second), fmt::format("--var-file {}", path)};
    }
  }
  for (const std::string& var : sources.vars) {
    size_t eq = var.find('=');
    if (eq == std::string::npos || eq == 0) {
      diagnostics.error(Code::E0505, source::Span{},
                        fmt::format("--var `{}` must have the form NAME=VALUE", var));
      continue;
    }
    std::string name = var.substr(0, eq);
    params[name] = {parse_input_value(std::string_view(var).substr(eq + 1)),
                    fmt::format("--var {}", var)};
  }
  return params;
}

}  // namespace kc::driver
