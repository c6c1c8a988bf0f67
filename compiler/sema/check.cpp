// The checker: declares every module's symbols, then types each declaration lazily (so order of
// declaration does not matter), expression by expression, with the expected type pushed down.
#include "compiler/sema/check.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "compiler/sema/builtins.h"
#include "compiler/sema/limits.h"
#include "compiler/sema/operators.h"
#include "compiler/sema/suggest.h"
#include "compiler/sema/unchecked.h"

namespace kc::sema {
namespace {

using ast::ExprId;
using diag::Code;
using source::Span;

std::string ticked(std::string_view text) {
  return fmt::format("`{}`", text);
}

std::optional<TypeKind> domain_kind(ast::DomainLit::Kind kind) {
  switch (kind) {
    case ast::DomainLit::Kind::Duration:
      return TypeKind::Duration;
    case ast::DomainLit::Kind::Bytes:
      return TypeKind::Bytes;
    case ast::DomainLit::Kind::Percent:
      return TypeKind::Percent;
    case ast::DomainLit::Kind::Version:
      return TypeKind::Version;
    case ast::DomainLit::Kind::Ip:
      return TypeKind::Ip;
    case ast::DomainLit::Kind::Cidr:
      return TypeKind::Cidr;
  }
  return std::nullopt;
}

// Whether `text` is a valid literal of the domain type `kind`; fills `error` when not.
bool parses_as(TypeKind kind, const std::string& text, std::string* error) {
  switch (kind) {
    case TypeKind::Duration:
      return sdk::parse_duration(text, error).has_value();
    case TypeKind::Bytes:
      return sdk::parse_bytes(text, error).has_value();
    case TypeKind::Percent:
      return sdk::parse_percent(text, error).has_value();
    case TypeKind::Version:
      return sdk::parse_version(text, error).has_value();
    case TypeKind::Ip:
      return sdk::parse_ip(text, error).has_value();
    case TypeKind::Cidr:
      return sdk::parse_cidr(text, error).has_value();
    default:
      return false;
  }
}

bool is_domain(TypeKind kind) {
  return kind >= TypeKind::Duration && kind <= TypeKind::Cidr;
}

std::string_view kind_word(SymbolKind kind);

class Checker {
 public:
  Checker(const Program& program, const sdk::SchemaSource& schemas, diag::Diagnostics& diags,
          CheckedProgram& out)
      : program_(program), schemas_(schemas), diags_(diags), out_(out), types_(out.types) {}

  void run() {
    out_.modules.resize(program_.modules.size());
    states_.resize(program_.modules.size());
    for (const SourceModule& module : program_.modules) {
      for (const ast::File* f : module.files)
        report_unchecked(*f, diags_);
    }
    for (uint32_t m = 0; m < program_.modules.size(); ++m)
      declare(m);
    for (uint32_t m = 0; m < program_.modules.size(); ++m) {
      for (uint32_t s = 0; s < out_.modules[m].symbols.size(); ++s)
        symbol_type(m, s);
    }
  }

 private:
  enum class State : uint8_t { Unvisited, InProgress, Done };

  const ast::File& file(uint32_t m, uint32_t f) const { return *program_.modules[m].files[f]; }

  void declare(uint32_t m) {
    const SourceModule& module = program_.modules[m];
    CheckedModule& checked = out_.modules[m];
    std::map<std::string, Span> outputs;
    for (uint32_t f = 0; f < module.files.size(); ++f) {
      const ast::File& ast_file = *module.files[f];
      checked.expr_types.emplace_back(ast_file.exprs.size(), types_.error());
      checked.names.emplace_back();
      for (uint32_t d = 0; d < ast_file.decls.size(); ++d) {
        const ast::Decl& decl = ast_file.decls[d];
        const ast::Name* name = decl.name();
        if (name == nullptr || name->text.empty()) continue;
        Symbol symbol;
        symbol.name = name->text;
        symbol.file = f;
        symbol.decl = d;
        symbol.span = name->span;
        symbol.type = types_.error();
        std::visit(
            [&](const auto& node) {
              using T = std::decay_t<decltype(node)>;
              if constexpr (std::is_same_v<T, ast::Import>) {
                symbol.kind = SymbolKind::Import;
                auto it = module.imports.find({f, d});
                symbol.module = it == module.imports.end() ? kNoModule : it->second;
              } else if constexpr (std::is_same_v<T, ast::Let>) {
                symbol.kind = SymbolKind::Let;
              } else if constexpr (std::is_same_v<T, ast::Param>) {
                symbol.kind = SymbolKind::Param;
              } else if constexpr (std::is_same_v<T, ast::Export>) {
                symbol.kind = SymbolKind::Export;
              } else if constexpr (std::is_same_v<T, ast::Output>) {
                symbol.kind = SymbolKind::Output;
              } else if constexpr (std::is_same_v<T, ast::Fn>) {
                symbol.kind = SymbolKind::Fn;
              } else {
                symbol.kind = SymbolKind::Unchecked;
              }
            },
            decl.node);
        if (symbol.kind == SymbolKind::Output) {
          // Outputs have a namespace of their own: they are not names an expression can read.
          auto [it, fresh] = outputs.emplace(symbol.name, symbol.span);
          if (!fresh) report_duplicate("output", symbol.name, symbol.span, it->second);
        } else if (const Symbol* first = checked.find(symbol.name)) {
          report_duplicate("name", symbol.name, symbol.span, first->span);
        } else {
          checked.by_name.emplace(symbol.name, static_cast<uint32_t>(checked.symbols.size()));
        }
        checked.symbols.push_back(std::move(symbol));
        states_[m].push_back(State::Unvisited);
      }
    }
  }

