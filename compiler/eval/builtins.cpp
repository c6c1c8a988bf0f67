// Built-in functions (builtins.h): collections, strings, formats, conversions and the std/net
// intrinsics. Orders and equality are the operators' (operators.h), so `sort` agrees with `<`.
#include "compiler/eval/builtins.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "compiler/eval/encoding.h"
#include "compiler/eval/net.h"
#include "compiler/eval/regex_match.h"
#include "compiler/sema/builtins.h"

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

bool ordered(Kind k) {
  return k == Kind::Int || k == Kind::Float || k == Kind::String || k == Kind::Duration ||
         k == Kind::Bytes || k == Kind::Percent || k == Kind::Version;
}
bool summable(Kind k) {
  return k == Kind::Int || k == Kind::Float || k == Kind::Duration || k == Kind::Bytes;
}
bool has_string_form(Kind k) {
  return k != Kind::List && k != Kind::Map && k != Kind::Null;
}

template <typename Pred>
bool all_items(const Value& list, Pred pred) {
  const sdk::List& items = list.as_list();
  return std::all_of(items.begin(), items.end(), [&](const Value& v) { return pred(v.kind()); });
}

std::optional<Kind> conversion_kind(std::string_view name) {
  if (name == "duration") return Kind::Duration;
  if (name == "bytes") return Kind::Bytes;
  if (name == "percent") return Kind::Percent;
  if (name == "version") return Kind::Version;
  if (name == "ip") return Kind::Ip;
  if (name == "cidr") return Kind::Cidr;
  return std::nullopt;
}

// Whether the arguments are of kinds `name` takes: the checker's rules (sema/builtins.cpp) applied
// to values, since `any` values reach here unchecked.
bool accepts(std::string_view name, const std::vector<Value>& args) {
  auto count = [&](size_t n) { return args.size() == n; };
  auto is = [&](size_t i, Kind k) { return args[i].kind() == k; };
  auto all_are = [&](Kind k) {
    return std::all_of(args.begin(), args.end(), [&](const Value& v) { return v.kind() == k; });
  };
  if (name == "len") {
    return count(1) && (is(0, Kind::String) || is(0, Kind::List) || is(0, Kind::Map));
  }
  if (name == "range") return !args.empty() && args.size() <= 3 && all_are(Kind::Int);
  if (name == "keys" || name == "values") return count(1) && is(0, Kind::Map);
  if (name == "contains") {
    return count(2) && (is(0, Kind::List) ||
                        ((is(0, Kind::String) || is(0, Kind::Map)) && is(1, Kind::String)));
  }
  if (name == "lower" || name == "upper" || name == "trim" || name == "sha256" ||
      name == "base64" || name == "file" || name == "from_json" || name == "from_yaml") {
    return count(1) && is(0, Kind::String);
  }
  if (name == "split" || name == "matches") return count(2) && all_are(Kind::String);
  if (name == "replace") return count(3) && all_are(Kind::String);
  if (name == "join") {
    return count(2) && is(0, Kind::List) && is(1, Kind::String) &&
           all_items(args[0], [](Kind k) { return k == Kind::String; });
  }
  if (name == "min" || name == "max") {
    if (count(1)) return is(0, Kind::List) && all_items(args[0], ordered);
    return args.size() >= 2 &&
           std::all_of(args.begin(), args.end(), [](const Value& v) { return ordered(v.kind()); });
  }
  if (name == "sum") return count(1) && is(0, Kind::List) && all_items(args[0], summable);
  if (name == "sort") return count(1) && is(0, Kind::List) && all_items(args[0], ordered);
  if (name == "unique") return count(1) && is(0, Kind::List);
  if (name == "flatten") {
    return count(1) && is(0, Kind::List) &&
           all_items(args[0], [](Kind k) { return k == Kind::List; });
  }
  if (name == "merge") return args.size() >= 2 && all_are(Kind::Map);
  if (name == "format") {
    return !args.empty() && is(0, Kind::String) &&
           std::all_of(args.begin() + 1, args.end(),
                       [](const Value& v) { return has_string_form(v.kind()); });
  }
  if (name == "to_json" || name == "to_yaml") return count(1);
  if (name == "string") return count(1) && has_string_form(args[0].kind());
  if (name == "int" || name == "float") {
    return count(1) && (is(0, Kind::Int) || is(0, Kind::Float) || is(0, Kind::String));
  }
  if (auto kind = conversion_kind(name)) return count(1) && (is(0, Kind::String) || is(0, *kind));
  if (name == "__net_subnet") {
    return count(3) && is(0, Kind::Cidr) && is(1, Kind::Int) && is(2, Kind::Int);
  }
  if (name == "__net_host") return count(2) && is(0, Kind::Cidr) && is(1, Kind::Int);
  if (name == "__net_contains") {
    return count(2) && is(0, Kind::Cidr) &&
           (is(1, Kind::Ip) || is(1, Kind::Cidr) || is(1, Kind::String));
  }
  if (name == "__net_overlaps") return count(2) && all_are(Kind::Cidr);
  return false;
}

