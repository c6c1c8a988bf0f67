// The checker: declares every module's symbols, then types each declaration lazily (so order of
// declaration does not matter), expression by expression, with the expected type pushed down.
#include "compiler/sema/check.h"

#include "compiler/sema/checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "compiler/sema/builtins.h"
#include "compiler/sema/limits.h"
#include "compiler/sema/operators.h"
#include "compiler/sema/suggest.h"

namespace kc::sema {
namespace {

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

}  // namespace

void Checker::run() {
  out_.modules.resize(program_.modules.size());
  out_.resource_schemas = &schemas_;
  states_.resize(program_.modules.size());
  carried_.assign(program_.modules.size(), false);
  find_visible_modules();
  if (prior_ != nullptr) carry_prior();
  for (uint32_t m = 0; m < program_.modules.size(); ++m) {
    if (!carried_[m]) declare(m);
  }
  // Every symbol, schema body and schema `let` of a checked module is typed here, so a module
  // carried into a later check has nothing left to type.
  for (uint32_t m = 0; m < program_.modules.size(); ++m) {
    if (carried_[m]) continue;
    for (uint32_t s = 0; s < out_.modules[m].symbols.size(); ++s) {
      symbol_type(m, s);
      if (out_.modules[m].symbols[s].kind == SymbolKind::Schema) schema_bodies(m, s);
    }
    runtime_blocks(m);
  }
}

// `provider` and `backend` blocks: each checked against its settings; a provider (with one alias)
// or a backend configured twice in a module is ambiguous.
void Checker::runtime_blocks(uint32_t m) {
  const SourceModule& module = program_.modules[m];
  std::map<std::string, Span> providers;
  std::optional<Span> backend_at;
  for (uint32_t f = 0; f < module.files.size(); ++f) {
    for (const ast::Decl& decl : module.files[f]->decls) {
      if (const auto* provider = std::get_if<ast::Provider>(&decl.node)) {
        check_provider(m, f, *provider);
        std::string name = provider->name.text;
        if (provider->alias) name += " " + provider->alias->text;
        Span at = provider->alias ? Span::cover(provider->name.span, provider->alias->span)
                                  : provider->name.span;
        auto [it, fresh] = providers.emplace(name, at);
        if (!fresh) report_duplicate("provider", name, at, it->second);
      } else if (const auto* backend = std::get_if<ast::Backend>(&decl.node)) {
        check_backend(m, f, *backend);
        if (backend_at) {
          diags_.error(Code::E0204, backend->kind.span, "a second `backend` block")
              .with_label("declared again here")
              .with_secondary(*backend_at, "the first `backend` block")
              .with_note("state lives in one place: keep one `backend` block");
        } else {
          backend_at = backend->kind.span;
        }
      }
    }
  }
}

void Checker::check_against(uint32_t m, uint32_t f, ExprId expr, TypeId expected, Span declared,
                            std::string_view declared_what) {
  TypeId actual = infer(m, f, expr, expected);
  if (!types_.assignable(actual, expected)) {
    auto& d = diags_
                  .error(Code::E0301, file(m, f).expr(expr).span,
                         fmt::format("expected {}, found {}", ticked(types_.to_string(expected)),
                                     ticked(types_.to_string(actual))))
                  .with_label(fmt::format("this is {}", ticked(types_.to_string(actual))));
    if (declared.valid()) {
      d.with_secondary(declared, std::string(declared_what));
    } else if (!declared_what.empty()) {
      d.with_note(std::string(declared_what));
    }
    hint_enum_string(m, f, expr, expected, d);
    hint_parent_schema(actual, expected, d);
    if (types_.kind(actual) == TypeKind::Any) hint_any(expected, d);
  }
}

TypeId Checker::infer(uint32_t m, uint32_t f, ExprId id, std::optional<TypeId> expected) {
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
  TypeId type = types_.value_type(infer_uncached(m, f, id, expected));
  --depth_;
  if (!module_allowed && types_.kind(type) == TypeKind::Module) {
    diags_.error(Code::E0301, file(m, f).expr(id).span, "a module is not a value")
        .with_label(fmt::format("read an export of it instead: {}", ticked("module.name")));
    type = types_.error();
  }
  out_.modules[m].expr_types[f][id.index] = type;
  return type;
}

TypeId Checker::infer_uncached(uint32_t m, uint32_t f, ExprId id, std::optional<TypeId> expected) {
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
          return record_literal(m, f, id, node, expected);
        } else if constexpr (std::is_same_v<T, ast::SelfRef>) {
          return self_ref(expr.span);
        } else if constexpr (std::is_same_v<T, ast::NameRef>) {
          return name_ref(m, f, id, node, expected);
        } else if constexpr (std::is_same_v<T, ast::Member>) {
          return member(m, f, id, node);
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
        }
      },
      expr.node);
}