  void report_duplicate(std::string_view what, const std::string& name, Span at, Span first) {
    diags_.error(Code::E0204, at, fmt::format("{} {} is declared twice", what, ticked(name)))
        .with_label("declared again here")
        .with_secondary(first, "first declared here");
  }

  TypeId symbol_type(uint32_t m, uint32_t s) {
    Symbol& symbol = out_.modules[m].symbols[s];
    if (states_[m][s] == State::Done) return symbol.type;
    // A declaration that needs its own type is a cycle; evaluation reports it (E0402) with the
    // whole chain, so here it only stops the recursion.
    if (states_[m][s] == State::InProgress) return types_.error();
    states_[m][s] = State::InProgress;
    // A declaration sees module names only, whatever comprehension asked for it.
    std::vector<std::pair<std::string, TypeId>> outer_locals = std::exchange(locals_, {});
    const ast::Decl& decl = file(m, symbol.file).decls[symbol.decl];
    TypeId type = types_.error();
    uint32_t f = symbol.file;
    std::visit(
        [&](const auto& node) {
          using T = std::decay_t<decltype(node)>;
          if constexpr (std::is_same_v<T, ast::Import>) {
            if (symbol.module != kNoModule) type = types_.module(symbol.module);
          } else if constexpr (std::is_same_v<T, ast::Let>) {
            if (node.type) {
              type = resolve_type(m, f, *node.type);
              check_against(m, f, node.value, type);
            } else {
              type = infer(m, f, node.value, std::nullopt);
            }
          } else if constexpr (std::is_same_v<T, ast::Param>) {
            type = resolve_type(m, f, node.type);
            if (node.default_value) check_against(m, f, *node.default_value, type);
          } else if constexpr (std::is_same_v<T, ast::Export> || std::is_same_v<T, ast::Output>) {
            type = infer(m, f, node.value, std::nullopt);
          } else if constexpr (std::is_same_v<T, ast::Fn>) {
            type = function(m, f, s, node);
          }
        },
        decl.node);
    // Re-fetch: inference may have grown nothing, but keep the reference use obviously safe.
    out_.modules[m].symbols[s].type = type;
    states_[m][s] = State::Done;
    locals_ = std::move(outer_locals);
    return type;
  }

  // Types a function: its parameters (defaults against their types, with no parameter in scope),
  // then its body with the parameters in scope, against the declared result type if any.
  TypeId function(uint32_t m, uint32_t f, uint32_t s, const ast::Fn& fn) {
    FnSignature signature;
    std::vector<std::pair<std::string, TypeId>> params;
    bool defaults_started = false;
    for (const ast::FnParam& param : fn.params) {
      TypeId type = resolve_type(m, f, param.type);
      if (param.default_value) {
        check_against(m, f, *param.default_value, type);
        defaults_started = true;
      } else if (defaults_started) {
        diags_
            .error(Code::E0301, param.name.span,
                   fmt::format("parameter {} needs a default: it follows one that has a default",
                               ticked(param.name.text)))
            .with_label("parameters with defaults come last");
      } else {
        ++signature.required;
      }
      signature.params.push_back(type);
      params.emplace_back(param.name.text, type);
    }
    locals_ = std::move(params);
    if (fn.result) {
      signature.result = resolve_type(m, f, *fn.result);
      check_against(m, f, fn.body, signature.result);
    } else {
      signature.result = infer(m, f, fn.body, std::nullopt);
    }
    locals_.clear();
    TypeId result = signature.result;
    out_.modules[m].functions[s] = std::move(signature);
    return result;
  }

  // Types `expr` with `expected` pushed down and reports E0301 when the result does not fit.
  void check_against(uint32_t m, uint32_t f, ExprId expr, TypeId expected) {
    TypeId actual = infer(m, f, expr, expected);
    if (!types_.assignable(actual, expected)) {
      diags_
          .error(Code::E0301, file(m, f).expr(expr).span,
                 fmt::format("expected {}, found {}", ticked(types_.to_string(expected)),
                             ticked(types_.to_string(actual))))
          .with_label(fmt::format("this is {}", ticked(types_.to_string(actual))));
    }
  }

  TypeId resolve_type(uint32_t m, uint32_t f, ast::TypeExprId id) {
    const ast::TypeExpr& t = file(m, f).type(id);
    switch (t.kind) {
      case ast::TypeExpr::Kind::Error:
        return types_.error();
      case ast::TypeExpr::Kind::Range:
        return types_.error();  // reported by report_unchecked
      case ast::TypeExpr::Kind::Named: {
        const ast::Name& name = t.name.name;
        if (t.name.module) return types_.error();  // reported by report_unchecked
        if (auto kind = primitive_kind(name.text)) return types_.primitive(*kind);
        if (const Symbol* symbol = out_.modules[m].find(name.text);
            symbol != nullptr && symbol->kind == SymbolKind::Unchecked) {
          return types_.error();
        }
        std::vector<std::string> names = {"any",     "bool",     "int",   "float",
                                          "string",  "duration", "bytes", "percent",
                                          "version", "ip",       "cidr"};
        auto& d =
            diags_.error(Code::E0201, name.span, fmt::format("unknown type {}", ticked(name.text)));
        if (auto best = closest(name.text, names)) {
          d.with_label(fmt::format("did you mean {}?", ticked(*best)))
              .with_fix(fmt::format("replace with {}", ticked(*best)), name.span, *best);
        }
        return types_.error();
      }
      case ast::TypeExpr::Kind::List:
        return types_.list_of(resolve_type(m, f, t.element));
      case ast::TypeExpr::Kind::Map:
        return types_.map_of(resolve_type(m, f, t.element));
      case ast::TypeExpr::Kind::Optional:
        return types_.optional_of(resolve_type(m, f, t.element));
    }
    return types_.error();
  }

