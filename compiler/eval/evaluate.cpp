// The evaluator. Declarations are lazy cells evaluated at most once. Each cell remembers the
// resources its value was computed from, so a reader of the cell — however indirectly — depends on
// those resources; that is how reference edges of the desired state are found.
#include "compiler/eval/evaluate.h"

#include "compiler/eval/evaluator.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "compiler/eval/builtins.h"
#include "compiler/eval/convert.h"
#include "compiler/eval/domain_members.h"
#include "compiler/eval/literal.h"
#include "compiler/eval/operators.h"
#include "compiler/sema/check.h"
#include "providers/sdk/json.h"

namespace kc::eval {

DesiredState Evaluator::run() {
  uint32_t root = program_.program->root;
  const sema::CheckedModule& module = program_.modules[root];
  check_param_inputs(root);
  sdk::Entries exports;
  Deps ignored;
  BuiltAsFn built = [this](const Value& value) { return built_as(value); };
  for (uint32_t s = 0; s < module.symbols.size(); ++s) {
    const sema::Symbol& symbol = module.symbols[s];
    frames_.push_back(&ignored);
    Result value = symbol_value(root, s, symbol.span);
    frames_.pop_back();
    if (!value) continue;
    // A value computed from a secret is a secret as a whole; else its secret parts are.
    bool from_secret = cells_[root][s].deps.count(kSecretSource) > 0;
    if (symbol.kind == sema::SymbolKind::Export) {
      exports.emplace_back(symbol.name, from_secret && !value->is_null()
                                            ? Value(kSensitive)
                                            : redact(program_, *value, symbol.type, built));
    } else if (symbol.kind == sema::SymbolKind::Output) {
      bool sensitive = from_secret || redact(program_, *value, symbol.type, built) != *value;
      out_.outputs.push_back(DesiredOutput{symbol.name, *value, symbol.span, sensitive});
    }
  }
  out_.exports = Value::map(std::move(exports));
  configure(root);
  keep_reachable(root);
  std::sort(out_.resources.begin(), out_.resources.end(),
            [](const auto& a, const auto& b) { return a.address < b.address; });
  return std::move(out_);
}

// LANGUAGE.md 7: the desired state is the resources reachable from the root module's exports and
// outputs, through what their values were computed from and then through resource dependencies.
// A resource only an unread `let` makes is not managed (lint's unused-let points at such lets).
void Evaluator::keep_reachable(uint32_t root) {
  const sema::CheckedModule& module = program_.modules[root];
  std::map<std::string, const DesiredResource*> by_address;
  for (const DesiredResource& r : out_.resources)
    by_address.emplace(r.address, &r);
  std::set<std::string> reachable;
  std::vector<std::string> pending;
  for (uint32_t s = 0; s < module.symbols.size(); ++s) {
    sema::SymbolKind kind = module.symbols[s].kind;
    if (kind != sema::SymbolKind::Export && kind != sema::SymbolKind::Output) continue;
    pending.insert(pending.end(), cells_[root][s].deps.begin(), cells_[root][s].deps.end());
  }
  while (!pending.empty()) {
    std::string address = std::move(pending.back());
    pending.pop_back();
    auto it = by_address.find(address);
    if (it == by_address.end() || !reachable.insert(address).second) continue;
    pending.insert(pending.end(), it->second->depends_on.begin(), it->second->depends_on.end());
  }
  std::erase_if(out_.resources,
                [&](const DesiredResource& r) { return !reachable.count(r.address); });
}

void Evaluator::add_deps(const Deps& deps) {
  if (!frames_.empty()) frames_.back()->insert(deps.begin(), deps.end());
}

Result Evaluator::symbol_value(uint32_t m, uint32_t s, Span use) {
  Cell& cell = cells_[m][s];
  switch (cell.state) {
    case State::Done:
      add_deps(cell.deps);
      return cell.value;
    case State::Failed:
      return std::nullopt;
    case State::Running:
      report_cycle(m, s, use);
      return std::nullopt;
    case State::Pending:
      break;
  }
  cell.state = State::Running;
  running_.emplace_back(m, s);
  Deps deps;
  frames_.push_back(&deps);
  // A declaration is evaluated in its own scope, whoever reads it first: no locals, no instance,
  // and resources it creates belong to it (`prod.sim.machine["cp-0"]` for `prod = ...`).
  std::vector<std::pair<std::string, Value>> outer_locals = std::exchange(locals_, {});
  std::vector<Instance*> outer_instances = std::exchange(instances_, {});
  std::vector<Value> outer_self = std::exchange(self_, {});
  std::string outer_path = std::exchange(path_, program_.modules[m].symbols[s].name);
  std::string outer_owner = std::exchange(owner_, std::string());
  std::vector<Span> outer_calls = std::exchange(calls_, {});
  Result value = compute_symbol(m, s);
  calls_ = std::move(outer_calls);
  owner_ = std::move(outer_owner);
  path_ = std::move(outer_path);
  self_ = std::move(outer_self);
  instances_ = std::move(outer_instances);
  locals_ = std::move(outer_locals);
  frames_.pop_back();
  running_.pop_back();
  Cell& done = cells_[m][s];  // cells_ does not grow, but keep the re-lookup obvious
  done.state = value ? State::Done : State::Failed;
  if (value) done.value = *value;
  done.deps = std::move(deps);
  add_deps(done.deps);
  return value;
}

void Evaluator::report_cycle(uint32_t m, uint32_t s, Span use) {
  auto start = std::find(running_.begin(), running_.end(), std::make_pair(m, s));
  std::string chain;
  std::vector<std::pair<uint32_t, uint32_t>> members(start, running_.end());
  for (const auto& [cm, cs] : members)
    chain += program_.modules[cm].symbols[cs].name + " -> ";
  chain += program_.modules[m].symbols[s].name;
  // The same cycle is reached once from each of its members; report it once.
  std::vector<std::pair<uint32_t, uint32_t>> key = members;
  std::sort(key.begin(), key.end());
  if (!reported_cycles_.insert(key).second) return;
  auto& d = diags_->error(Code::E0402, use, fmt::format("cycle: {}", chain))
                .with_label("this reference closes the cycle");
  for (const auto& [cm, cs] : members) {
    const sema::Symbol& member = program_.modules[cm].symbols[cs];
    d.with_secondary(member.span, fmt::format("{} is declared here", ticked(member.name)));
  }
}

Result Evaluator::compute_symbol(uint32_t m, uint32_t s) {
  const sema::Symbol& symbol = program_.modules[m].symbols[s];
  const ast::Decl& decl = file(m, symbol.file).decls[symbol.decl];
  uint32_t f = symbol.file;
  return std::visit(
      [&](const auto& node) -> Result {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, ast::Import>) {
          return std::nullopt;  // a module is not a value; the checker rejected such uses
        } else if constexpr (std::is_same_v<T, ast::Param>) {
          return param_value(m, symbol, node);
        } else if constexpr (std::is_same_v<T, ast::Let>) {
          Result value = expr(m, f, node.value);
          if (value && node.type && !conform_at(*value, symbol.type, m, f, node.value)) {
            return std::nullopt;
          }
          return value;
        } else if constexpr (std::is_same_v<T, ast::Export> || std::is_same_v<T, ast::Output>) {
          return expr(m, f, node.value);
        } else {
          return std::nullopt;  // types, functions: not values
        }
      },
      decl.node);
}

