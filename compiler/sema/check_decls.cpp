// Declarations: the symbols of each module, and the types that `let`, `param`, `fn`, `type`,
// `enum` and `schema` declarations give them. Schemas are typed in two steps — fields first, then
// defaults, lets and checks — so schemas may refer to each other freely.
#include <algorithm>
#include <set>

#include "compiler/sema/checker.h"
#include "compiler/sema/suggest.h"
#include "providers/sdk/literal.h"

namespace kc::sema {

namespace {

bool ordered_kind(TypeKind k) {
  return k == TypeKind::Int || k == TypeKind::Float || k == TypeKind::String ||
         k == TypeKind::Duration || k == TypeKind::Bytes || k == TypeKind::Percent ||
         k == TypeKind::Version;
}

}  // namespace

void Checker::declare(uint32_t m) {
  const SourceModule& module = program_.modules[m];
  CheckedModule& checked = out_.modules[m];
  std::map<std::string, Span> outputs;
  for (uint32_t f = 0; f < module.files.size(); ++f) {
    const ast::File& ast_file = *module.files[f];
    checked.expr_types.emplace_back(ast_file.exprs.size(), types_.error());
    checked.names.emplace_back();
    checked.uses.emplace_back();
    for (uint32_t d = 0; d < ast_file.decls.size(); ++d) {
      const ast::Decl& decl = ast_file.decls[d];
      // Providers and backends configure the runtime; they are not names an expression can read.
      if (std::holds_alternative<ast::Provider>(decl.node) ||
          std::holds_alternative<ast::Backend>(decl.node)) {
        continue;
      }
      const ast::Name* name = decl.name();
      if (name == nullptr || name->text.empty()) continue;
      Symbol symbol;
      symbol.name = name->text;
      symbol.file = f;
      symbol.decl = d;
      symbol.span = name->span;
      symbol.type = types_.error();
      auto index = static_cast<uint32_t>(checked.symbols.size());
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
            } else if constexpr (std::is_same_v<T, ast::TypeAlias>) {
              symbol.kind = SymbolKind::Type;
            } else if constexpr (std::is_same_v<T, ast::Enum>) {
              symbol.kind = SymbolKind::Enum;
              symbol.type = types_.enumeration(symbol.name, m, index);
            } else if constexpr (std::is_same_v<T, ast::Schema>) {
              symbol.kind = SymbolKind::Schema;
              symbol.type = types_.schema(symbol.name, m, index);
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
        checked.by_name.emplace(symbol.name, index);
      }
      checked.symbols.push_back(std::move(symbol));
      states_[m].push_back(State::Unvisited);
      if (const auto* node = std::get_if<ast::Enum>(&decl.node)) declare_enum(m, index, *node);
    }
  }
}

void Checker::declare_enum(uint32_t m, uint32_t s, const ast::Enum& node) {
  EnumInfo info;
  info.name = node.name.text;
  info.type = out_.modules[m].symbols[s].type;
  std::map<std::string, Span> seen;
  for (const ast::EnumMember& member : node.members) {
    auto [it, fresh] = seen.emplace(member.name.text, member.name.span);
    if (!fresh) {
      report_duplicate("enum member", member.name.text, member.name.span, it->second);
      continue;
    }
    info.members.push_back(member.name.text);
  }
  out_.modules[m].enums[s] = std::move(info);
}

void Checker::report_duplicate(std::string_view what, const std::string& name, Span at,
                               Span first) {
  diags_.error(Code::E0204, at, fmt::format("{} {} is declared twice", what, ticked(name)))
      .with_label("declared again here")
      .with_secondary(first, "first declared here");
}