  TypeId infer(uint32_t m, uint32_t f, ExprId id, std::optional<TypeId> expected) {
    bool module_allowed = std::exchange(module_allowed_, false);
    if (depth_ >= kMaxDepth) {
      if (!depth_reported_) {
        depth_reported_ = true;
        diags_
            .error(Code::E0405, file(m, f).expr(id).span,
                   fmt::format("expressions and the declarations they read nest deeper than {} "
                               "levels",
                               kMaxDepth))
            .with_label("the limit is reached here")
            .with_note("each declaration read by another counts one level; split the chain");
      }
      return types_.error();
    }
    ++depth_;
    TypeId type = infer_uncached(m, f, id, expected);
    --depth_;
    if (!module_allowed && types_.kind(type) == TypeKind::Module) {
      diags_.error(Code::E0301, file(m, f).expr(id).span, "a module is not a value")
          .with_label(fmt::format("read an export of it instead: {}", ticked("module.name")));
      type = types_.error();
    }
    out_.modules[m].expr_types[f][id.index] = type;
    return type;
  }

  TypeId infer_uncached(uint32_t m, uint32_t f, ExprId id, std::optional<TypeId> expected) {
    const ast::Expr& expr = file(m, f).expr(id);
    return std::visit(
        [&](const auto& node) -> TypeId {
          using T = std::decay_t<decltype(node)>;
          if constexpr (std::is_same_v<T, ast::Error>) {
            return types_.error();
          } else if constexpr (std::is_same_v<T, ast::IntLit>) {
            return types_.primitive(TypeKind::Int);
          } else if constexpr (std::is_same_v<T, ast::FloatLit>) {
            return types_.primitive(TypeKind::Float);
          } else if constexpr (std::is_same_v<T, ast::StringLit>) {
            return string_literal(node, expr.span, expected);
          } else if constexpr (std::is_same_v<T, ast::BoolLit>) {
            return types_.primitive(TypeKind::Bool);
          } else if constexpr (std::is_same_v<T, ast::NullLit>) {
            return types_.primitive(TypeKind::Null);
          } else if constexpr (std::is_same_v<T, ast::DomainLit>) {
            auto kind = domain_kind(node.kind);
            return kind ? types_.primitive(*kind) : types_.error();
          } else if constexpr (std::is_same_v<T, ast::ListLit>) {
            return list_literal(m, f, node, expected);
          } else if constexpr (std::is_same_v<T, ast::RecordLit>) {
            return record_literal(m, f, node, expected);
          } else if constexpr (std::is_same_v<T, ast::NameRef>) {
            return name_ref(m, f, id, node);
          } else if constexpr (std::is_same_v<T, ast::Member>) {
            return member(m, f, node);
          } else if constexpr (std::is_same_v<T, ast::ResourceExpr>) {
            return resource(m, f, node);
          } else if constexpr (std::is_same_v<T, ast::Paren>) {
            return infer(m, f, node.inner, expected);
          } else if constexpr (std::is_same_v<T, ast::Unary>) {
            return unary(m, f, node);
          } else if constexpr (std::is_same_v<T, ast::Binary>) {
            return binary(m, f, node, expected);
          } else if constexpr (std::is_same_v<T, ast::IfElse>) {
            return if_else(m, f, node, expected);
          } else if constexpr (std::is_same_v<T, ast::Index>) {
            return index(m, f, node);
          } else if constexpr (std::is_same_v<T, ast::InterpolatedString>) {
            return interpolated(m, f, node);
          } else if constexpr (std::is_same_v<T, ast::Call>) {
            return call(m, f, expr.span, node);
          } else if constexpr (std::is_same_v<T, ast::With>) {
            return with(m, f, node);
          } else if constexpr (std::is_same_v<T, ast::ListComp>) {
            return list_comp(m, f, node, expected);
          } else if constexpr (std::is_same_v<T, ast::MapComp>) {
            return map_comp(m, f, node, expected);
          } else {
            return types_.error();  // reported by report_unchecked
          }
        },
        expr.node);
  }

  std::string quoted_type(TypeId type) const { return ticked(types_.to_string(type)); }

  TypeId unary(uint32_t m, uint32_t f, const ast::Unary& node) {
    TypeId operand = infer(m, f, node.operand, std::nullopt);
    if (auto type = unary_type(types_, node.op, operand)) return *type;
    bool negate = node.op == ast::UnaryOp::Neg;
    diags_
        .error(Code::E0301, node.op_span,
               fmt::format("{} cannot be applied to {}", ticked(negate ? "-" : "!"),
                           quoted_type(operand)))
        .with_note(negate ? "`-` takes a number, a duration or a size" : "`!` takes a `bool`");
    return types_.error();
  }

