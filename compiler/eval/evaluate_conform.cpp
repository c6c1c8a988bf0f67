// Values stored where a type is declared (LANGUAGE.md 3): ints widened to floats, range bounds
// (E0304) and the check blocks of aliases (E0401), through lists, maps and optionals. Checked
// where stored, never where read.
#include "compiler/eval/evaluator.h"
#include "compiler/sema/types.h"

namespace kc::eval {

namespace {

// -1, 0, 1, or nullopt when the values are not of one ordered kind.
std::optional<int> compare_ordered(const Value& a, const Value& b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (a.kind() == sdk::Kind::Int && b.kind() == sdk::Kind::Int) return sign(a.as_int(), b.as_int());
  auto number = [](const Value& v) -> std::optional<double> {
    if (v.kind() == sdk::Kind::Int) return static_cast<double>(v.as_int());
    if (v.kind() == sdk::Kind::Float) return v.as_float();
    return std::nullopt;
  };
  if (auto x = number(a), y = number(b); x && y) return sign(*x, *y);
  if (a.kind() != b.kind()) return std::nullopt;
  switch (a.kind()) {
    case sdk::Kind::Duration:
    case sdk::Kind::Bytes:
    case sdk::Kind::Percent:
    case sdk::Kind::Version:
      return sema::compare_bounds(a, b);
    default:
      return std::nullopt;
  }
}

}  // namespace

// A value as messages show it: strings quoted, other values in their printed form.
std::optional<std::string> Evaluator::shown(const Value& value) {
  if (value.kind() == sdk::Kind::String) return sdk::quote_string(value.as_string());
  return string_form(value);
}

// E0304, showing the range (and what an alias stands for) and where it is declared.
void Evaluator::report_out_of_range(const Value& value, sema::TypeId type, Span at,
                                    const std::string& broken, Span from) {
  const sema::Refinement& r = program_.types.refinement(type);
  std::string written = program_.types.to_string(type);
  std::string range = sema::range_text(program_.types, type);
  std::string message =
      fmt::format("{} is out of range for {}", shown(value).value_or("value"), ticked(written));
  if (range != written) message += fmt::format(" ({})", ticked(range));
  diag::Diagnostic& d = diags_->error(Code::E0304, at, message)
                            .with_label(broken)
                            .with_secondary(r.range_span.valid() ? r.range_span : r.span,
                                            "the range is declared here");
  if (from.valid()) d.with_secondary(from, "the value comes from here");
}

bool Evaluator::widens(sema::TypeId type) {
  if (type.index >= widens_.size()) widens_.resize(type.index + 1, -1);
  int8_t& known = widens_[type.index];
  if (known < 0) {
    const sema::Type& t = program_.types.get(type);
    switch (t.kind) {
      case TypeKind::Float:
        known = 1;
        break;
      case TypeKind::List:
      case TypeKind::Map:
      case TypeKind::Optional:
      case TypeKind::Refined:
        known = widens(t.element) ? 1 : 0;
        break;
      default:
        known = 0;
    }
  }
  return known == 1;
}

Value Evaluator::widened(const Value& value, sema::TypeId type) {
  if (!widens(type)) return value;
  const sema::Type& t = program_.types.get(type);
  switch (t.kind) {
    case TypeKind::Float:
      if (value.kind() == sdk::Kind::Int) return Value(static_cast<double>(value.as_int()));
      return value;
    case TypeKind::Optional:
    case TypeKind::Refined:
      return widened(value, t.element);
    case TypeKind::List: {
      if (value.kind() != sdk::Kind::List) return value;
      sdk::List items;
      items.reserve(value.as_list().size());
      for (const Value& item : value.as_list())
        items.push_back(widened(item, t.element));
      return Value::list(std::move(items));
    }
    case TypeKind::Map: {
      if (value.kind() != sdk::Kind::Map) return value;
      sdk::Entries entries;
      entries.reserve(value.as_map().size());
      for (const auto& [key, item] : value.as_map())
        entries.emplace_back(key, widened(item, t.element));
      return Value::map(std::move(entries));
    }
    default:
      return value;
  }
}

bool Evaluator::conform_at(Value& value, sema::TypeId type, uint32_t m, uint32_t f, ExprId id) {
  value = widened(value, type);
  return conform_written(value, type, m, f, id);
}

bool Evaluator::conform(Value& value, sema::TypeId type, Span at) {
  value = widened(value, type);
  return conform_stored(value, type, at);
}

bool Evaluator::conform_written(const Value& value, sema::TypeId type, uint32_t m, uint32_t f,
                                ExprId id) {
  const ast::Expr* e = &file(m, f).expr(id);
  while (const auto* paren = std::get_if<ast::Paren>(&e->node)) {
    id = paren->inner;
    e = &file(m, f).expr(id);
  }
  const sema::Type& t = program_.types.get(program_.types.core(type));
  const auto* list = std::get_if<ast::ListLit>(&e->node);
  if (list == nullptr || t.kind != TypeKind::List || value.kind() != sdk::Kind::List ||
      value.as_list().size() != list->items.size() ||
      program_.types.kind(type) == TypeKind::Refined) {
    return conform_stored(value, type, e->span, origin_of(m, f, id));
  }
  // A list written out: each element is checked where it is written.
  bool ok = true;
  for (size_t i = 0; i < list->items.size(); ++i)
    ok = conform_written(value.as_list()[i], t.element, m, f, list->items[i]) && ok;
  return ok;
}

bool Evaluator::conform_stored(const Value& value, sema::TypeId type, Span at, Span from) {
  if (value.is_unknown() || value.is_null()) return true;
  const sema::Type& t = program_.types.get(type);
  switch (t.kind) {
    case TypeKind::Refined: {
      if (!conform_stored(value, t.element, at, from)) return false;
      const sema::Refinement& r = program_.types.refinement(type);
      std::optional<std::string> broken;
      if (r.low && compare_ordered(value, *r.low).value_or(0) < 0) {
        broken = fmt::format("the least allowed is {}", *string_form(*r.low));
      } else if (r.high && compare_ordered(value, *r.high).value_or(0) > 0) {
        broken = fmt::format("the most allowed is {}", *string_form(*r.high));
      }
      if (broken) {
        report_out_of_range(value, type, at, *broken, from);
        return false;
      }
      if (r.alias_symbol < 0) return true;
      const auto& module = program_.modules[static_cast<uint32_t>(r.alias_module)];
      auto checks = module.alias_checks.find(static_cast<uint32_t>(r.alias_symbol));
      if (checks == module.alias_checks.end()) return true;
      std::string subject =
          fmt::format("{} is not a valid {}", shown(value).value_or("this value"), ticked(r.alias));
      // Alias checks read only `self`: no locals, no instance.
      std::vector<std::pair<std::string, Value>> outer_locals = std::exchange(locals_, {});
      std::vector<Instance*> outer_instances = std::exchange(instances_, {});
      bool ok = run_checks(checks->second.lines, value, at, subject);
      instances_ = std::move(outer_instances);
      locals_ = std::move(outer_locals);
      return ok;
    }
    case TypeKind::Optional:
      return conform_stored(value, t.element, at, from);
    case TypeKind::List: {
      if (value.kind() != sdk::Kind::List) return true;
      bool ok = true;
      for (const Value& item : value.as_list())
        ok = conform_stored(item, t.element, at) && ok;
      return ok;
    }
    case TypeKind::Map: {
      if (value.kind() != sdk::Kind::Map) return true;
      bool ok = true;
      for (const auto& entry : value.as_map())
        ok = conform_stored(entry.second, t.element, at) && ok;
      return ok;
    }
    default:
      return true;
  }
}

}  // namespace kc::eval