sema::TypeId Evaluator::type_of(uint32_t m, uint32_t f, ExprId id) const {
  return program_.modules[m].expr_types[f][id.index];
}

Result Evaluator::expr(uint32_t m, uint32_t f, ExprId id) {
  Result value = expr_node(m, f, id);
  if (!value) return value;
  // Where ints and floats meet (`[1, 2.5]`, `if c then 1 else 0.5`) the checker typed the
  // whole as floats: the ints widen.
  switch (file(m, f).expr(id).kind()) {
    case ast::ExprKind::ListLit:
    case ast::ExprKind::RecordLit:
    case ast::ExprKind::IfElse:
    case ast::ExprKind::ListComp:
    case ast::ExprKind::MapComp: {
      sema::TypeId type = type_of(m, f, id);
      if (widens(type)) return widened(*value, type);
      return value;
    }
    default:
      return value;
  }
}

Result Evaluator::expr_node(uint32_t m, uint32_t f, ExprId id) {
  const ast::Expr& node = file(m, f).expr(id);
  switch (node.kind()) {
    case ast::ExprKind::Error:
      return std::nullopt;
    case ast::ExprKind::IntLit:
    case ast::ExprKind::FloatLit:
    case ast::ExprKind::BoolLit:
    case ast::ExprKind::NullLit:
    case ast::ExprKind::DomainLit:
      return scalar_literal(node);
    case ast::ExprKind::StringLit: {
      // The checker typed a string literal where a domain type is expected as that type.
      const auto& text = std::get<ast::StringLit>(node.node).value;
      TypeKind kind = program_.types.kind(type_of(m, f, id));
      if (kind >= TypeKind::Duration && kind <= TypeKind::Cidr) {
        return parse_domain(kind, text, nullptr);
      }
      return Value(text);
    }
    case ast::ExprKind::ListLit: {
      // Instances in a list are owned at their index: `prod.pools[0]`.
      sdk::List items;
      bool ok = true;
      const auto& list = std::get<ast::ListLit>(node.node).items;
      for (size_t i = 0; i < list.size(); ++i) {
        std::string outer_path = std::exchange(path_, fmt::format("{}[{}]", path_, i));
        Result value = expr(m, f, list[i]);
        path_ = std::move(outer_path);
        ok = ok && value.has_value();
        if (value) items.push_back(std::move(*value));
      }
      return ok ? Result(Value::list(std::move(items))) : std::nullopt;
    }
    case ast::ExprKind::RecordLit:
      return record_literal(m, f, id, std::get<ast::RecordLit>(node.node));
    case ast::ExprKind::NameRef: {
      const std::string& name = std::get<ast::NameRef>(node.node).name.text;
      auto it = program_.modules[m].names[f].find(id.index);
      if (it == program_.modules[m].names[f].end()) return std::nullopt;
      switch (it->second.symbol) {
        case sema::kLocalName:
          return local(name);
        case sema::kInstanceName:
          return instance_name(name, node.span);
        case sema::kEnumMember:
          return Value(name);
        default:
          if (it->second.symbol < 0) return std::nullopt;
          return symbol_value(it->second.module, static_cast<uint32_t>(it->second.symbol),
                              node.span);
      }
    }
    case ast::ExprKind::Member:
      return member(m, f, id, std::get<ast::Member>(node.node));
    case ast::ExprKind::ResourceExpr:
      return resource(m, f, node, std::get<ast::ResourceExpr>(node.node));
    case ast::ExprKind::Paren:
      return expr(m, f, std::get<ast::Paren>(node.node).inner);
    case ast::ExprKind::Unary:
      return unary(m, f, std::get<ast::Unary>(node.node));
    case ast::ExprKind::Binary:
      return binary(m, f, std::get<ast::Binary>(node.node));
    case ast::ExprKind::IfElse:
      return if_else(m, f, std::get<ast::IfElse>(node.node));
    case ast::ExprKind::Index:
      return index(m, f, std::get<ast::Index>(node.node));
    case ast::ExprKind::InterpolatedString:
      return interpolated(m, f, std::get<ast::InterpolatedString>(node.node));
    case ast::ExprKind::Call:
      return call(m, f, node.span, std::get<ast::Call>(node.node));
    case ast::ExprKind::ListComp: {
      const auto& comp = std::get<ast::ListComp>(node.node);
      sdk::List items;
      bool outer_unknown = std::exchange(unknown_iteration_, false);
      bool ok = comprehend(m, f, comp.clauses, 0, [&] {
        std::string outer_path = std::exchange(path_, fmt::format("{}[{}]", path_, items.size()));
        Result value = expr(m, f, comp.value);
        path_ = std::move(outer_path);
        if (value) items.push_back(std::move(*value));
        return value.has_value();
      });
      bool unknown = std::exchange(unknown_iteration_, outer_unknown);
      if (!ok) return std::nullopt;
      if (unknown) return Value::unknown();
      return Value::list(std::move(items));
    }
    case ast::ExprKind::MapComp:
      return map_comp(m, f, std::get<ast::MapComp>(node.node));
    case ast::ExprKind::With:
      return with(m, f, std::get<ast::With>(node.node));
    case ast::ExprKind::SelfRef:
      if (self_.empty()) return std::nullopt;  // reported by the checker
      return self_.back();
  }
  return std::nullopt;
}