  TypeId binary(uint32_t m, uint32_t f, const ast::Binary& node, std::optional<TypeId> expected) {
    using Op = ast::BinaryOp;
    TypeId boolean = types_.primitive(TypeKind::Bool);
    if (node.op == Op::And || node.op == Op::Or) {
      check_against(m, f, node.lhs, boolean);
      check_against(m, f, node.rhs, boolean);
      return boolean;
    }
    if (node.op == Op::Coalesce) {
      std::optional<TypeId> lhs_expected;
      if (expected) lhs_expected = types_.optional_of(*expected);
      TypeId lhs = infer(m, f, node.lhs, lhs_expected);
      TypeId inner = types_.kind(lhs) == TypeKind::Optional ? types_.get(lhs).element : lhs;
      TypeId rhs = infer(m, f, node.rhs, expected ? expected : std::optional<TypeId>(inner));
      return types_.kind(inner) == TypeKind::Null ? rhs : common_type(inner, rhs);
    }
    TypeId lhs = infer(m, f, node.lhs, std::nullopt);
    TypeId rhs = infer(m, f, node.rhs, std::nullopt);
    if (auto type = binary_type(types_, node.op, lhs, rhs)) return *type;
    auto& d = diags_.error(
        Code::E0301, node.op_span,
        fmt::format("{} cannot be applied to {} and {}", ticked(ast::spelling(node.op)),
                    quoted_type(lhs), quoted_type(rhs)));
    if (types_.kind(lhs) == TypeKind::Optional || types_.kind(rhs) == TypeKind::Optional) {
      d.with_note("an optional value may be null: give it a default with `??`");
    }
    return types_.error();
  }

  TypeId if_else(uint32_t m, uint32_t f, const ast::IfElse& node, std::optional<TypeId> expected) {
    check_against(m, f, node.condition, types_.primitive(TypeKind::Bool));
    TypeId then_type = infer(m, f, node.then_value, expected);
    TypeId else_type = infer(m, f, node.else_value, expected);
    return common_type(then_type, else_type);
  }

  TypeId index(uint32_t m, uint32_t f, const ast::Index& node) {
    TypeId object = infer(m, f, node.object, std::nullopt);
    switch (types_.kind(object)) {
      case TypeKind::Error:
      case TypeKind::Any:
        infer(m, f, node.index, std::nullopt);
        return object;
      case TypeKind::List:
        check_against(m, f, node.index, types_.primitive(TypeKind::Int));
        return types_.get(object).element;
      case TypeKind::Map:
        check_against(m, f, node.index, types_.primitive(TypeKind::String));
        return types_.get(object).element;
      default:
        infer(m, f, node.index, std::nullopt);
        diags_
            .error(Code::E0301, file(m, f).expr(node.object).span,
                   fmt::format("{} cannot be indexed", quoted_type(object)))
            .with_label("only lists (by `int`) and maps (by `string`) can");
        return types_.error();
    }
  }

  // Binds the names of a comprehension's clauses, in order, as locals_ (the caller pops them).
  void clauses(uint32_t m, uint32_t f, const std::vector<ast::CompClause>& clauses) {
    for (const ast::CompClause& clause : clauses) {
      if (clause.kind == ast::CompClause::Kind::If) {
        check_against(m, f, clause.expr, types_.primitive(TypeKind::Bool));
        continue;
      }
      TypeId iterable = infer(m, f, clause.expr, std::nullopt);
      const Type type = types_.get(iterable);  // a copy: interning below may grow the table
      TypeId key = types_.error();
      TypeId value = types_.error();
      switch (type.kind) {
        case TypeKind::Error:
          break;
        case TypeKind::Any:
          key = value = types_.any();
          break;
        case TypeKind::List:  // `for x in xs`, `for i, x in xs`
          key = types_.primitive(TypeKind::Int);
          value = type.element;
          break;
        case TypeKind::Map:  // `for k in m`, `for k, v in m`
          key = types_.primitive(TypeKind::String);
          value = clause.key ? type.element : key;
          break;
        case TypeKind::Record: {
          key = types_.primitive(TypeKind::String);
          TypeId common = types_.primitive(TypeKind::Never);
          for (const auto& field : type.fields)
            common = common_type(common, field.second);
          value = clause.key ? common : key;
          break;
        }
        default:
          diags_
              .error(Code::E0301, file(m, f).expr(clause.expr).span,
                     fmt::format("cannot iterate over {}", quoted_type(iterable)))
              .with_label("`for` takes a list or a map");
          break;
      }
      if (clause.key) locals_.emplace_back(clause.key->text, key);
      locals_.emplace_back(clause.value.text, value);
    }
  }

