// The evaluator. Declarations are lazy cells evaluated at most once. Each cell remembers the
// resources its value was computed from, so a reader of the cell — however indirectly — depends on
// those resources; that is how reference edges of the desired state are found.
#include "compiler/eval/evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "compiler/eval/builtins.h"
#include "compiler/eval/convert.h"
#include "compiler/eval/literal.h"
#include "compiler/eval/operators.h"
#include "compiler/sema/check.h"
#include "providers/sdk/json.h"

namespace kc::eval {
namespace {

using ast::ExprId;
using diag::Code;
using sdk::Value;
using sema::TypeKind;
using source::Span;
using Deps = std::set<std::string>;
using Result = std::optional<Value>;  // nullopt: failed, already reported

std::string ticked(std::string_view text) {
  return fmt::format("`{}`", text);
}

class Evaluator {
 public:
  Evaluator(const sema::CheckedProgram& program, const sdk::SchemaSource& schemas,
            const EvalInputs& inputs, diag::Diagnostics& diags)
      : program_(program), schemas_(schemas), inputs_(inputs), diags_(diags) {
    cells_.resize(program.modules.size());
    for (size_t m = 0; m < program.modules.size(); ++m) {
      cells_[m].resize(program.modules[m].symbols.size());
    }
  }

  DesiredState run() {
    uint32_t root = program_.program->root;
    const sema::CheckedModule& module = program_.modules[root];
    check_param_inputs(root);
    sdk::Entries exports;
    Deps ignored;
    for (uint32_t s = 0; s < module.symbols.size(); ++s) {
      const sema::Symbol& symbol = module.symbols[s];
      frames_.push_back(&ignored);
      Result value = symbol_value(root, s, symbol.span);
      frames_.pop_back();
      if (!value) continue;
      if (symbol.kind == sema::SymbolKind::Export) {
        exports.emplace_back(symbol.name, *value);
      } else if (symbol.kind == sema::SymbolKind::Output) {
        out_.outputs.push_back(DesiredOutput{symbol.name, *value, symbol.span});
      }
    }
    out_.exports = Value::map(std::move(exports));
    std::sort(out_.resources.begin(), out_.resources.end(),
              [](const auto& a, const auto& b) { return a.address < b.address; });
    return std::move(out_);
  }

 private:
  enum class State : uint8_t { Pending, Running, Done, Failed };
  struct Cell {
    State state = State::Pending;
    Value value;
    Deps deps;
  };

  const ast::File& file(uint32_t m, uint32_t f) const { return *program_.source(m).files[f]; }

  // Every --var for a name the root module does not declare as a param is an error: a typo there
  // would otherwise silently leave the default in place.
  void check_param_inputs(uint32_t root) {
    const sema::CheckedModule& module = program_.modules[root];
    for (const auto& [name, input] : inputs_.params) {
      const sema::Symbol* symbol = module.find(name);
      if (symbol == nullptr || symbol->kind != sema::SymbolKind::Param) {
        diags_.error(Code::E0201, Span{},
                     fmt::format("{} sets {}, which is not a param of the root module",
                                 input.origin, ticked(name)));
      }
    }
  }

  void add_deps(const Deps& deps) {
    if (!frames_.empty()) frames_.back()->insert(deps.begin(), deps.end());
  }

  Result symbol_value(uint32_t m, uint32_t s, Span use) {
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
    Result value = compute_symbol(m, s);
    frames_.pop_back();
    running_.pop_back();
    Cell& done = cells_[m][s];  // cells_ does not grow, but keep the re-lookup obvious
    done.state = value ? State::Done : State::Failed;
    if (value) done.value = *value;
    done.deps = std::move(deps);
    add_deps(done.deps);
    return value;
  }

  void report_cycle(uint32_t m, uint32_t s, Span use) {
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
    auto& d = diags_.error(Code::E0402, use, fmt::format("cycle: {}", chain))
                  .with_label("this reference closes the cycle");
    for (const auto& [cm, cs] : members) {
      const sema::Symbol& member = program_.modules[cm].symbols[cs];
      d.with_secondary(member.span, fmt::format("{} is declared here", ticked(member.name)));
    }
  }