// The innermost comprehension variable called `name` (the checker resolved the NameRef to one).
Result Evaluator::local(const std::string& name) const {
  for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return std::nullopt;
}

template <typename Body>
bool Evaluator::comprehend(uint32_t m, uint32_t f, const std::vector<ast::CompClause>& clauses,
                           size_t at, Body&& body) {
  if (at == clauses.size()) {
    if (++comprehension_steps_ > kMaxComprehensionSteps) {
      if (comprehension_steps_ == kMaxComprehensionSteps + 1) {
        diags_
            ->error(Code::E0406, clauses.front().span,
                    fmt::format("comprehensions run more than {} times", kMaxComprehensionSteps))
            .with_label("stopped here")
            .with_note("evaluation is bounded so that a mistake cannot hang `kc`");
      }
      return false;
    }
    return body();
  }
  const ast::CompClause& clause = clauses[at];
  Result value = expr(m, f, clause.expr);
  if (!value) return false;
  if (value->is_unknown()) {
    unknown_iteration_ = true;
    return true;
  }
  if (clause.kind == ast::CompClause::Kind::If) {
    return !value->as_bool() || comprehend(m, f, clauses, at + 1, body);
  }
  auto bind_and_go = [&](Value key, Value element) {
    size_t mark = locals_.size();
    if (clause.key) locals_.emplace_back(clause.key->text, std::move(key));
    locals_.emplace_back(clause.value.text, std::move(element));
    bool ok = comprehend(m, f, clauses, at + 1, body);
    locals_.resize(mark);
    return ok;
  };
  if (value->kind() == sdk::Kind::List) {
    const sdk::List& items = value->as_list();
    for (size_t i = 0; i < items.size(); ++i) {
      if (!bind_and_go(Value(static_cast<int64_t>(i)), items[i])) return false;
    }
    return true;
  }
  for (const auto& [key, element] : value->as_map()) {
    if (!bind_and_go(Value(key), clause.key ? element : Value(key))) return false;
  }
  return true;
}