// Functions that only move values around: an unknown inside an argument is carried along, not a
// reason for an unknown result.
bool structural(std::string_view name) {
  return name == "len" || name == "keys" || name == "values" || name == "merge" ||
         name == "flatten";
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

OpResult contains(const Value& in, const Value& x) {
  if (in.kind() == Kind::String) {
    return ok(Value(in.as_string().find(x.as_string()) != std::string::npos));
  }
  if (in.kind() == Kind::List) {
    for (const Value& v : in.as_list()) {
      if (same(v, x)) return ok(Value(true));
    }
    return ok(Value(false));
  }
  return ok(Value(in.find(x.as_string()) != nullptr));
}

OpResult split(const std::string& s, const std::string& sep) {
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

OpResult replace(const std::string& s, const std::string& from, const std::string& to) {
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

OpResult flatten(const sdk::List& lists) {
  sdk::List out;
  for (const Value& list : lists) {
    if (list.is_unknown()) return ok(Value::unknown());
    const sdk::List& items = list.as_list();
    out.insert(out.end(), items.begin(), items.end());
  }
  return ok(Value::list(std::move(out)));
}

// Later maps win; a key keeps the place where it first appeared.
OpResult merge(const std::vector<Value>& maps) {
  sdk::Entries out;
  std::unordered_map<std::string_view, size_t> place;  // views of keys in `maps`, which outlive it
  for (const Value& map : maps) {
    for (const auto& [key, value] : map.as_map()) {
      auto [it, added] = place.emplace(key, out.size());
      if (added) {
        out.emplace_back(key, value);
      } else {
        out[it->second].second = value;
      }
    }
  }
  return ok(Value::map(std::move(out)));
}

// `{}` takes the next value's string form; `{{` and `}}` are literal braces.
OpResult format(const std::vector<Value>& args) {
  const std::string& text = args[0].as_string();
  const size_t given = args.size() - 1;
  std::string out;
  size_t used = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (c == '{' && next == '}') {
      if (used < given) out += *string_form(args[1 + used]);
      ++used;
      ++i;
    } else if ((c == '{' && next == '{') || (c == '}' && next == '}')) {
      out += c;
      ++i;
    } else if (c == '{' || c == '}') {
      return fail(fmt::format(
          "the template of `format` has a lone `{}` at offset {}: placeholders are `{{}}`, and "
          "`{}{}` is a literal `{}`",
          c, i, c, c, c));
    } else {
      out += c;
    }
  }
  if (used != given) {
    return fail(fmt::format(
        "the template of `format` has {} `{{}}` placeholder{} but {} value{} "
        "{} given",
        used, used == 1 ? "" : "s", given, given == 1 ? "" : "s", given == 1 ? "was" : "were"));
  }
  return ok(Value(std::move(out)));
}

OpResult matches(const std::string& subject, const std::string& pattern) {
  std::string error;
  std::optional<bool> found = regex_search(subject, pattern, &error);
  if (!found) return fail(std::move(error));
  return ok(Value(*found));
}

OpResult decode(bool json, const std::string& text) {
  std::string error;
  std::optional<Value> value = json ? decode_json(text, &error) : decode_yaml(text, &error);
  if (!value)
    return fail(
        fmt::format("`{}` cannot parse its argument: {}", json ? "from_json" : "from_yaml", error));
  return ok(std::move(*value));
}

// `text` without a leading `+` before a digit or `.` (from_chars takes no `+`; "+-1" stays as it
// is and fails).
std::string_view without_plus(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && (text[1] == '.' || (text[1] >= '0' && text[1] <= '9'))) {
    text.remove_prefix(1);
  }
  return text;
}

OpResult to_int(const Value& v) {
  if (v.kind() == Kind::Int) return ok(v);
  if (v.kind() == Kind::Float) {
    double f = v.as_float();
    // Both bounds are exact doubles: -2^63 fits, 2^63 does not.
    if (!std::isfinite(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0) {
      return fail(fmt::format("`int` cannot convert {}: it is outside the range of a 64-bit int",
                              sdk::format_float(f)));
    }
    return ok(Value(static_cast<int64_t>(std::trunc(f))));
  }
  const std::string& s = v.as_string();
  std::string_view text = without_plus(s);
  std::string_view digits = text.substr(!text.empty() && text[0] == '-' ? 1 : 0);
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return fail(fmt::format("`int` cannot read {}: write a decimal integer such as \"42\"",
                            sdk::quote_string(s)));
  }
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return fail(
        fmt::format("`int` cannot read {}: it does not fit in a 64-bit int", sdk::quote_string(s)));
  }
  return ok(Value(n));
}