  Result compute_symbol(uint32_t m, uint32_t s) {
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
          } else if constexpr (std::is_same_v<T, ast::Let> || std::is_same_v<T, ast::Export> ||
                               std::is_same_v<T, ast::Output>) {
            return expr(m, f, node.value);
          } else {
            return std::nullopt;  // not checked yet (sema/unchecked.h), so never evaluated
          }
        },
        decl.node);
  }

  Result param_value(uint32_t m, const sema::Symbol& symbol, const ast::Param& param) {
    if (m == program_.program->root) {
      auto it = inputs_.params.find(symbol.name);
      if (it != inputs_.params.end()) {
        std::string error;
        Result converted = convert(it->second.value, symbol.type, program_.types, &error);
        if (!converted) {
          diags_
              .error(Code::E0301, symbol.span,
                     fmt::format("{} does not fit param {}: {}", it->second.origin,
                                 ticked(symbol.name), error))
              .with_label(
                  fmt::format("declared as {}", ticked(program_.types.to_string(symbol.type))));
        }
        return converted;
      }
    }
    if (param.default_value) return expr(m, symbol.file, *param.default_value);
    diags_
        .error(Code::E0303, symbol.span, fmt::format("param {} has no value", ticked(symbol.name)))
        .with_label("no default here")
        .with_note(fmt::format("set it with --var {}=VALUE, --var-file or KC_VAR_{}", symbol.name,
                               symbol.name));
    return std::nullopt;
  }

  sema::TypeId type_of(uint32_t m, uint32_t f, ExprId id) const {
    return program_.modules[m].expr_types[f][id.index];
  }

  Result expr(uint32_t m, uint32_t f, ExprId id) {
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
        sdk::List items;
        bool ok = true;
        for (ExprId item : std::get<ast::ListLit>(node.node).items) {
          Result value = expr(m, f, item);
          ok = ok && value.has_value();
          if (value) items.push_back(std::move(*value));
        }
        return ok ? Result(Value::list(std::move(items))) : std::nullopt;
      }
      case ast::ExprKind::RecordLit: {
        const auto& record = std::get<ast::RecordLit>(node.node);
        if (record.schema) return std::nullopt;  // reported by the checker
        return body(m, f, record.body);
      }
      case ast::ExprKind::NameRef: {
        auto it = program_.modules[m].names[f].find(id.index);
        if (it != program_.modules[m].names[f].end() && it->second.symbol == sema::kLocalName) {
          return local(std::get<ast::NameRef>(node.node).name.text);
        }
        if (it == program_.modules[m].names[f].end() || it->second.symbol < 0) return std::nullopt;
        return symbol_value(it->second.module, static_cast<uint32_t>(it->second.symbol), node.span);
      }
      case ast::ExprKind::Member:
        return member(m, f, std::get<ast::Member>(node.node));
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
          Result value = expr(m, f, comp.value);
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
        return std::nullopt;  // not checked yet (sema/unchecked.h), so never evaluated
    }
    return std::nullopt;
  }

  // The innermost comprehension variable called `name` (the checker resolved the NameRef to one).
  Result local(const std::string& name) const {
    for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
      if (it->first == name) return it->second;
    }
    return std::nullopt;
  }

  // Runs `body` once per combination of the clauses from `at` on, with their names bound. False
  // when evaluation failed (already reported). An unknown iterable or condition sets
  // unknown_iteration_: the comprehension's value is then unknown as a whole.
  template <typename Body>
  bool comprehend(uint32_t m, uint32_t f, const std::vector<ast::CompClause>& clauses, size_t at,
                  Body&& body) {
    if (at == clauses.size()) {
      if (++comprehension_steps_ > kMaxComprehensionSteps) {
        if (comprehension_steps_ == kMaxComprehensionSteps + 1) {
          diags_
              .error(Code::E0406, clauses.front().span,
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

  Result map_comp(uint32_t m, uint32_t f, const ast::MapComp& comp) {
    sdk::Entries entries;
    std::map<std::string, Span> seen;
    bool outer_unknown = std::exchange(unknown_iteration_, false);
    bool ok = comprehend(m, f, comp.clauses, 0, [&] {
      Result key = expr(m, f, comp.key);
      Result value = expr(m, f, comp.value);
      if (!key || !value) return false;
      if (key->is_unknown()) {
        unknown_iteration_ = true;
        return true;
      }
      Span at = file(m, f).expr(comp.key).span;
      if (!seen.emplace(key->as_string(), at).second) {
        diags_
            .error(Code::E0305, at,
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
  Result with(uint32_t m, uint32_t f, const ast::With& node) {
    Result object = expr(m, f, node.object);
    if (!object) return std::nullopt;
    Result changes = body(m, f, node.body);
    if (!changes) return std::nullopt;
    if (object->is_unknown()) return Value::unknown();
    sdk::Entries entries = object->as_map();
    for (const auto& [key, value] : changes->as_map()) {
      auto it = std::find_if(entries.begin(), entries.end(),
                             [&](const auto& entry) { return entry.first == key; });
      if (it != entries.end()) {
        it->second = value;
      } else {
        entries.emplace_back(key, value);
      }
    }
    return Value::map(std::move(entries));
  }

  // Reports an operator's failure (E0403) at the operator.
  Result op_result(OpResult result, Span at) {
    if (result.value) return std::move(result.value);
    diags_.error(Code::E0403, at, result.error).with_label("evaluated here");
    return std::nullopt;
  }

  Result unary(uint32_t m, uint32_t f, const ast::Unary& node) {
    Result operand = expr(m, f, node.operand);
    if (!operand) return std::nullopt;
    return op_result(apply_unary(node.op, *operand), node.op_span);
  }

  Result binary(uint32_t m, uint32_t f, const ast::Binary& node) {
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
    return op_result(apply_binary(node.op, *lhs, *rhs), node.op_span);
  }

  Result if_else(uint32_t m, uint32_t f, const ast::IfElse& node) {
    Result condition = expr(m, f, node.condition);
    if (!condition) return std::nullopt;
    if (condition->is_unknown()) return Value::unknown();
    return expr(m, f, condition->as_bool() ? node.then_value : node.else_value);
  }

  Result index(uint32_t m, uint32_t f, const ast::Index& node) {
    Result object = expr(m, f, node.object);
    Result key = expr(m, f, node.index);
    if (!object || !key) return std::nullopt;
    if (object->is_unknown() || key->is_unknown()) return Value::unknown();
    Span at = file(m, f).expr(node.index).span;
    if (object->kind() == sdk::Kind::List) {
      const sdk::List& items = object->as_list();
      int64_t i = key->as_int();
      if (i >= 0 && static_cast<uint64_t>(i) < items.size()) return items[static_cast<size_t>(i)];
      diags_
          .error(Code::E0403, at,
                 fmt::format("index {} is out of range for a list of {}", i, items.size()))
          .with_label(items.empty() ? "the list is empty"
                                    : fmt::format("valid indexes are 0 to {}", items.size() - 1));
      return std::nullopt;
    }
    if (const Value* value = object->find(key->as_string())) return *value;
    diags_.error(Code::E0403, at, fmt::format("no key {} in this map", ticked(key->as_string())))
        .with_label("read here");
    return std::nullopt;
  }

  // A built-in call (the checker let no other call through).
  Result call(uint32_t m, uint32_t f, Span span, const ast::Call& node) {
    const auto* callee = std::get_if<ast::NameRef>(&file(m, f).expr(node.callee).node);
    if (callee == nullptr) return std::nullopt;
    std::vector<Value> args;
    for (ExprId arg : node.args) {
      Result value = expr(m, f, arg);
      if (!value) return std::nullopt;
      args.push_back(std::move(*value));
    }
    const auto& names = program_.modules[m].names[f];
    if (auto it = names.find(node.callee.index); it != names.end() && it->second.symbol >= 0) {
      return function_call(it->second.module, static_cast<uint32_t>(it->second.symbol),
                           std::move(args));
    }
    return op_result(call_builtin(callee->name.text, args), span);
  }

  // Calls a function: missing arguments take their defaults (evaluated without the parameters in
  // scope, as the checker typed them), then the body runs with the parameters as locals.
  Result function_call(uint32_t m, uint32_t s, std::vector<Value> args) {
    const sema::Symbol& symbol = program_.modules[m].symbols[s];
    const auto& fn = std::get<ast::Fn>(file(m, symbol.file).decls[symbol.decl].node);
    for (size_t i = args.size(); i < fn.params.size(); ++i) {
      if (!fn.params[i].default_value) return std::nullopt;  // the checker counted arguments
      Result value = expr(m, symbol.file, *fn.params[i].default_value);
      if (!value) return std::nullopt;
      args.push_back(std::move(*value));
    }
    // The body sees its parameters only, never the caller's comprehension variables.
    std::vector<std::pair<std::string, Value>> caller_locals = std::exchange(locals_, {});
    for (size_t i = 0; i < fn.params.size(); ++i)
      locals_.emplace_back(fn.params[i].name.text, std::move(args[i]));
    Result result = expr(m, symbol.file, fn.body);
    locals_ = std::move(caller_locals);
    return result;
  }

  Result interpolated(uint32_t m, uint32_t f, const ast::InterpolatedString& node) {
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
        diags_.error(Code::E0403, part.span, "this value has no string form to interpolate");
        return std::nullopt;
      }
      text += *form;
    }
    return unknown ? Value::unknown() : Value(std::move(text));
  }

  // The `key = value` items of a body, keys known without evaluation; the checker rejected any
  // other item, so evaluation never meets one.
  std::vector<std::pair<std::string, ExprId>> fields(uint32_t m, uint32_t f, ast::BodyId id) const {
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

  Result body(uint32_t m, uint32_t f, ast::BodyId id) {
    sdk::Entries entries;
    std::set<std::string> seen;
    bool ok = true;
    for (const auto& [key, value_id] : fields(m, f, id)) {
      Result value = expr(m, f, value_id);
      ok = ok && value.has_value();
      if (value && seen.insert(key).second) entries.emplace_back(key, std::move(*value));
    }
    return ok ? Result(Value::map(std::move(entries))) : std::nullopt;
  }

  Result member(uint32_t m, uint32_t f, const ast::Member& node) {
    const sema::Type& object_type = program_.types.get(type_of(m, f, node.object));
    if (object_type.kind == TypeKind::Module) {
      const sema::CheckedModule& target = program_.modules[object_type.module_index];
      const sema::Symbol* symbol = target.find(node.member.text);
      if (symbol == nullptr) return std::nullopt;
      return symbol_value(object_type.module_index,
                          static_cast<uint32_t>(symbol - target.symbols.data()), node.member.span);
    }
    Result object = expr(m, f, node.object);
    if (!object) return std::nullopt;
    if (object->is_unknown()) return Value::unknown();
    if (object->kind() == sdk::Kind::Map) {
      if (const Value* field = object->find(node.member.text)) return *field;
      // A resource's unset optional input reads as null; a map without the key is an error.
      if (object_type.kind == TypeKind::Resource) return Value::null();
    }
    diags_
        .error(Code::E0403, node.member.span,
               fmt::format("no key {} in this map", ticked(node.member.text)))
        .with_label("read here");
    return std::nullopt;
  }

  Result resource(uint32_t m, uint32_t f, const ast::Expr& node, const ast::ResourceExpr& res) {
    std::string type = res.provider.text + "." + res.kind.text;
    const sdk::ResourceSchema* schema = schemas_.find_resource(type);
    if (schema == nullptr) return std::nullopt;  // reported by the checker
    DesiredResource desired;
    std::optional<ast::Name> label = ast::static_label(file(m, f), res.label);
    if (!label) return std::nullopt;  // not checked yet (sema/unchecked.h)
    desired.address = fmt::format("{}[\"{}\"]", type, label->text);
    desired.type = type;
    desired.provider = res.provider.text;
    desired.span = node.span;

    Deps deps;
    frames_.push_back(&deps);
    sdk::Entries inputs;
    bool ok = true;
    std::set<std::string> seen;
    for (const auto& [key, value_id] : fields(m, f, res.body)) {
      if (!seen.insert(key).second) continue;
      Result value = expr(m, f, value_id);
      ok = ok && value.has_value();
      if (!value) continue;
      if (key == sema::kDependsOn) continue;  // its reads already became deps
      if (key == sema::kLifecycle) {
        read_lifecycle(*value, desired.lifecycle);
        continue;
      }
      inputs.emplace_back(key, std::move(*value));
    }
    frames_.pop_back();
    if (!ok) return std::nullopt;
    deps.erase(desired.address);
    desired.depends_on.assign(deps.begin(), deps.end());
    desired.attributes = Value::map(inputs);

    if (auto it = addresses_.find(desired.address); it != addresses_.end()) {
      diags_
          .error(Code::E0404, Span::cover(res.provider.span, res.label.span),
                 fmt::format("two resources have the address {}", ticked(desired.address)))
          .with_label("second resource here")
          .with_secondary(it->second, "first resource here");
      return std::nullopt;
    }
    addresses_.emplace(desired.address, Span::cover(res.provider.span, res.label.span));

    Value value = resource_value(*schema, desired.address, inputs);
    out_.resources.push_back(std::move(desired));
    // Whoever reads this value depends on the resource.
    add_deps({out_.resources.back().address});
    return value;
  }

  // What a reference to the resource reads: its inputs, and its outputs as stored (or Unknown).
  Value resource_value(const sdk::ResourceSchema& schema, const std::string& address,
                       const sdk::Entries& inputs) {
    const Value* stored = nullptr;
    if (inputs_.known) {
      auto it = inputs_.known->find(address);
      if (it != inputs_.known->end()) stored = &it->second;
    }
    sdk::Entries attributes;
    for (const sdk::AttributeSchema& attr : schema.attributes) {
      if (attr.is_input()) {
        auto it = std::find_if(inputs.begin(), inputs.end(),
                               [&](const auto& entry) { return entry.first == attr.name; });
        attributes.emplace_back(attr.name, it == inputs.end() ? Value::null() : it->second);
      } else {
        const Value* known = stored ? stored->find(attr.name) : nullptr;
        attributes.emplace_back(attr.name, known ? *known : Value::unknown());
      }
    }
    return Value::map(std::move(attributes));
  }

  static void read_lifecycle(const Value& value, Lifecycle& lifecycle) {
    if (value.kind() != sdk::Kind::Map) return;
    for (const auto& [key, field] : value.as_map()) {
      if (key == "prevent_destroy" && field.kind() == sdk::Kind::Bool) {
        lifecycle.prevent_destroy = field.as_bool();
      } else if (key == "create_before_destroy" && field.kind() == sdk::Kind::Bool) {
        lifecycle.create_before_destroy = field.as_bool();
      } else if (key == "ignore_changes" && field.kind() == sdk::Kind::List) {
        for (const Value& name : field.as_list()) {
          if (name.kind() == sdk::Kind::String)
            lifecycle.ignore_changes.push_back(name.as_string());
        }
      }
    }
  }

  const sema::CheckedProgram& program_;
  const sdk::SchemaSource& schemas_;
  const EvalInputs& inputs_;
  diag::Diagnostics& diags_;
  std::vector<std::vector<Cell>> cells_;
  std::vector<Deps*> frames_;
  // Comprehension variables in scope, innermost last.
  std::vector<std::pair<std::string, Value>> locals_;
  bool unknown_iteration_ = false;
  // Results computed by all comprehensions so far; bounded by kMaxComprehensionSteps.
  int64_t comprehension_steps_ = 0;
  std::vector<std::pair<uint32_t, uint32_t>> running_;
  std::set<std::vector<std::pair<uint32_t, uint32_t>>> reported_cycles_;
  std::map<std::string, Span> addresses_;
  DesiredState out_;
};

// Null fields are left out of printed records (LANGUAGE.md 8a).
nlohmann::ordered_json printable(const Value& value) {
  if (value.kind() == sdk::Kind::Map) {
    nlohmann::ordered_json object = nlohmann::ordered_json::object();
    for (const auto& [key, field] : value.as_map()) {
      if (!field.is_null()) object[key] = printable(field);
    }
    return object;
  }
  if (value.kind() == sdk::Kind::List) {
    nlohmann::ordered_json array = nlohmann::ordered_json::array();
    for (const auto& item : value.as_list())
      array.push_back(printable(item));
    return array;
  }
  return sdk::to_json(value);
}

}  // namespace

const DesiredResource* DesiredState::find(std::string_view address) const {
  auto it =
      std::lower_bound(resources.begin(), resources.end(), address,
                       [](const DesiredResource& r, std::string_view a) { return r.address < a; });
  return it != resources.end() && it->address == address ? &*it : nullptr;
}

DesiredState evaluate(const sema::CheckedProgram& program, const sdk::SchemaSource& schemas,
                      const EvalInputs& inputs, diag::Diagnostics& diagnostics) {
  return Evaluator(program, schemas, inputs, diagnostics).run();
}

nlohmann::ordered_json exports_json(const DesiredState& desired) {
  return printable(desired.exports);
}

std::string dump_desired(const DesiredState& desired) {
  nlohmann::ordered_json out;
  nlohmann::ordered_json resources = nlohmann::ordered_json::array();
  for (const auto& r : desired.resources) {
    nlohmann::ordered_json entry;
    entry["address"] = r.address;
    entry["type"] = r.type;
    entry["attributes"] = printable(r.attributes);
    entry["depends_on"] = r.depends_on;
    if (r.lifecycle.prevent_destroy || r.lifecycle.create_before_destroy ||
        !r.lifecycle.ignore_changes.empty()) {
      entry["lifecycle"] = {{"prevent_destroy", r.lifecycle.prevent_destroy},
                            {"create_before_destroy", r.lifecycle.create_before_destroy},
                            {"ignore_changes", r.lifecycle.ignore_changes}};
    }
    resources.push_back(std::move(entry));
  }
  out["resources"] = std::move(resources);
  nlohmann::ordered_json outputs = nlohmann::ordered_json::object();
  for (const auto& o : desired.outputs)
    outputs[o.name] = printable(o.value);
  out["outputs"] = std::move(outputs);
  return out.dump(2) + "\n";
}

}  // namespace kc::eval