TypeId Checker::unary(uint32_t m, uint32_t f, const ast::Unary& node) {
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

TypeId Checker::binary(uint32_t m, uint32_t f, const ast::Binary& node,
                       std::optional<TypeId> expected) {
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
  TypeId lhs, rhs;
  if (node.op == Op::Eq || node.op == Op::Ne) {
    // An enum on one side makes a bare member name on the other side mean that enum's member
    // (`t == app`, `app == t`).
    // A bare name on the left that names an enum member is read once the right side's type is
    // known, so that a member wins over a declaration of the same name there too.
    const auto* left_name = std::get_if<ast::NameRef>(&file(m, f).expr(node.lhs).node);
    if (left_name && !bound_locally(left_name->name.text) &&
        (!lookup(m, left_name->name.text) || names_enum_member(m, left_name->name.text))) {
      rhs = infer(m, f, node.rhs, std::nullopt);
      lhs = infer(m, f, node.lhs, rhs);
    } else {
      lhs = infer(m, f, node.lhs, std::nullopt);
      rhs = infer(m, f, node.rhs, lhs);
    }
  } else {
    lhs = infer(m, f, node.lhs, std::nullopt);
    rhs = infer(m, f, node.rhs, std::nullopt);
  }
  if (auto type = binary_type(types_, node.op, lhs, rhs)) return *type;
  auto& d =
      diags_.error(Code::E0301, node.op_span,
                   fmt::format("{} cannot be applied to {} and {}", ticked(ast::spelling(node.op)),
                               quoted_type(lhs), quoted_type(rhs)));
  if (types_.kind(lhs) == TypeKind::Optional || types_.kind(rhs) == TypeKind::Optional) {
    d.with_note("an optional value may be null: give it a default with `??`");
  }
  bool enum_and_string =
      (types_.kind(lhs) == TypeKind::Enum && types_.kind(rhs) == TypeKind::String) ||
      (types_.kind(lhs) == TypeKind::String && types_.kind(rhs) == TypeKind::Enum);
  if (enum_and_string) {
    const EnumInfo* info = out_.enumeration(types_.kind(lhs) == TypeKind::Enum ? lhs : rhs);
    std::string example = info && !info->members.empty() ? info->members.front() : "member";
    d.with_note(
        fmt::format("compare an enum with its members, written bare: {} (or convert it "
                    "with `string(...)`)",
                    ticked(example)));
  }
  return types_.error();
}

bool Checker::names_enum_member(uint32_t m, std::string_view name) const {
  for (uint32_t visible : visible_[m]) {
    for (const auto& entry : out_.modules[visible].enums) {
      if (entry.second.has(name)) return true;
    }
  }
  return false;
}

TypeId Checker::if_else(uint32_t m, uint32_t f, const ast::IfElse& node,
                        std::optional<TypeId> expected) {
  check_against(m, f, node.condition, types_.primitive(TypeKind::Bool));
  TypeId then_type = infer(m, f, node.then_value, expected);
  TypeId else_type = infer(m, f, node.else_value, expected);
  return common_type(then_type, else_type);
}

TypeId Checker::index(uint32_t m, uint32_t f, const ast::Index& node) {
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
    case TypeKind::Record:
      return record_index(m, f, node, object);
    default:
      infer(m, f, node.index, std::nullopt);
      diags_
          .error(Code::E0301, file(m, f).expr(node.object).span,
                 fmt::format("{} cannot be indexed", quoted_type(object)))
          .with_label("only lists (by `int`) and maps (by `string`) can");
      return types_.error();
  }
}