TypeId Checker::symbol_type(uint32_t m, uint32_t s) {
  Symbol& symbol = out_.modules[m].symbols[s];
  if (symbol.kind == SymbolKind::Enum || symbol.kind == SymbolKind::Schema) return symbol.type;
  if (states_[m][s] == State::Done) return symbol.type;
  if (states_[m][s] == State::InProgress) {
    // A value that needs its own type is a cycle that evaluation reports (E0402) with the whole
    // chain; an alias that needs itself is never evaluated, so it is reported here.
    if (symbol.kind == SymbolKind::Type) report_alias_cycle(m, s);
    return types_.error();
  }
  states_[m][s] = State::InProgress;
  if (symbol.kind == SymbolKind::Type) aliases_.emplace_back(m, s);
  // A declaration sees module names only, whatever asked for it.
  std::vector<std::pair<std::string, TypeId>> outer_locals = std::exchange(locals_, {});
  std::optional<Declared> outer_instance = std::exchange(instance_, std::nullopt);
  std::optional<TypeId> outer_self = std::exchange(self_type_, std::nullopt);
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
        } else if constexpr (std::is_same_v<T, ast::TypeAlias>) {
          type = alias_type(m, f, s, node);
        }
      },
      decl.node);
  out_.modules[m].symbols[s].type = type;
  states_[m][s] = State::Done;
  if (symbol.kind == SymbolKind::Type) aliases_.pop_back();
  locals_ = std::move(outer_locals);
  instance_ = outer_instance;
  self_type_ = outer_self;
  return type;
}

// An alias that needs itself is never evaluated, so the checker reports it, naming the chain.
void Checker::report_alias_cycle(uint32_t m, uint32_t s) {
  const Symbol& symbol = out_.modules[m].symbols[s];
  auto start = std::find(aliases_.begin(), aliases_.end(), std::make_pair(m, s));
  std::string chain;
  for (auto it = start; it != aliases_.end(); ++it)
    chain += out_.modules[it->first].symbols[it->second].name + " -> ";
  auto& d = diags_
                .error(Code::E0402, symbol.span,
                       fmt::format("type {} is defined in terms of itself: {}{}",
                                   ticked(symbol.name), chain, symbol.name))
                .with_label("this alias needs itself");
  for (auto it = start == aliases_.end() ? start : start + 1; it != aliases_.end(); ++it) {
    const Symbol& member = out_.modules[it->first].symbols[it->second];
    d.with_secondary(member.span, fmt::format("{} is part of the cycle", ticked(member.name)));
  }
  d.with_note("an alias must end in a type that does not name it again");
}

// Types a function: its parameters (defaults against their types, with no parameter in scope),
// then its body with the parameters in scope, against the declared result type if any.
TypeId Checker::function(uint32_t m, uint32_t f, uint32_t s, const ast::Fn& fn) {
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
    params.emplace_back(param.name.text, types_.value_type(type));
  }
  locals_ = std::move(params);
  if (fn.result) {
    signature.result = resolve_type(m, f, *fn.result);
    check_against(m, f, fn.body, signature.result);
  } else {
    signature.result = infer(m, f, fn.body, std::nullopt);
  }
  locals_.clear();
  TypeId result = types_.value_type(signature.result);
  out_.modules[m].functions[s] = std::move(signature);
  return result;
}

// `type Name = T [check { ... }]`: the alias is T itself, or a refinement of T that carries the
// alias's name (for messages) and its check block (run on every value stored as this type).
TypeId Checker::alias_type(uint32_t m, uint32_t f, uint32_t s, const ast::TypeAlias& alias) {
  TypeId target = resolve_type(m, f, alias.type);
  if (types_.kind(target) == TypeKind::Error) return target;
  bool refined = types_.kind(target) == TypeKind::Refined;
  if (!refined && !alias.check) return target;
  Refinement refinement;
  TypeId base = target;
  // An alias of a refinement without checks of its own is that refinement renamed; with checks
  // of its own it refines the refinement, so the checks of both apply.
  if (refined && !alias.check) {
    refinement = types_.refinement(target);
    base = types_.get(target).element;
  }
  refinement.alias = alias.name.text;
  refinement.span = alias.name.span;
  if (alias.check) {
    refinement.alias_module = static_cast<int32_t>(m);
    refinement.alias_symbol = static_cast<int32_t>(s);
    std::optional<TypeId> outer_self = std::exchange(self_type_, types_.value_type(base));
    AliasChecks checks;
    check_lines(m, f, *alias.check, checks.lines);
    self_type_ = outer_self;
    out_.modules[m].alias_checks[s] = std::move(checks);
  }
  return types_.refined(base, std::move(refinement));
}