  // `object with { ... }`: an untyped record (a map by LANGUAGE.md 3) or a map with entries
  // replaced or added; the result's type follows the new values.
  TypeId with(uint32_t m, uint32_t f, const ast::With& node) {
    TypeId object = infer(m, f, node.object, std::nullopt);
    const Type type = types_.get(object);  // a copy: interning below may grow the table
    std::map<std::string, Span> seen;
    switch (type.kind) {
      case TypeKind::Error:
      case TypeKind::Any:
        for (const Field& item : fields(m, f, node.body))
          infer(m, f, item.value, std::nullopt);
        return object;
      case TypeKind::Map: {
        TypeId element = type.element;
        for (const Field& item : fields(m, f, node.body)) {
          note_field(seen, item, "key");
          element = common_type(element, infer(m, f, item.value, type.element));
        }
        return types_.map_of(element);
      }
      case TypeKind::Record: {
        Type updated = type;
        for (const Field& item : fields(m, f, node.body)) {
          TypeId value = infer(m, f, item.value, std::nullopt);
          if (!note_field(seen, item, "field")) continue;
          auto it = std::find_if(updated.fields.begin(), updated.fields.end(),
                                 [&](const auto& field) { return field.first == item.name.text; });
          if (it != updated.fields.end()) {
            it->second = value;
          } else {
            updated.fields.emplace_back(item.name.text, value);
          }
        }
        return types_.intern(std::move(updated));
      }
      default:
        for (const Field& item : fields(m, f, node.body))
          infer(m, f, item.value, std::nullopt);
        diags_
            .error(Code::E0301, file(m, f).expr(node.object).span,
                   fmt::format("`with` takes a record or a map, found {}", quoted_type(object)))
            .with_label(fmt::format("this is {}", quoted_type(object)));
        return types_.error();
    }
  }

  // The type `expected` asks of its elements (values, for a map) when it is of `kind`.
  std::optional<TypeId> expected_element(std::optional<TypeId> expected, TypeKind kind) const {
    if (expected && types_.kind(*expected) == kind) return types_.get(*expected).element;
    return std::nullopt;
  }

  size_t clause_names(const std::vector<ast::CompClause>& clauses) const {
    size_t n = 0;
    for (const ast::CompClause& clause : clauses) {
      if (clause.kind == ast::CompClause::Kind::For) n += clause.key ? 2 : 1;
    }
    return n;
  }

  TypeId list_comp(uint32_t m, uint32_t f, const ast::ListComp& node,
                   std::optional<TypeId> expected) {
    std::optional<TypeId> element_expected = expected_element(expected, TypeKind::List);
    clauses(m, f, node.clauses);
    TypeId element = infer(m, f, node.value, element_expected);
    locals_.resize(locals_.size() - clause_names(node.clauses));
    return types_.list_of(element);
  }

  TypeId map_comp(uint32_t m, uint32_t f, const ast::MapComp& node,
                  std::optional<TypeId> expected) {
    std::optional<TypeId> value_expected = expected_element(expected, TypeKind::Map);
    clauses(m, f, node.clauses);
    check_against(m, f, node.key, types_.primitive(TypeKind::String));
    TypeId value = infer(m, f, node.value, value_expected);
    locals_.resize(locals_.size() - clause_names(node.clauses));
    return types_.map_of(value);
  }

  // A call of a built-in function; calls of anything else are reported by report_unchecked.
  TypeId call(uint32_t m, uint32_t f, Span span, const ast::Call& node) {
    const auto* callee = std::get_if<ast::NameRef>(&file(m, f).expr(node.callee).node);
    if (callee == nullptr) return types_.error();
    const ast::Name& name = callee->name;
    if (const Symbol* symbol = out_.modules[m].find(name.text);
        symbol != nullptr && symbol->kind == SymbolKind::Fn) {
      return function_call(m, f, node, name,
                           static_cast<uint32_t>(symbol - out_.modules[m].symbols.data()));
    }
    if (const Symbol* symbol = out_.modules[m].find(name.text)) {
      if (symbol->kind != SymbolKind::Unchecked) {
        diags_
            .error(Code::E0301, name.span,
                   fmt::format("{} is a {}, not a function", ticked(name.text),
                               kind_word(symbol->kind)))
            .with_secondary(symbol->span, "declared here");
      }
      return types_.error();
    }
    if (!is_builtin(name.text)) {
      unknown_member(Code::E0201, name.span, name.text,
                     fmt::format("unknown function {}", ticked(name.text)), builtin_names());
      return types_.error();
    }
    std::vector<TypeId> args;
    for (ExprId arg : node.args)
      args.push_back(infer(m, f, arg, std::nullopt));
    BuiltinTyping typing = builtin_type(types_, callee->name.text, args);
    if (typing.result) return *typing.result;
    std::string found;
    for (TypeId arg : args)
      found += (found.empty() ? "" : ", ") + quoted_type(arg);
    diags_.error(Code::E0301, span, typing.error)
        .with_label(args.empty() ? std::string("called with no arguments")
                                 : fmt::format("called with {}", found));
    return types_.error();
  }

  TypeId function_call(uint32_t m, uint32_t f, const ast::Call& node, const ast::Name& name,
                       uint32_t s) {
    CheckedModule& module = out_.modules[m];
    module.names[f][node.callee.index] = NameTarget{m, static_cast<int32_t>(s)};
    if (states_[m][s] == State::InProgress) {
      diags_
          .error(Code::E0402, name.span, fmt::format("function {} calls itself", ticked(name.text)))
          .with_label("functions cannot recurse, directly or through others")
          .with_secondary(module.symbols[s].span, "the function");
      for (ExprId arg : node.args)
        infer(m, f, arg, std::nullopt);
      return types_.error();
    }
    symbol_type(m, s);
    const FnSignature signature = out_.modules[m].functions[s];  // a copy: checking may add more
    if (node.args.size() < signature.required || node.args.size() > signature.params.size()) {
      std::string takes =
          signature.required == signature.params.size()
              ? fmt::format("{}", signature.params.size())
              : fmt::format("{} to {}", signature.required, signature.params.size());
      diags_
          .error(Code::E0301, name.span,
                 fmt::format("{} takes {} argument{}, found {}", ticked(name.text), takes,
                             signature.params.size() == 1 ? "" : "s", node.args.size()))
          .with_secondary(module.symbols[s].span, "declared here");
      for (ExprId arg : node.args)
        infer(m, f, arg, std::nullopt);
      return types_.error();
    }
    for (size_t i = 0; i < node.args.size(); ++i)
      check_against(m, f, node.args[i], signature.params[i]);
    return signature.result;
  }