// An untyped brace literal is a map (LANGUAGE.md 3): `r["a"]` reads an entry. A key written out
// must be one of its fields; another string gives the common type of the values.
TypeId Checker::record_index(uint32_t m, uint32_t f, const ast::Index& node, TypeId object) {
  check_against(m, f, node.index, types_.primitive(TypeKind::String));
  const Type record = types_.get(object);  // a copy: interning below may grow the table
  const auto* literal = std::get_if<ast::StringLit>(&file(m, f).expr(node.index).node);
  std::vector<std::string> names;
  TypeId common = types_.primitive(TypeKind::Never);
  for (const auto& [field, type] : record.fields) {
    if (literal && field == literal->value) return type;
    names.push_back(field);
    common = common_type(common, type);
  }
  if (literal) {
    return unknown_listed(Code::E0302, file(m, f).expr(node.index).span, literal->value,
                          fmt::format("no key {} in this map", ticked(literal->value)), names,
                          "map's keys");
  }
  return types_.kind(common) == TypeKind::Never ? types_.any() : common;
}

// Binds the names of a comprehension's clauses, in order, as locals_ (the caller pops them).
void Checker::clauses(uint32_t m, uint32_t f, const std::vector<ast::CompClause>& clauses) {
  for (const ast::CompClause& clause : clauses) {
    if (clause.kind == ast::CompClause::Kind::If) {
      check_against(m, f, clause.expr, types_.primitive(TypeKind::Bool));
      continue;
    }
    auto [key, value] = iteration_types(m, f, clause.expr, clause.key.has_value());
    if (clause.key) locals_.emplace_back(clause.key->text, key);
    locals_.emplace_back(clause.value.text, value);
  }
}

std::pair<TypeId, TypeId> Checker::iteration_types(uint32_t m, uint32_t f, ExprId iterable,
                                                   bool has_key) {
  TypeId iterable_type = infer(m, f, iterable, std::nullopt);
  const Type type = types_.get(iterable_type);  // a copy: interning below may grow the table
  switch (type.kind) {
    case TypeKind::Error:
      return {types_.error(), types_.error()};
    case TypeKind::Any:
      return {types_.any(), types_.any()};
    case TypeKind::List:  // `for x in xs`, `for i, x in xs`
      return {types_.primitive(TypeKind::Int), type.element};
    case TypeKind::Map: {  // `for k in m`, `for k, v in m`
      TypeId key = types_.primitive(TypeKind::String);
      return {key, has_key ? type.element : key};
    }
    case TypeKind::Record: {
      TypeId key = types_.primitive(TypeKind::String);
      TypeId common = types_.primitive(TypeKind::Never);
      for (const auto& field : type.fields)
        common = common_type(common, field.second);
      return {key, has_key ? common : key};
    }
    default:
      diags_
          .error(Code::E0301, file(m, f).expr(iterable).span,
                 fmt::format("cannot iterate over {}", quoted_type(iterable_type)))
          .with_label("`for` takes a list or a map");
      return {types_.error(), types_.error()};
  }
}