Result Evaluator::map_comp(uint32_t m, uint32_t f, const ast::MapComp& comp) {
  sdk::Entries entries;
  std::map<std::string, Span> seen;
  bool outer_unknown = std::exchange(unknown_iteration_, false);
  bool ok = comprehend(m, f, comp.clauses, 0, [&] {
    Result key = expr(m, f, comp.key);
    if (!key) return false;
    std::string entry_path = key->kind() == sdk::Kind::String
                                 ? fmt::format("{}[{}]", path_, address_key(key->as_string()))
                                 : path_;
    std::string outer_path = std::exchange(path_, std::move(entry_path));
    Result value = expr(m, f, comp.value);
    path_ = std::move(outer_path);
    if (!value) return false;
    if (key->is_unknown()) {
      unknown_iteration_ = true;
      return true;
    }
    Span at = file(m, f).expr(comp.key).span;
    if (!seen.emplace(key->as_string(), at).second) {
      diags_
          ->error(Code::E0305, at,
                  fmt::format("key {} is generated twice", ticked(key->as_string())))
          .with_label("keys of a map comprehension must differ");
      return false;
    }
    entries.emplace_back(key->as_string(), std::move(*value));
    return true;
  });
  bool unknown = std::exchange(unknown_iteration_, outer_unknown);
  if (!ok) return std::nullopt;
  if (unknown) return Value::unknown();
  return Value::map(std::move(entries));
}

// `object with { ... }`: a copy of the record or map with the body's entries replaced or added.
Result Evaluator::with(uint32_t m, uint32_t f, const ast::With& node) {
  Result object = expr(m, f, node.object);
  if (!object) return std::nullopt;
  sema::TypeId type = type_of(m, f, node.object);
  if (program_.types.kind(type) == TypeKind::Schema && !object->is_unknown()) {
    return with_instance(m, f, node, *object, type);
  }
  sdk::Entries entries;
  if (!object->is_unknown()) entries = object->as_map();
  bool ok = true;
  for (const auto& [key, value_id] : fields(m, f, node.body)) {
    Result value = expr(m, f, value_id);
    if (!value) {
      ok = false;
      continue;
    }
    auto it = std::find_if(entries.begin(), entries.end(),
                           [&](const auto& entry) { return entry.first == key; });
    if (it != entries.end()) {
      it->second = std::move(*value);
    } else {
      entries.emplace_back(key, std::move(*value));
    }
  }
  if (!ok) return std::nullopt;
  if (object->is_unknown()) return Value::unknown();
  return Value::map(std::move(entries));
}