void Checker::check_lines(uint32_t m, uint32_t f, const ast::CheckBlock& block,
                          std::vector<SchemaCheck>& out) {
  for (const ast::CheckLine& line : block.lines) {
    check_against(m, f, line.condition, types_.primitive(TypeKind::Bool));
    check_against(m, f, line.message, types_.primitive(TypeKind::String));
    out.push_back(
        SchemaCheck{ExprRef{m, f, line.condition}, ExprRef{m, f, line.message}, line.span});
  }
}

TypeId Checker::resolve_type(uint32_t m, uint32_t f, ast::TypeExprId id) {
  const ast::TypeExpr& t = file(m, f).type(id);
  switch (t.kind) {
    case ast::TypeExpr::Kind::Error:
      return types_.error();
    case ast::TypeExpr::Kind::Range:
      return range_type(m, f, t);
    case ast::TypeExpr::Kind::Named:
      return named_type(m, t.name);
    case ast::TypeExpr::Kind::List:
      return types_.list_of(resolve_type(m, f, t.element));
    case ast::TypeExpr::Kind::Map:
      return types_.map_of(resolve_type(m, f, t.element));
    case ast::TypeExpr::Kind::Optional:
      return types_.optional_of(resolve_type(m, f, t.element));
  }
  return types_.error();
}

TypeId Checker::named_type(uint32_t m, const ast::QualifiedName& qualified) {
  const ast::Name& name = qualified.name;
  if (!qualified.module) {
    if (auto kind = primitive_kind(name.text)) return types_.primitive(*kind);
  }
  std::optional<Declared> found = lookup_qualified(m, qualified, /*report=*/false);
  if (found) {
    const Symbol& target = symbol(*found);
    switch (target.kind) {
      case SymbolKind::Type:
        return symbol_type(found->module, found->symbol);
      case SymbolKind::Enum:
      case SymbolKind::Schema:
        return target.type;
      case SymbolKind::Unchecked:
        return types_.error();
      default:
        diags_
            .error(Code::E0301, qualified.span,
                   fmt::format("{} is {}, not a type", ticked(name.text), a_kind(target.kind)))
            .with_secondary(target.span, "declared here");
        return types_.error();
    }
  }
  if (qualified.module) return lookup_qualified(m, qualified, /*report=*/true), types_.error();
  std::vector<std::string> names = {"any",   "bool",    "int",     "float", "string", "duration",
                                    "bytes", "percent", "version", "ip",    "cidr"};
  for (const std::string& visible : visible_names(m)) {
    if (auto d = lookup(m, visible)) {
      SymbolKind kind = symbol(*d).kind;
      if (kind == SymbolKind::Type || kind == SymbolKind::Enum || kind == SymbolKind::Schema) {
        names.push_back(visible);
      }
    }
  }
  auto& d = diags_.error(Code::E0201, name.span, fmt::format("unknown type {}", ticked(name.text)));
  if (auto best = closest(name.text, names)) {
    d.with_label(fmt::format("did you mean {}?", ticked(*best)))
        .with_fix(fmt::format("replace with {}", ticked(*best)), name.span, *best);
  }
  return types_.error();
}

// `int(1..65535)`, `bytes(1Gi..)`, `percent(..50%)`: an ordered base type with inclusive bounds.
TypeId Checker::range_type(uint32_t m, uint32_t f, const ast::TypeExpr& t) {
  TypeId base = named_type(m, t.name);
  if (types_.kind(base) == TypeKind::Error) return base;
  TypeId plain = types_.value_type(base);
  if (!ordered_kind(types_.kind(plain)) || types_.kind(plain) == TypeKind::String) {
    diags_
        .error(Code::E0301, t.span,
               fmt::format("{} has no order, so it cannot take a range", quoted_type(base)))
        .with_label("ranges refine `int`, `float`, `duration`, `bytes`, `percent` and `version`");
    return types_.error();
  }
  Refinement refinement;
  refinement.span = t.span;
  if (t.low) refinement.low = bound_value(m, f, *t.low, plain);
  if (t.high) refinement.high = bound_value(m, f, *t.high, plain);
  if ((t.low && !refinement.low) || (t.high && !refinement.high)) return types_.error();
  if (refinement.low && refinement.high && compare_bounds(*refinement.low, *refinement.high) > 0) {
    diags_
        .error(Code::E0301, t.span,
               fmt::format("the range is empty: its lower bound {} is above its upper bound {}",
                           sdk::kcl_literal(*refinement.low), sdk::kcl_literal(*refinement.high)))
        .with_label("no value fits this range")
        .with_note("bounds are written low first and are inclusive: `int(1..10)`");
    return types_.error();
  }
  // A range of an alias refines the alias: its bounds and checks still apply (`Port(1024..)`).
  refinement.range_span = t.span;
  return types_.refined(base, std::move(refinement));
}