// `object with { ... }`: an untyped record (a map by LANGUAGE.md 3) or a map with entries
// replaced or added; the result's type follows the new values.
TypeId Checker::with(uint32_t m, uint32_t f, const ast::With& node) {
  TypeId object = infer(m, f, node.object, std::nullopt);
  const Type type = types_.get(object);  // a copy: interning below may grow the table
  std::map<std::string, Span> seen;
  switch (type.kind) {
    case TypeKind::Error:
    case TypeKind::Any:
      for (const Field& item : fields(m, f, node.body))
        infer(m, f, item.value, std::nullopt);
      return object;
    case TypeKind::Schema: {
      for (const Field& item : fields(m, f, node.body)) {
        note_field(seen, item, "field");
        const FieldInfo* field = schema_of(object).find_field(item.name.text);
        if (field != nullptr) note_schema_member(m, item.name.span, object, item.name.text);
        if (field == nullptr) {
          infer(m, f, item.value, std::nullopt);
          if (const SchemaLet* let = schema_of(object).find_let(item.name.text)) {
            derived_not_settable(item.name, schema_of(object), *let);
          } else {
            unknown_field(item.name, schema_of(object));
          }
          continue;
        }
        const FieldInfo copy = *field;
        check_against(
            m, f, item.value, copy.type, copy.span,
            fmt::format("{} is declared as {} here", ticked(copy.name), quoted_type(copy.type)));
      }
      return object;
    }
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
std::optional<TypeId> Checker::expected_element(std::optional<TypeId> expected,
                                                TypeKind kind) const {
  if (!expected) return std::nullopt;
  TypeId want = types_.core(*expected);
  if (types_.kind(want) == kind) return types_.get(want).element;
  return std::nullopt;
}

size_t Checker::clause_names(const std::vector<ast::CompClause>& clauses) const {
  size_t n = 0;
  for (const ast::CompClause& clause : clauses) {
    if (clause.kind == ast::CompClause::Kind::For) n += clause.key ? 2 : 1;
  }
  return n;
}

TypeId Checker::list_comp(uint32_t m, uint32_t f, const ast::ListComp& node,
                          std::optional<TypeId> expected) {
  std::optional<TypeId> element_expected = expected_element(expected, TypeKind::List);
  clauses(m, f, node.clauses);
  TypeId element = infer(m, f, node.value, element_expected);
  locals_.resize(locals_.size() - clause_names(node.clauses));
  return types_.list_of(element);
}

TypeId Checker::map_comp(uint32_t m, uint32_t f, const ast::MapComp& node,
                         std::optional<TypeId> expected) {
  std::optional<TypeId> value_expected = expected_element(expected, TypeKind::Map);
  clauses(m, f, node.clauses);
  check_against(m, f, node.key, types_.primitive(TypeKind::String));
  TypeId value = infer(m, f, node.value, value_expected);
  locals_.resize(locals_.size() - clause_names(node.clauses));
  return types_.map_of(value);
}

TypeId Checker::interpolated(uint32_t m, uint32_t f, const ast::InterpolatedString& node) {
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
TypeId Checker::string_literal(const ast::StringLit& lit, Span span,
                               std::optional<TypeId> expected) {
  TypeId string_type = types_.primitive(TypeKind::String);
  if (!expected) return string_type;
  TypeId target = types_.core(*expected);
  TypeKind kind = types_.kind(target);
  if (!is_domain(kind)) return string_type;
  std::string error;
  if (parses_as(kind, lit.value, &error)) return target;
  diags_
      .error(Code::E0301, span,
             fmt::format("{} is not a valid {} value", ticked(sdk::quote_string(lit.value)),
                         quoted_type(target)))
      .with_label(error);
  return types_.error();
}

TypeId Checker::list_literal(uint32_t m, uint32_t f, const ast::ListLit& list,
                             std::optional<TypeId> expected) {
  std::optional<TypeId> element_expected = expected_element(expected, TypeKind::List);
  TypeId element = types_.primitive(TypeKind::Never);
  for (ExprId item : list.items)
    element = common_type(element, infer(m, f, item, element_expected));
  return types_.list_of(element);
}

std::string a_kind(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::Import:
      return "an import";
    case SymbolKind::Let:
      return "a `let`";
    case SymbolKind::Param:
      return "a `param`";
    case SymbolKind::Export:
      return "an export";
    case SymbolKind::Output:
      return "an output";
    case SymbolKind::Enum:
      return "an enum";
    default:
      return "a " + std::string(kind_word(kind));
  }
}

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
    case SymbolKind::Type:
      return "type";
    case SymbolKind::Enum:
      return "enum";
    case SymbolKind::Schema:
      return "schema";
    case SymbolKind::Unchecked:
      return "unchecked";
  }
  return "?";
}