// Reports an operator's failure (E0403) at the operator.
Result Evaluator::op_result(OpResult result, Span at) {
  if (result.value) return std::move(result.value);
  diags_->error(Code::E0403, at, result.error).with_label("evaluated here");
  return std::nullopt;
}

Result Evaluator::unary(uint32_t m, uint32_t f, const ast::Unary& node) {
  Result operand = expr(m, f, node.operand);
  if (!operand) return std::nullopt;
  return op_result(apply_unary(node.op, *operand), node.op_span);
}

Result Evaluator::binary(uint32_t m, uint32_t f, const ast::Binary& node) {
  using Op = ast::BinaryOp;
  Result lhs = expr(m, f, node.lhs);
  if (!lhs) return std::nullopt;
  if (node.op == Op::And || node.op == Op::Or) {
    bool stop_on = node.op == Op::Or;  // `true || x` and `false && x` do not read x
    if (!lhs->is_unknown() && lhs->as_bool() == stop_on) return lhs;
    Result rhs = expr(m, f, node.rhs);
    if (!rhs) return std::nullopt;
    // With an unknown left side, a right side that decides alone still decides.
    if (lhs->is_unknown() && !rhs->is_unknown() && rhs->as_bool() == stop_on) return rhs;
    return lhs->is_unknown() ? lhs : rhs;
  }
  if (node.op == Op::Coalesce) {
    if (!lhs->is_null()) return lhs;
    return expr(m, f, node.rhs);
  }
  Result rhs = expr(m, f, node.rhs);
  if (!rhs) return std::nullopt;
  OpResult result = apply_binary(node.op, *lhs, *rhs);
  if (result.value) return std::move(result.value);
  diag::Diagnostic& d =
      diags_->error(Code::E0403, node.op_span, result.error).with_label("evaluated here");
  // `x / n`: the zero came from wherever `n` was computed.
  if (Span from = origin_of(m, f, node.rhs); from.valid()) {
    d.with_secondary(from, fmt::format("the right operand, {}, comes from here",
                                       shown(*rhs).value_or("its value")));
  }
  return std::nullopt;
}

Result Evaluator::if_else(uint32_t m, uint32_t f, const ast::IfElse& node) {
  Result condition = expr(m, f, node.condition);
  if (!condition) return std::nullopt;
  if (condition->is_unknown()) return Value::unknown();
  return expr(m, f, condition->as_bool() ? node.then_value : node.else_value);
}

Result Evaluator::index(uint32_t m, uint32_t f, const ast::Index& node) {
  // Indexing a collection of resources depends on the one resource read, not on all of them.
  Deps object_deps;
  frames_.push_back(&object_deps);
  Result object = expr(m, f, node.object);
  frames_.pop_back();
  Result key = expr(m, f, node.index);
  Result element = element_at(m, f, node, object, key);
  const std::string* address = element ? resource_address(*element) : nullptr;
  if (address) {
    add_deps({*address});
  } else {
    add_deps(object_deps);
  }
  return element;
}

const std::string* Evaluator::resource_address(const Value& value) const {
  if (value.kind() != sdk::Kind::Map) return nullptr;
  auto it = resource_values_.find(&value.as_map());
  return it == resource_values_.end() ? nullptr : &it->second.address;
}

Result Evaluator::element_at(uint32_t m, uint32_t f, const ast::Index& node, const Result& object,
                             const Result& key) {
  if (!object || !key) return std::nullopt;
  if (object->is_unknown() || key->is_unknown()) return Value::unknown();
  Span at = file(m, f).expr(node.index).span;
  if (object->kind() == sdk::Kind::List) {
    const sdk::List& items = object->as_list();
    int64_t i = key->as_int();
    if (i >= 0 && static_cast<uint64_t>(i) < items.size()) return items[static_cast<size_t>(i)];
    diag::Diagnostic& d =
        diags_
            ->error(Code::E0403, at,
                    fmt::format("index {} is out of range for a list of {}", i, items.size()))
            .with_label(items.empty() ? "the list is empty"
                                      : fmt::format("valid indexes are 0 to {}", items.size() - 1));
    if (Span from = origin_of(m, f, node.index); from.valid()) {
      d.with_secondary(from, fmt::format("the index {} comes from here", i));
    }
    if (Span from = origin_of(m, f, node.object); from.valid()) {
      d.with_secondary(from, fmt::format("the list of {} comes from here", items.size()));
    }
    return std::nullopt;
  }
  if (const Value* value = object->find(key->as_string())) return *value;
  diags_->error(Code::E0403, at, fmt::format("no key {} in this map", ticked(key->as_string())))
      .with_label("read here");
  return std::nullopt;
}