  TypeId interpolated(uint32_t m, uint32_t f, const ast::InterpolatedString& node) {
    for (const ast::StringPart& part : node.parts) {
      if (!part.expr.valid()) continue;
      TypeId type = infer(m, f, part.expr, std::nullopt);
      if (has_string_form(types_, type)) continue;
      diags_
          .error(Code::E0301, file(m, f).expr(part.expr).span,
                 fmt::format("{} has no string form to interpolate", quoted_type(type)))
          .with_label(fmt::format("this is {}", quoted_type(type)))
          .with_note("interpolate numbers, strings, booleans and domain values");
    }
    return types_.primitive(TypeKind::String);
  }

  // A string literal where a domain type is expected is that type, parsed at check time
  // (LANGUAGE.md 2): `pod_cidr = "fd00:10::/56"`.
  TypeId string_literal(const ast::StringLit& lit, Span span, std::optional<TypeId> expected) {
    TypeId string_type = types_.primitive(TypeKind::String);
    if (!expected) return string_type;
    TypeId target = *expected;
    if (types_.kind(target) == TypeKind::Optional) target = types_.get(target).element;
    TypeKind kind = types_.kind(target);
    if (!is_domain(kind)) return string_type;
    std::string error;
    if (parses_as(kind, lit.value, &error)) return target;
    diags_
        .error(Code::E0301, span,
               fmt::format("{} is not a valid {}", ticked("\"" + lit.value + "\""),
                           types_.to_string(target)))
        .with_label(error);
    return types_.error();
  }

  TypeId common_type(TypeId a, TypeId b) { return sema::common_type(types_, a, b); }

  TypeId list_literal(uint32_t m, uint32_t f, const ast::ListLit& list,
                      std::optional<TypeId> expected) {
    std::optional<TypeId> element_expected = expected_element(expected, TypeKind::List);
    TypeId element = types_.primitive(TypeKind::Never);
    for (ExprId item : list.items)
      element = common_type(element, infer(m, f, item, element_expected));
    return types_.list_of(element);
  }

  TypeId record_literal(uint32_t m, uint32_t f, const ast::RecordLit& record,
                        std::optional<TypeId> expected) {
    if (record.schema) return types_.error();  // reported by report_unchecked
    std::optional<TypeId> value_expected = expected_element(expected, TypeKind::Map);
    Type type;
    type.kind = TypeKind::Record;
    std::map<std::string, Span> seen;
    for (const Field& item : fields(m, f, record.body)) {
      TypeId value = infer(m, f, item.value, value_expected);
      if (!note_field(seen, item, "field")) continue;
      type.fields.emplace_back(item.name.text, value);
    }
    return types_.intern(std::move(type));
  }

  // A `key = value` item of a body whose key is known without evaluation.
  struct Field {
    ast::Name name;
    ExprId value;
  };

  // The checked items of a body; report_unchecked has reported the others.
  std::vector<Field> fields(uint32_t m, uint32_t f, ast::BodyId id) const {
    std::vector<Field> out;
    const ast::File& source = file(m, f);
    for (const ast::BodyItem& item : source.body(id).items) {
      const auto* assign = std::get_if<ast::FieldAssign>(&item.node);
      if (assign == nullptr) continue;
      if (auto key = ast::static_label(source, assign->key)) out.push_back({*key, assign->value});
    }
    return out;
  }

  // Records a field as set; reports E0305 and returns false when it was set before.
  bool note_field(std::map<std::string, Span>& seen, const Field& item, std::string_view what) {
    auto [it, fresh] = seen.emplace(item.name.text, item.name.span);
    if (fresh) return true;
    diags_
        .error(Code::E0305, item.name.span,
               fmt::format("{} {} is set twice", what, ticked(item.name.text)))
        .with_label("set again here")
        .with_secondary(it->second, "first set here");
    return false;
  }

  TypeId name_ref(uint32_t m, uint32_t f, ExprId id, const ast::NameRef& ref) {
    CheckedModule& module = out_.modules[m];
    for (auto local = locals_.rbegin(); local != locals_.rend(); ++local) {
      if (local->first != ref.name.text) continue;
      module.names[f][id.index] = NameTarget{m, kLocalName};
      return local->second;
    }
    auto it = module.by_name.find(ref.name.text);
    if (it == module.by_name.end()) {
      std::vector<std::string> candidates;
      for (const auto& entry : module.by_name)
        candidates.push_back(entry.first);
      auto& d = diags_.error(Code::E0201, ref.name.span,
                             fmt::format("unknown name {}", ticked(ref.name.text)));
      if (auto best = closest(ref.name.text, candidates)) {
        d.with_label(fmt::format("did you mean {}?", ticked(*best)))
            .with_fix(fmt::format("replace with {}", ticked(*best)), ref.name.span, *best);
      }
      module.names[f][id.index] = NameTarget{m, -1};
      return types_.error();
    }
    module.names[f][id.index] = NameTarget{m, static_cast<int32_t>(it->second)};
    if (module.symbols[it->second].kind == SymbolKind::Fn) {
      diags_
          .error(Code::E0301, ref.name.span,
                 fmt::format("{} is a function, not a value", ticked(ref.name.text)))
          .with_label(fmt::format("call it: {}", ticked(ref.name.text + "(...)")));
      return types_.error();
    }
    return symbol_type(m, it->second);
  }