OpResult to_float(const Value& v) {
  if (v.kind() == Kind::Int) return ok(Value(static_cast<double>(v.as_int())));
  if (v.kind() == Kind::Float) return ok(v);
  const std::string& s = v.as_string();
  std::string_view text = without_plus(s);
  std::string_view body = text.substr(!text.empty() && text[0] == '-' ? 1 : 0);
  // Only decimal notation: from_chars would also take "inf" and "nan".
  bool well_formed =
      !body.empty() && (body[0] == '.' || (body[0] >= '0' && body[0] <= '9')) &&
      std::all_of(body.begin(), body.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
      });
  double f = 0;
  if (well_formed) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), f);
    if (ec == std::errc::result_out_of_range) {
      return fail(fmt::format("`float` cannot read {}: it is outside the range of a float",
                              sdk::quote_string(s)));
    }
    well_formed = ec == std::errc() && end == text.data() + text.size();
  }
  if (!well_formed) {
    return fail(fmt::format("`float` cannot read {}: write a number such as \"2.5\" or \"1e3\"",
                            sdk::quote_string(s)));
  }
  return ok(Value(f));
}

OpResult to_domain(Kind kind, const Value& v) {
  if (v.kind() == kind) return ok(v);
  const std::string& s = v.as_string();
  std::string error;
  std::optional<Value> out;
  switch (kind) {
    case Kind::Duration:
      if (auto d = sdk::parse_duration(s, &error)) out = Value(*d);
      break;
    case Kind::Bytes:
      if (auto b = sdk::parse_bytes(s, &error)) out = Value(*b);
      break;
    case Kind::Percent:
      if (auto p = sdk::parse_percent(s, &error)) out = Value(*p);
      break;
    case Kind::Version:
      if (auto ver = sdk::parse_version(s, &error)) out = Value(*ver);
      break;
    case Kind::Ip:
      if (auto ip = sdk::parse_ip(s, &error)) out = Value(*ip);
      break;
    default:
      if (auto c = sdk::parse_cidr(s, &error)) out = Value(*c);
      break;
  }
  if (!out) return fail(std::move(error));
  return ok(std::move(*out));
}