// A built-in call (the checker let no other call through).
Result Evaluator::call(uint32_t m, uint32_t f, Span span, const ast::Call& node) {
  std::vector<Value> args;
  for (ExprId arg : node.args) {
    Result value = expr(m, f, arg);
    if (!value) return std::nullopt;
    args.push_back(std::move(*value));
  }
  const auto& names = program_.modules[m].names[f];
  if (auto it = names.find(node.callee.index); it != names.end() && it->second.symbol >= 0) {
    return function_call(it->second.module, static_cast<uint32_t>(it->second.symbol),
                         std::move(args), node, m, f);
  }
  const auto* callee = std::get_if<ast::NameRef>(&file(m, f).expr(node.callee).node);
  if (callee == nullptr) return std::nullopt;  // reported by the checker
  const std::string& builtin = callee->name.text;
  // Text made of a whole instance holds its secrets.
  if ((builtin == "to_json" || builtin == "to_yaml") && !args.empty() && holds_secret(args[0])) {
    add_deps({kSecretSource});
  }
  return op_result(call_builtin(builtin, args, inputs_.builtins), span);
}

// Calls a function: missing arguments take their defaults (evaluated without the parameters in
// scope, as the checker typed them), then the body runs with the parameters as locals.
Result Evaluator::function_call(uint32_t m, uint32_t s, std::vector<Value> args,
                                const ast::Call& call, uint32_t call_m, uint32_t call_f) {
  const sema::Symbol& symbol = program_.modules[m].symbols[s];
  const auto& fn = std::get<ast::Fn>(file(m, symbol.file).decls[symbol.decl].node);
  const sema::FnSignature& signature = program_.modules[m].functions.at(s);
  for (size_t i = 0; i < args.size(); ++i) {
    if (!conform_at(args[i], signature.params[i], call_m, call_f, call.args[i])) {
      return std::nullopt;
    }
  }
  for (size_t i = args.size(); i < fn.params.size(); ++i) {
    if (!fn.params[i].default_value) return std::nullopt;  // the checker counted arguments
    Result value = expr(m, symbol.file, *fn.params[i].default_value);
    if (!value) return std::nullopt;
    args.push_back(std::move(*value));
  }
  // The body sees its parameters only, never the caller's locals or instance.
  std::vector<std::pair<std::string, Value>> caller_locals = std::exchange(locals_, {});
  std::vector<Instance*> caller_instances = std::exchange(instances_, {});
  for (size_t i = 0; i < fn.params.size(); ++i)
    locals_.emplace_back(fn.params[i].name.text, std::move(args[i]));
  bool from_user = !is_std(call_m) && is_std(m);
  Span call_span = file(call_m, call_f).expr(call.callee).span;
  calls_.push_back(call_span);
  Result result = function_body(m, symbol, fn, call_span, from_user);
  calls_.pop_back();
  instances_ = std::move(caller_instances);
  locals_ = std::move(caller_locals);
  if (result && fn.result &&
      !conform(*result, signature.result, file(m, symbol.file).expr(fn.body).span)) {
    return std::nullopt;
  }
  return result;
}

Result Evaluator::function_body(uint32_t m, const sema::Symbol& symbol, const ast::Fn& fn,
                                Span call, bool from_user) {
  if (!from_user) return expr(m, symbol.file, fn.body);
  diag::Diagnostics inside;
  diag::Diagnostics* caller = std::exchange(diags_, &inside);
  Result result = expr(m, symbol.file, fn.body);
  diags_ = caller;
  for (const diag::Diagnostic& d : inside.all()) {
    diag::Diagnostic moved = d;
    moved.span = call;
    moved.label = fmt::format("in this call of {}", ticked(symbol.name));
    moved.secondary.clear();
    moved.fixes.clear();
    diags_->add(std::move(moved));
  }
  return result;
}

bool Evaluator::is_std(uint32_t m) const {
  return program_.source(m).name.rfind("std/", 0) == 0;
}