  TypeId member(uint32_t m, uint32_t f, const ast::Member& node) {
    module_allowed_ = true;  // `mod.name` is the one place a module may stand
    TypeId object = infer(m, f, node.object, std::nullopt);
    const Type type = types_.get(object);  // a copy: checking below may intern new types
    const std::string& name = node.member.text;
    Span at = node.member.span;
    switch (type.kind) {
      case TypeKind::Error:
      case TypeKind::Any:
        return object;
      case TypeKind::Module: {
        const CheckedModule& target = out_.modules[type.module_index];
        const Symbol* symbol = target.find(name);
        if (symbol && symbol->kind == SymbolKind::Export) {
          return symbol_type(type.module_index,
                             static_cast<uint32_t>(symbol - target.symbols.data()));
        }
        std::vector<std::string> exports;
        for (const auto& s : target.symbols) {
          if (s.kind == SymbolKind::Export) exports.push_back(s.name);
        }
        return unknown_member(
            Code::E0201, at, name,
            fmt::format("module {} has no export {}",
                        ticked(program_.modules[type.module_index].name), ticked(name)),
            exports);
      }
      case TypeKind::Resource: {
        const sdk::ResourceSchema* schema = schemas_.find_resource(type.name);
        if (schema == nullptr) return types_.error();
        if (const sdk::AttributeSchema* attr = schema->find(name)) {
          return types_.from_schema(attr->type);
        }
        std::vector<std::string> names;
        for (const auto& a : schema->attributes)
          names.push_back(a.name);
        return unknown_member(
            Code::E0302, at, name,
            fmt::format("{} has no attribute {}", ticked(type.name), ticked(name)), names);
      }
      case TypeKind::Record: {
        std::vector<std::string> names;
        for (const auto& [field, field_type] : type.fields) {
          if (field == name) return field_type;
          names.push_back(field);
        }
        return unknown_member(Code::E0302, at, name,
                              fmt::format("record has no field {}", ticked(name)), names);
      }
      case TypeKind::Map:
        return type.element;
      default:
        diags_
            .error(Code::E0301, at,
                   fmt::format("{} has no fields", ticked(types_.to_string(object))))
            .with_label(fmt::format("cannot read {} here", ticked("." + name)));
        return types_.error();
    }
  }

  TypeId unknown_member(Code code, Span at, const std::string& name, std::string message,
                        const std::vector<std::string>& candidates) {
    auto& d = diags_.error(code, at, std::move(message));
    if (auto best = closest(name, candidates)) {
      d.with_label(fmt::format("did you mean {}?", ticked(*best)))
          .with_fix(fmt::format("replace with {}", ticked(*best)), at, *best);
    }
    return types_.error();
  }

  TypeId resource(uint32_t m, uint32_t f, const ast::ResourceExpr& node) {
    std::string type_name = node.provider.text + "." + node.kind.text;
    Span type_span = Span::cover(node.provider.span, node.kind.span);
    const sdk::ResourceSchema* schema = schemas_.find_resource(type_name);
    const std::vector<Field> body = fields(m, f, node.body);
    if (schema == nullptr) {
      auto& d = diags_.error(Code::E0201, type_span,
                             fmt::format("unknown resource type {}", ticked(type_name)));
      if (auto best = closest(type_name, schemas_.resource_types())) {
        d.with_label(fmt::format("did you mean {}?", ticked(*best)))
            .with_fix(fmt::format("replace with {}", ticked(*best)), type_span, *best);
      }
      for (const Field& item : body)
        infer(m, f, item.value, std::nullopt);
      return types_.error();
    }
    std::string provider = node.provider.text;
    std::map<std::string, Span> seen;
    std::set<std::string> suggested;  // attributes offered as "did you mean" for unknown ones
    for (const Field& item : body) {
      const std::string& name = item.name.text;
      bool first_time = note_field(seen, item, "attribute");
      if (name == kDependsOn) {
        check_depends_on(m, f, item);
      } else if (name == kLifecycle) {
        check_lifecycle(m, f, item);
      } else if (const sdk::AttributeSchema* attr = schema->find(name); attr && attr->is_input()) {
        TypeId want = types_.from_schema(attr->type);
        if (attr->presence == sdk::AttributeSchema::Presence::Optional) {
          want = types_.optional_of(want);
        }
        TypeId got = infer(m, f, item.value, want);
        if (first_time && !types_.assignable(got, want)) {
          diags_
              .error(Code::E0301, file(m, f).expr(item.value).span,
                     fmt::format("expected {}, found {}", ticked(types_.to_string(want)),
                                 ticked(types_.to_string(got))))
              .with_label(fmt::format("this is {}", ticked(types_.to_string(got))))
              .with_note(fmt::format("the {} provider declares {} as {}", ticked(provider),
                                     ticked(type_name + "." + name),
                                     ticked(types_.to_string(want))));
        }
      } else if (attr) {
        infer(m, f, item.value, std::nullopt);
        diags_
            .error(Code::E0302, item.name.span,
                   fmt::format("{} is an output of {} and cannot be set", ticked(name),
                               ticked(type_name)))
            .with_label("set by the provider after apply");
      } else {
        infer(m, f, item.value, std::nullopt);
        std::vector<std::string> inputs = {kDependsOn, kLifecycle};
        for (const auto& a : schema->attributes) {
          if (a.is_input()) inputs.push_back(a.name);
        }
        if (auto best = closest(name, inputs)) suggested.insert(*best);
        unknown_member(Code::E0302, item.name.span, name,
                       fmt::format("unknown attribute {} in {}", ticked(name), ticked(type_name)),
                       inputs);
      }
    }
    for (const auto& attr : schema->attributes) {
      // A misspelt attribute already says "did you mean"; its absence is the same mistake.
      if (attr.presence != sdk::AttributeSchema::Presence::Required || seen.count(attr.name) ||
          suggested.count(attr.name)) {
        continue;
      }
      diags_
          .error(Code::E0303, Span::cover(type_span, node.label.span),
                 fmt::format("missing required attribute {} in {}", ticked(attr.name),
                             ticked(type_name)))
          .with_label(fmt::format(
              "{} needs {}", ticked(type_name),
              ticked(attr.name + ": " + types_.to_string(types_.from_schema(attr.type)))));
    }
    return types_.resource(type_name);
  }