const FieldInfo* SchemaInfo::find_field(std::string_view field) const {
  for (const FieldInfo& f : fields)
    if (f.name == field) return &f;
  return nullptr;
}
const SchemaLet* SchemaInfo::find_let(std::string_view let) const {
  for (const SchemaLet& l : lets)
    if (l.name == let) return &l;
  return nullptr;
}
const FieldInfo* SchemaInfo::key_field() const {
  for (const FieldInfo& f : fields)
    if (f.key) return &f;
  return nullptr;
}
bool EnumInfo::has(std::string_view member) const {
  return std::find(members.begin(), members.end(), member) != members.end();
}

const SchemaInfo* CheckedProgram::schema(TypeId type) const {
  const Type& t = types.get(type);
  if (t.kind != TypeKind::Schema) return nullptr;
  const auto& schemas = modules[t.module_index].schemas;
  auto it = schemas.find(t.symbol);
  return it == schemas.end() ? nullptr : &it->second;
}
const EnumInfo* CheckedProgram::enumeration(TypeId type) const {
  const Type& t = types.get(type);
  if (t.kind != TypeKind::Enum) return nullptr;
  const auto& enums = modules[t.module_index].enums;
  auto it = enums.find(t.symbol);
  return it == enums.end() ? nullptr : &it->second;
}

const Symbol* CheckedModule::find(std::string_view name) const {
  auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : &symbols[it->second];
}

CheckedProgram check(const Program& program, const sdk::SchemaSource& schemas,
                     diag::Diagnostics& diagnostics, const PriorCheck* prior) {
  CheckedProgram out;
  out.program = &program;
  Checker(program, schemas, diagnostics, out, prior).run();
  return out;
}

std::string dump_types(const CheckedProgram& checked) {
  std::string out;
  for (uint32_t m = 0; m < checked.modules.size(); ++m) {
    // The standard library is documented on its own; dumps show the user's modules.
    if (checked.source(m).name.rfind("std/", 0) == 0) continue;
    out += fmt::format("module {}\n", checked.source(m).name);
    const CheckedModule& module = checked.modules[m];
    for (uint32_t s = 0; s < module.symbols.size(); ++s) {
      const Symbol& symbol = module.symbols[s];
      out += fmt::format("  {} {}: {}\n", kind_word(symbol.kind), symbol.name,
                         checked.types.to_string(symbol.type));
      if (auto it = module.schemas.find(s); it != module.schemas.end()) {
        for (const FieldInfo& field : it->second.fields) {
          std::string flags;
          if (field.key) flags += " @key";
          if (field.secret) flags += " @secret";
          if (field.deprecated) flags += " @deprecated";
          out +=
              fmt::format("    field {}: {}{}{}\n", field.name, checked.types.to_string(field.type),
                          field.required ? " (required)" : "", flags);
        }
        for (const SchemaLet& let : it->second.lets)
          out += fmt::format("    let {}: {}\n", let.name, checked.types.to_string(let.type));
        if (!it->second.checks.empty()) {
          out += fmt::format("    checks: {}\n", it->second.checks.size());
        }
      }
      if (auto it = module.enums.find(s); it != module.enums.end()) {
        std::string members;
        for (const std::string& member : it->second.members)
          members += (members.empty() ? "" : ", ") + member;
        out += fmt::format("    members: {}\n", members);
      }
    }
  }
  return out;
}

}  // namespace kc::sema