OpResult net_call(std::string_view name, const std::vector<Value>& args) {
  const sdk::Cidr& cidr = args[0].as_cidr();
  std::string error;
  if (name == "__net_subnet") {
    auto out = net::subnet(cidr, args[1].as_int(), args[2].as_int(), &error);
    return out ? ok(Value(*out)) : fail(std::move(error));
  }
  if (name == "__net_host") {
    auto out = net::host(cidr, args[1].as_int(), &error);
    return out ? ok(Value(*out)) : fail(std::move(error));
  }
  if (name == "__net_contains") {
    Value inner = args[1];
    if (inner.kind() == Kind::String) {
      // "10.0.0.1" or "10.0.1.0/24", as a literal would be read.
      const std::string& text = inner.as_string();
      std::optional<Value> parsed;
      if (text.find('/') == std::string::npos) {
        if (auto ip = sdk::parse_ip(text, &error)) parsed = Value(*ip);
      } else if (auto c = sdk::parse_cidr(text, &error)) {
        parsed = Value(*c);
      }
      if (!parsed) {
        return fail("`net.contains`: " + error);
      }
      inner = std::move(*parsed);
    }
    return ok(Value(inner.kind() == Kind::Ip ? net::contains(cidr, inner.as_ip())
                                             : net::contains(cidr, inner.as_cidr())));
  }
  return ok(Value(net::overlaps(cidr, args[1].as_cidr())));
}

}  // namespace

OpResult call_builtin(std::string_view name, const std::vector<Value>& args) {
  return call_builtin(name, args, BuiltinContext{});
}

OpResult call_builtin(std::string_view name, const std::vector<Value>& args,
                      const BuiltinContext& context) {
  if (!sema::is_builtin(name)) return fail(fmt::format("`{}` is not a built-in function", name));
  for (const Value& arg : args) {
    if (structural(name) ? arg.is_unknown() : arg.contains_unknown()) return ok(Value::unknown());
  }
  if (name == "flatten" && args.size() == 1 && args[0].kind() == Kind::List) {
    // An unknown item might be a list; flatten() answers unknown for it before kinds are checked.
    for (const Value& item : args[0].as_list()) {
      if (item.is_unknown()) return ok(Value::unknown());
    }
  }
  if (!accepts(name, args)) return fail(sema::builtin_usage(name));

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
  if (name == "contains") return contains(args[0], args[1]);
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
  if (name == "split") return split(args[0].as_string(), args[1].as_string());
  if (name == "replace") {
    return replace(args[0].as_string(), args[1].as_string(), args[2].as_string());
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
  if (name == "flatten") return flatten(args[0].as_list());
  if (name == "merge") return merge(args);
  if (name == "format") return format(args);
  if (name == "matches") return matches(args[0].as_string(), args[1].as_string());
  if (name == "to_json" || name == "to_yaml") {
    std::string error;
    auto text = name == "to_json" ? encode_json(args[0], &error) : encode_yaml(args[0], &error);
    if (!text) return fail(fmt::format("`{}` cannot encode its argument: {}", name, error));
    return ok(Value(std::move(*text)));
  }
  if (name == "from_json" || name == "from_yaml") {
    return decode(name == "from_json", args[0].as_string());
  }
  if (name == "sha256") return ok(Value(sha256_hex(args[0].as_string())));
  if (name == "base64") return ok(Value(base64_encode(args[0].as_string())));
  if (name == "file") {
    if (!context.read_file) return fail("`file` is not available here");
    std::string error;
    std::optional<std::string> contents = context.read_file(args[0].as_string(), &error);
    if (!contents) return fail(std::move(error));
    return ok(Value(std::move(*contents)));
  }
  if (name == "string") return ok(Value(*string_form(args[0])));
  if (name == "int") return to_int(args[0]);
  if (name == "float") return to_float(args[0]);
  if (auto kind = conversion_kind(name)) return to_domain(*kind, args[0]);
  return net_call(name, args);
}

}  // namespace kc::eval