  void check_depends_on(uint32_t m, uint32_t f, const Field& item) {
    TypeId got = infer(m, f, item.value, std::nullopt);
    const Type& type = types_.get(got);
    bool ok = type.kind == TypeKind::Error ||
              (type.kind == TypeKind::List && (types_.kind(type.element) == TypeKind::Resource ||
                                               types_.kind(type.element) == TypeKind::Never ||
                                               types_.kind(type.element) == TypeKind::Error));
    if (!ok) {
      diags_.error(Code::E0301, file(m, f).expr(item.value).span,
                   fmt::format("{} takes a list of resources, found {}", ticked(kDependsOn),
                               ticked(types_.to_string(got))));
    }
  }

  void check_lifecycle(uint32_t m, uint32_t f, const Field& item) {
    const ast::Expr& value = file(m, f).expr(item.value);
    const auto* record = std::get_if<ast::RecordLit>(&value.node);
    if (record == nullptr || record->schema) {
      infer(m, f, item.value, std::nullopt);
      diags_.error(Code::E0301, value.span,
                   fmt::format("{} takes a block: {}", ticked(kLifecycle),
                               ticked("lifecycle { prevent_destroy = true }")));
      return;
    }
    TypeId boolean = types_.primitive(TypeKind::Bool);
    const std::vector<std::pair<std::string, TypeId>> known = {
        {"prevent_destroy", boolean},
        {"create_before_destroy", boolean},
        {"ignore_changes", types_.list_of(types_.primitive(TypeKind::String))}};
    std::map<std::string, Span> seen;
    for (const Field& entry : fields(m, f, record->body)) {
      note_field(seen, entry, "field");
      auto it = std::find_if(known.begin(), known.end(),
                             [&](const auto& field) { return field.first == entry.name.text; });
      if (it == known.end()) {
        infer(m, f, entry.value, std::nullopt);
        std::vector<std::string> names;
        for (const auto& field : known)
          names.push_back(field.first);
        unknown_member(
            Code::E0302, entry.name.span, entry.name.text,
            fmt::format("unknown field {} in {}", ticked(entry.name.text), ticked(kLifecycle)),
            names);
        continue;
      }
      check_against(m, f, entry.value, it->second);
    }
    out_.modules[m].expr_types[f][item.value.index] = types_.any();
  }

  const Program& program_;
  const sdk::SchemaSource& schemas_;
  diag::Diagnostics& diags_;
  CheckedProgram& out_;
  TypeTable& types_;
  std::vector<std::vector<State>> states_;
  bool module_allowed_ = false;
  // Comprehension variables in scope, innermost last; name lookups try them first.
  std::vector<std::pair<std::string, TypeId>> locals_;
  int depth_ = 0;  // nesting of infer(), bounded by kMaxDepth
  bool depth_reported_ = false;
};

std::string_view kind_word(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::Import:
      return "import";
    case SymbolKind::Let:
      return "let";
    case SymbolKind::Param:
      return "param";
    case SymbolKind::Export:
      return "export";
    case SymbolKind::Output:
      return "output";
    case SymbolKind::Fn:
      return "function";
    case SymbolKind::Unchecked:
      return "unchecked";
  }
  return "?";
}

}  // namespace

const Symbol* CheckedModule::find(std::string_view name) const {
  auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : &symbols[it->second];
}

CheckedProgram check(const Program& program, const sdk::SchemaSource& schemas,
                     diag::Diagnostics& diagnostics) {
  CheckedProgram out;
  out.program = &program;
  Checker(program, schemas, diagnostics, out).run();
  return out;
}

std::string dump_types(const CheckedProgram& checked) {
  std::string out;
  for (uint32_t m = 0; m < checked.modules.size(); ++m) {
    out += fmt::format("module {}\n", checked.source(m).name);
    for (const Symbol& symbol : checked.modules[m].symbols) {
      out += fmt::format("  {} {}: {}\n", kind_word(symbol.kind), symbol.name,
                         checked.types.to_string(symbol.type));
    }
  }
  return out;
}

}  // namespace kc::sema