std::optional<sdk::Value> Checker::bound_value(uint32_t m, uint32_t f, ExprId id, TypeId base) {
  const ast::Expr& e = file(m, f).expr(id);
  TypeKind want = types_.kind(base);
  bool negate = false;
  const ast::Expr* literal = &e;
  if (const auto* unary = std::get_if<ast::Unary>(&e.node);
      unary && unary->op == ast::UnaryOp::Neg) {
    negate = true;
    literal = &file(m, f).expr(unary->operand);
  }
  std::optional<sdk::Value> value;
  if (const auto* i = std::get_if<ast::IntLit>(&literal->node)) {
    if (want == TypeKind::Int) value = sdk::Value(negate ? -i->value : i->value);
    if (want == TypeKind::Float)
      value = sdk::Value(static_cast<double>(negate ? -i->value : i->value));
  } else if (const auto* x = std::get_if<ast::FloatLit>(&literal->node)) {
    if (want == TypeKind::Float) value = sdk::Value(negate ? -x->value : x->value);
  } else if (const auto* d = std::get_if<ast::DomainLit>(&literal->node); d && !negate) {
    switch (want) {
      case TypeKind::Duration:
        if (auto v = sdk::parse_duration(d->text)) value = sdk::Value(*v);
        break;
      case TypeKind::Bytes:
        if (auto v = sdk::parse_bytes(d->text)) value = sdk::Value(*v);
        break;
      case TypeKind::Percent:
        if (auto v = sdk::parse_percent(d->text)) value = sdk::Value(*v);
        break;
      case TypeKind::Version:
        if (auto v = sdk::parse_version(d->text)) value = sdk::Value(*v);
        break;
      default:
        break;
    }
  }
  out_.modules[m].expr_types[f][id.index] = base;
  if (!value) {
    diags_
        .error(Code::E0301, e.span,
               fmt::format("a bound of a {} range must be a {} literal", quoted_type(base),
                           quoted_type(base)))
        .with_label("not a literal of the refined type");
  }
  return value;
}