Result Evaluator::interpolated(uint32_t m, uint32_t f, const ast::InterpolatedString& node) {
  std::string text;
  bool unknown = false;
  for (const ast::StringPart& part : node.parts) {
    if (!part.expr.valid()) {
      text += part.text;
      continue;
    }
    Result value = expr(m, f, part.expr);
    if (!value) return std::nullopt;
    if (value->is_unknown()) {
      unknown = true;
      continue;
    }
    std::optional<std::string> form = string_form(*value);
    if (!form) {
      diags_->error(Code::E0403, part.span, "this value has no string form to interpolate");
      return std::nullopt;
    }
    text += *form;
  }
  return unknown ? Value::unknown() : Value(std::move(text));
}

// The `key = value` items of a body, keys known without evaluation; the checker rejected any
// other item, so evaluation never meets one.
std::vector<std::pair<std::string, ExprId>> Evaluator::fields(uint32_t m, uint32_t f,
                                                              ast::BodyId id) const {
  std::vector<std::pair<std::string, ExprId>> out;
  const ast::File& source = file(m, f);
  for (const ast::BodyItem& item : source.body(id).items) {
    const auto* assign = std::get_if<ast::FieldAssign>(&item.node);
    if (assign == nullptr) continue;
    if (auto key = ast::static_label(source, assign->key))
      out.emplace_back(key->text, assign->value);
  }
  return out;
}

Result Evaluator::member(uint32_t m, uint32_t f, ExprId id, const ast::Member& node) {
  const auto& names = program_.modules[m].names[f];
  if (auto it = names.find(id.index); it != names.end() && it->second.symbol == sema::kEnumMember) {
    return Value(node.member.text);
  }
  sema::TypeId type = type_of(m, f, node.object);
  const sema::Type& object_type = program_.types.get(type);
  if (object_type.kind == TypeKind::Module) {
    const sema::CheckedModule& target = program_.modules[object_type.module_index];
    const sema::Symbol* symbol = target.find(node.member.text);
    if (symbol == nullptr) return std::nullopt;
    return symbol_value(object_type.module_index,
                        static_cast<uint32_t>(symbol - target.symbols.data()), node.member.span);
  }
  if (check_reads_ && std::holds_alternative<ast::SelfRef>(file(m, f).expr(node.object).node)) {
    check_reads_->names.push_back(node.member.text);
  }
  // Reading a field of an instance or a resource depends on what that field came from, not on
  // everything the instance was built from.
  Deps object_deps;
  frames_.push_back(&object_deps);
  Result object = expr(m, f, node.object);
  frames_.pop_back();
  if (object && !object->is_unknown()) {
    add_deps(member_deps(*object, node.member.text, object_deps));
  } else {
    add_deps(object_deps);
  }
  if (!object) return std::nullopt;
  if (object->is_unknown()) return Value::unknown();
  if (object->kind() == sdk::Kind::Map) {
    if (const Value* field = object->find(node.member.text)) return *field;
    // A resource's unset optional input reads as null; a map without the key is an error.
    if (object_type.kind == TypeKind::Resource) return Value::null();
    if (object_type.kind == TypeKind::Schema) {
      return instance_let(*object, type, node.member.text, node.member.span);
    }
  } else if (object->kind() != sdk::Kind::List && !object->is_null()) {
    if (std::optional<Value> value = domain_member(*object, node.member.text)) return value;
  }
  diags_
      ->error(Code::E0403, node.member.span,
              fmt::format("no key {} in this map", ticked(node.member.text)))
      .with_label("read here");
  return std::nullopt;
}

// The resources that `object.name` depends on: the resource itself for an attribute, the
// field's or let's own sources for an instance; else all that `object` was computed from.
Deps Evaluator::member_deps(const Value& object, const std::string& name,
                            const Deps& object_deps) const {
  if (object.kind() == sdk::Kind::Map) {
    if (auto it = resource_values_.find(&object.as_map()); it != resource_values_.end()) {
      if (it->second.sensitive.count(name)) return {it->second.address, kSecretSource};
      return {it->second.address};
    }
  }
  if (const InstanceRecord* record = record_of(object)) {
    auto it = record->deps.find(name);
    if (it != record->deps.end()) return it->second;
  }
  return object_deps;
}

DesiredState evaluate(const sema::CheckedProgram& program, const sdk::SchemaSource& schemas,
                      const EvalInputs& inputs, diag::Diagnostics& diagnostics) {
  return Evaluator(program, schemas, inputs, diagnostics).run();
}

}  // namespace kc::eval
