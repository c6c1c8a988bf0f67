// Built-in functions (builtins.h): collections, strings and aggregates over checked arguments.
// Orders and equality are the operators' (operators.h), so `sort` and `min` agree with `<`.
#include "compiler/eval/builtins.h"

#include <fmt/format.h>

#include <algorithm>

namespace kc::eval {
namespace {

using sdk::Kind;
using sdk::Value;

OpResult ok(Value v) {
  return {std::move(v), {}};
}
OpResult fail(std::string why) {
  return {std::nullopt, std::move(why)};
}

bool less(const Value& a, const Value& b) {
  OpResult r = apply_binary(ast::BinaryOp::Lt, a, b);
  return r.value && r.value->kind() == Kind::Bool && r.value->as_bool();
}
bool same(const Value& a, const Value& b) {
  OpResult r = apply_binary(ast::BinaryOp::Eq, a, b);
  return r.value && r.value->kind() == Kind::Bool && r.value->as_bool();
}

OpResult range(const std::vector<Value>& args) {
  int64_t start = 0;
  int64_t end = 0;
  int64_t step = 1;
  if (args.size() == 1) {
    end = args[0].as_int();
  } else {
    start = args[0].as_int();
    end = args[1].as_int();
    if (args.size() == 3) step = args[2].as_int();
  }
  if (step == 0) return fail("`range` needs a step other than 0");
  // Counted in unsigned arithmetic so no bound overflows.
  uint64_t span =
      step > 0 ? (end > start ? static_cast<uint64_t>(end) - static_cast<uint64_t>(start) : 0)
               : (start > end ? static_cast<uint64_t>(start) - static_cast<uint64_t>(end) : 0);
  uint64_t stride = step > 0 ? static_cast<uint64_t>(step) : 0 - static_cast<uint64_t>(step);
  uint64_t count = span == 0 ? 0 : (span - 1) / stride + 1;
  if (count > static_cast<uint64_t>(kMaxRangeLength)) {
    return fail(
        fmt::format("`range` would make {} items; the limit is {}", count, kMaxRangeLength));
  }
  sdk::List items;
  items.reserve(count);
  // Unsigned arithmetic wraps, so start + i * step is exact for every item without overflowing.
  for (uint64_t i = 0; i < count; ++i) {
    items.emplace_back(
        static_cast<int64_t>(static_cast<uint64_t>(start) + i * static_cast<uint64_t>(step)));
  }
  return ok(Value::list(std::move(items)));
}

OpResult min_max(bool want_min, const std::vector<Value>& args) {
  const std::vector<Value>* items = &args;
  if (args.size() == 1) items = &args[0].as_list();
  if (items->empty()) return fail(fmt::format("`{}` of an empty list", want_min ? "min" : "max"));
  const Value* best = &(*items)[0];
  for (const Value& v : *items) {
    if (v.is_unknown()) return ok(Value::unknown());
    if (want_min ? less(v, *best) : less(*best, v)) best = &v;
  }
  return ok(*best);
}

OpResult sum(const sdk::List& items) {
  Value total(int64_t{0});
  bool first = true;
  for (const Value& v : items) {
    if (first) {
      total = v;
      first = false;
      continue;
    }
    OpResult r = apply_binary(ast::BinaryOp::Add, total, v);
    if (!r.value) return r;
    total = std::move(*r.value);
  }
  return ok(total);
}

std::string trim(const std::string& s) {
  size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  size_t end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

}  // namespace

OpResult call_builtin(std::string_view name, const std::vector<Value>& args) {
  for (const Value& arg : args) {
    if (arg.is_unknown()) return ok(Value::unknown());
  }
  if (name == "len") {
    const Value& v = args[0];
    if (v.kind() == Kind::String) return ok(Value(static_cast<int64_t>(v.as_string().size())));
    if (v.kind() == Kind::List) return ok(Value(static_cast<int64_t>(v.as_list().size())));
    return ok(Value(static_cast<int64_t>(v.as_map().size())));
  }
  if (name == "range") return range(args);
  if (name == "keys" || name == "values") {
    sdk::List out;
    for (const auto& [key, value] : args[0].as_map())
      out.push_back(name == "keys" ? Value(key) : value);
    return ok(Value::list(std::move(out)));
  }
  if (name == "contains") {
    const Value& in = args[0];
    if (in.kind() == Kind::String) {
      return ok(Value(in.as_string().find(args[1].as_string()) != std::string::npos));
    }
    if (in.kind() == Kind::List) {
      for (const Value& v : in.as_list()) {
        if (same(v, args[1])) return ok(Value(true));
      }
      return ok(Value(false));
    }
    return ok(Value(in.find(args[1].as_string()) != nullptr));
  }
  if (name == "lower" || name == "upper") {
    std::string s = args[0].as_string();
    for (char& c : s) {
      if (name == "lower" && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (name == "upper" && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return ok(Value(std::move(s)));
  }
  if (name == "trim") return ok(Value(trim(args[0].as_string())));
  if (name == "join") {
    std::string out;
    const sdk::List& items = args[0].as_list();
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += args[1].as_string();
      out += items[i].as_string();
    }
    return ok(Value(std::move(out)));
  }
  if (name == "split") {
    const std::string& s = args[0].as_string();
    const std::string& sep = args[1].as_string();
    if (sep.empty()) return fail("`split` needs a separator that is not empty");
    sdk::List parts;
    size_t at = 0;
    while (true) {
      size_t next = s.find(sep, at);
      parts.emplace_back(s.substr(at, next == std::string::npos ? std::string::npos : next - at));
      if (next == std::string::npos) break;
      at = next + sep.size();
    }
    return ok(Value::list(std::move(parts)));
  }
  if (name == "replace") {
    std::string s = args[0].as_string();
    const std::string& from = args[1].as_string();
    const std::string& to = args[2].as_string();
    if (from.empty()) return fail("`replace` needs text to replace that is not empty");
    std::string out;
    size_t at = 0;
    for (size_t next; (next = s.find(from, at)) != std::string::npos; at = next + from.size()) {
      out.append(s, at, next - at);
      out += to;
    }
    out.append(s, at);
    return ok(Value(std::move(out)));
  }
  if (name == "min" || name == "max") return min_max(name == "min", args);
  if (name == "sum") return sum(args[0].as_list());
  if (name == "sort") {
    sdk::List items = args[0].as_list();
    std::stable_sort(items.begin(), items.end(), less);
    return ok(Value::list(std::move(items)));
  }
  if (name == "unique") {
    sdk::List out;
    for (const Value& v : args[0].as_list()) {
      if (std::none_of(out.begin(), out.end(), [&](const Value& seen) { return same(seen, v); })) {
        out.push_back(v);
      }
    }
    return ok(Value::list(std::move(out)));
  }
  return fail(fmt::format("`{}` is not a built-in function", name));
}

}  // namespace kc::eval