const SchemaInfo& Checker::schema_fields(uint32_t m, uint32_t s) {
  CheckedModule& module = out_.modules[m];
  State& state = schema_states_[{m, s}];
  if (state != State::Unvisited) {
    if (state == State::InProgress) {
      // Only `extends` can get here: field types name schemas without needing their fields.
      const Symbol& sym = module.symbols[s];
      diags_.error(Code::E0402, sym.span, fmt::format("schema {} extends itself", ticked(sym.name)))
          .with_label("through this chain of `extends`");
      module.schemas[s].parent_symbol = -1;
    }
    return module.schemas[s];
  }
  state = State::InProgress;
  const Symbol& sym = module.symbols[s];
  const auto& node = std::get<ast::Schema>(file(m, sym.file).decls[sym.decl].node);
  uint32_t f = sym.file;
  SchemaInfo info;
  info.name = sym.name;
  info.type = sym.type;
  if (node.parent) {
    std::optional<Declared> parent = lookup_qualified(m, *node.parent, /*report=*/true);
    if (parent && symbol(*parent).kind != SymbolKind::Schema) {
      diags_
          .error(Code::E0301, node.parent->span,
                 fmt::format("{} is not a schema", ticked(node.parent->name.text)))
          .with_label("`extends` names a schema");
    } else if (parent) {
      const SchemaInfo& parent_info = schema_fields(parent->module, parent->symbol);
      if (schema_states_[{m, s}] == State::InProgress) {
        info.fields = parent_info.fields;
        info.lets = parent_info.lets;
        info.parent_module = static_cast<int32_t>(parent->module);
        info.parent_symbol = static_cast<int32_t>(parent->symbol);
        types_.set_parent(info.type, parent_info.type);
      }
    }
  }
  size_t inherited = info.fields.size();
  for (const ast::SchemaItem& item : node.items) {
    if (const auto* field = std::get_if<ast::FieldDecl>(&item.node)) {
      FieldInfo entry;
      entry.name = field->name.text;
      entry.span = field->name.span;
      entry.type = resolve_type(m, f, field->type);
      entry.doc = item.doc;
      if (field->default_value) entry.default_value = ExprRef{m, f, *field->default_value};
      for (const ast::Annotation& a : field->annotations) {
        if (a.name.text == "key") {
          entry.key = true;
        } else if (a.name.text == "secret") {
          entry.secret = true;
        } else if (a.name.text == "deprecated") {
          std::string why;
          if (!a.args.empty()) {
            if (const auto* text = std::get_if<ast::StringLit>(&file(m, f).expr(a.args[0]).node))
              why = text->value;
          }
          entry.deprecated = why;
        } else {
          diags_
              .error(Code::E0201, a.name.span,
                     fmt::format("unknown annotation {}", ticked("@" + a.name.text)))
              .with_label("not an annotation")
              .with_note("fields take `@key`, `@secret` and `@deprecated(\"why\")`");
        }
      }
      TypeKind key_kind = types_.kind(types_.core(entry.type));
      if (entry.key && key_kind != TypeKind::String && key_kind != TypeKind::Error) {
        diags_
            .error(Code::E0301, file(m, f).type(field->type).span,
                   fmt::format("the @key field {} is {}, but map keys and labels are strings",
                               ticked(entry.name), quoted_type(entry.type)))
            .with_label("declare it as `string` (or an alias of `string`)");
        entry.key = false;
      }
      if (entry.key) {
        const FieldInfo* other = info.key_field();
        if (other != nullptr && other->name != entry.name) {
          diags_
              .error(Code::E0301, entry.span,
                     fmt::format("{} has a second @key field {}", ticked(sym.name),
                                 ticked(entry.name)))
              .with_label("a map key or label can fill one field")
              .with_secondary(other->span, "the @key field");
          entry.key = false;
        }
      }
      TypeKind kind = types_.kind(entry.type);
      entry.required = !entry.default_value && kind != TypeKind::Optional &&
                       kind != TypeKind::Any && kind != TypeKind::Error;
      auto existing = std::find_if(info.fields.begin(), info.fields.end(),
                                   [&](const FieldInfo& e) { return e.name == entry.name; });
      if (existing == info.fields.end()) {
        info.fields.push_back(std::move(entry));
        continue;
      }
      if (existing - info.fields.begin() >= static_cast<std::ptrdiff_t>(inherited)) {
        report_duplicate("field", entry.name, entry.span, existing->span);
        continue;
      }
      // A redeclared parent field: the same or a narrower type, usually with a new default.
      if (!narrower_or_same(types_, entry.type, existing->type)) {
        diags_
            .error(Code::E0301, file(m, f).type(field->type).span,
                   fmt::format("{} redeclares {} as {}, which is not {} or narrower",
                               ticked(sym.name), ticked(entry.name), quoted_type(entry.type),
                               quoted_type(existing->type)))
            .with_secondary(existing->span, "the parent declares it here");
        continue;
      }
      if (!entry.default_value && existing->default_value) {
        entry.default_value = existing->default_value;
        entry.required = false;
      }
      *existing = std::move(entry);
    } else if (const auto* let = std::get_if<ast::Let>(&item.node)) {
      SchemaLet entry{let->name.text, types_.error(), let->name.span, ExprRef{m, f, let->value}};
      bool clash = std::any_of(info.fields.begin(), info.fields.end(),
                               [&](const FieldInfo& e) { return e.name == entry.name; }) ||
                   std::any_of(info.lets.begin(), info.lets.end(),
                               [&](const SchemaLet& e) { return e.name == entry.name; });
      if (clash) {
        Span first = entry.span;
        for (const auto& e : info.fields)
          if (e.name == entry.name) first = e.span;
        for (const auto& e : info.lets)
          if (e.name == entry.name) first = e.span;
        report_duplicate("name", entry.name, entry.span, first);
        continue;
      }
      info.lets.push_back(std::move(entry));
    }
  }
  // Lets may not shadow fields declared after them either.
  for (const SchemaLet& let : info.lets) {
    for (const FieldInfo& field : info.fields) {
      if (field.name == let.name && field.span.begin > let.span.begin &&
          field.span.file == let.span.file) {
        report_duplicate("name", field.name, field.span, let.span);
      }
    }
  }
  module.schemas[s] = std::move(info);
  schema_states_[{m, s}] = State::Done;
  return module.schemas[s];
}

void Checker::schema_bodies(uint32_t m, uint32_t s) {
  if (State& state = body_states_[{m, s}]; state == State::Unvisited) {
    state = State::InProgress;
  } else {
    return;  // typed already, or a parent of itself (reported by schema_fields)
  }
  const SchemaInfo& info = schema_fields(m, s);
  const Symbol& sym = out_.modules[m].symbols[s];
  const auto& node = std::get<ast::Schema>(file(m, sym.file).decls[sym.decl].node);
  uint32_t f = sym.file;
  std::optional<Declared> outer_instance = std::exchange(instance_, Declared{m, s});
  std::vector<std::pair<std::string, TypeId>> outer_locals = std::exchange(locals_, {});
  for (const FieldInfo& field : info.fields) {
    if (!field.default_value || field.default_value->module != m ||
        field.default_value->file != f) {
      continue;
    }
    bool own = std::any_of(node.items.begin(), node.items.end(), [&](const ast::SchemaItem& i) {
      const auto* decl = std::get_if<ast::FieldDecl>(&i.node);
      return decl && decl->default_value && *decl->default_value == field.default_value->expr;
    });
    if (own)
      check_against(
          m, f, field.default_value->expr, field.type, field.span,
          fmt::format("{} is declared as {} here", ticked(field.name), quoted_type(field.type)));
  }
  // Inherited lets too (they take the parent's type): when run() is done, every `let` of every
  // schema has its type recorded.
  for (size_t i = 0; i < info.lets.size(); ++i)
    schema_let_type(m, s, i);
  std::vector<SchemaCheck> checks;
  std::optional<TypeId> outer_self = std::exchange(self_type_, info.type);
  for (const ast::SchemaItem& item : node.items) {
    if (const auto* block = std::get_if<ast::CheckBlock>(&item.node))
      check_lines(m, f, *block, checks);
  }
  self_type_ = outer_self;
  instance_ = outer_instance;
  locals_ = std::move(outer_locals);
  // An instance passes its parent's checks and its own: the parent's are collected first,
  // whichever schema was declared first.
  std::vector<SchemaCheck> inherited;
  if (int32_t parent = out_.modules[m].schemas[s].parent_symbol; parent >= 0) {
    auto parent_m = static_cast<uint32_t>(out_.modules[m].schemas[s].parent_module);
    schema_bodies(parent_m, static_cast<uint32_t>(parent));
    inherited = out_.modules[parent_m].schemas[static_cast<uint32_t>(parent)].checks;
  }
  SchemaInfo& stored = out_.modules[m].schemas[s];
  stored.checks = std::move(inherited);
  stored.checks.insert(stored.checks.end(), checks.begin(), checks.end());
  body_states_[{m, s}] = State::Done;
}

TypeId Checker::schema_let_type(uint32_t m, uint32_t s, size_t index) {
  const SchemaInfo& info = schema_fields(m, s);
  const SchemaLet let = info.lets[index];  // a copy: typing may add schemas
  // An inherited let (the parent's lets come first, at the same indices) is typed once, as the
  // parent's, in the parent's scope: typing it again would report its mistakes again.
  if (info.parent_symbol >= 0) {
    auto parent_m = static_cast<uint32_t>(info.parent_module);
    auto parent_s = static_cast<uint32_t>(info.parent_symbol);
    const SchemaInfo& parent = schema_fields(parent_m, parent_s);
    if (index < parent.lets.size() && parent.lets[index].span == let.span) {
      TypeId type = schema_let_type(parent_m, parent_s, index);
      out_.modules[m].schemas[s].lets[index].type = type;
      let_states_[{m, s, index}] = State::Done;
      return type;
    }
  }
  State& state = let_states_[{m, s, index}];
  if (state == State::Done) return out_.modules[m].schemas[s].lets[index].type;
  if (state == State::InProgress) {
    diags_
        .error(Code::E0402, let.span,
               fmt::format("{} is defined in terms of itself", ticked(let.name)))
        .with_label("this `let` needs its own value");
    return types_.error();
  }
  state = State::InProgress;
  std::optional<Declared> outer_instance = std::exchange(instance_, Declared{m, s});
  std::vector<std::pair<std::string, TypeId>> outer_locals = std::exchange(locals_, {});
  std::optional<TypeId> outer_self = std::exchange(self_type_, std::nullopt);
  TypeId type = infer(let.value.module, let.value.file, let.value.expr, std::nullopt);
  instance_ = outer_instance;
  locals_ = std::move(outer_locals);
  self_type_ = outer_self;
  out_.modules[m].schemas[s].lets[index].type = type;
  let_states_[{m, s, index}] = State::Done;
  return type;
}

void Checker::check_provider(uint32_t m, uint32_t f, const ast::Provider& provider) {
  const sdk::ProviderSchema* schema = schemas_.find_provider(provider.name.text);
  if (schema == nullptr) {
    std::vector<std::string> names;
    for (const std::string& type : schemas_.resource_types())
      names.push_back(type.substr(0, type.find('.')));
    unknown_member(Code::E0201, provider.name.span, provider.name.text,
                   fmt::format("unknown provider {}", ticked(provider.name.text)), names);
    return;
  }
  std::vector<sdk::AttributeSchema> attributes = schema->config;
  sdk::AttributeSchema concurrency;
  concurrency.name = "max_concurrency";
  concurrency.type = sdk::AttrType::of(sdk::AttrType::Kind::Int);
  attributes.push_back(concurrency);
  // The executor's per-step time limit (docs/cli.md "Applying"), unless the provider has its own.
  if (std::none_of(schema->config.begin(), schema->config.end(),
                   [](const sdk::AttributeSchema& a) { return a.name == "timeout"; })) {
    sdk::AttributeSchema timeout;
    timeout.name = "timeout";
    timeout.type = sdk::AttrType::of(sdk::AttrType::Kind::Duration);
    attributes.push_back(timeout);
  }
  check_config(m, f, provider.body, attributes,
               fmt::format("provider {}", ticked(provider.name.text)));
}

void Checker::check_backend(uint32_t m, uint32_t f, const ast::Backend& backend) {
  if (backend.kind.text != "local") {
    unknown_member(Code::E0201, backend.kind.span, backend.kind.text,
                   fmt::format("unknown backend {}", ticked(backend.kind.text)), {"local"});
    return;
  }
  sdk::AttributeSchema path;
  path.name = "path";
  path.type = sdk::AttrType::of(sdk::AttrType::Kind::String);
  path.doc = "Where the state file lives, relative to the module directory.";
  check_config(m, f, backend.body, {path}, "backend `local`");
}

void Checker::check_config(uint32_t m, uint32_t f, ast::BodyId body,
                           const std::vector<sdk::AttributeSchema>& attributes,
                           std::string_view what) {
  std::map<std::string, Span> seen;
  std::vector<std::string> names;
  for (const auto& a : attributes)
    names.push_back(a.name);
  for (const Field& item : fields(m, f, body)) {
    note_field(seen, item, "setting");
    auto it = std::find_if(attributes.begin(), attributes.end(),
                           [&](const auto& a) { return a.name == item.name.text; });
    if (it == attributes.end()) {
      infer(m, f, item.value, std::nullopt);
      unknown_member(Code::E0302, item.name.span, item.name.text,
                     fmt::format("unknown setting {} in {}", ticked(item.name.text), what), names);
      continue;
    }
    TypeId want = types_.from_schema(it->type);
    check_against(
        m, f, item.value, want, Span{},
        fmt::format("{} declares {} as {}", what, ticked(item.name.text), quoted_type(want)));
  }
  for (const ast::BodyItem& item : file(m, f).body(body).items) {
    if (!std::holds_alternative<ast::FieldAssign>(item.node)) reject_item(m, f, item, what);
  }
}

}  // namespace kc::sema
