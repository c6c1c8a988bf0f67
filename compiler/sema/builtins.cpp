// Typing of built-in calls (builtins.h). Each function's error message says what it takes, so a
// wrong call says how to write a right one; compiler/eval/builtins.cpp accepts the same arguments.
#include "compiler/sema/builtins.h"

#include <fmt/format.h>

#include "compiler/sema/operators.h"

namespace kc::sema {
namespace {

struct Builtin {
  std::string_view name;
  std::string_view takes;  // completes "`name` takes ..."
  bool intrinsic = false;
};

constexpr Builtin kBuiltins[] = {
    {"len", "a list, a map or a string"},
    {"range", "1 to 3 integers: end, start and end, or start, end and step"},
    {"keys", "one map"},
    {"values", "one map"},
    {"contains", "a list and a value, a map and a key, or two strings"},
    {"lower", "a string"},
    {"upper", "a string"},
    {"trim", "a string"},
    {"join", "a list of strings and a separator"},
    {"split", "a string and a separator"},
    {"replace", "a string, the text to replace and its replacement"},
    {"min", "a list of ordered values, or several values of one ordered type"},
    {"max", "a list of ordered values, or several values of one ordered type"},
    {"sum", "a list of numbers, durations or sizes"},
    {"sort", "a list of ordered values"},
    {"unique", "a list"},
    {"flatten", "a list of lists"},
    {"merge", "two or more maps"},
    {"format", "a template string and one value with a string form for each `{}` in it"},
    {"matches", "a string and a regular expression"},
    {"to_json", "one value"},
    {"to_yaml", "one value"},
    {"from_json", "a string of JSON"},
    {"from_yaml", "a string of YAML"},
    {"sha256", "a string"},
    {"base64", "a string"},
    {"file", "a path relative to the root module's directory"},
    {"string", "a value with a string form: a string, bool, number or domain value"},
    {"int", "an int, a float (truncated toward zero) or a string of decimal digits"},
    {"float", "an int, a float or a string holding a number"},
    {"duration", "a duration, or a string such as \"5m\""},
    {"bytes", "a size, or a string such as \"512Mi\""},
    {"percent", "a percent, or a string such as \"40%\""},
    {"version", "a version, or a string such as \"v1.29.4\""},
    {"ip", "an ip, or a string such as \"10.0.0.1\""},
    {"cidr", "a cidr, or a string such as \"10.0.0.0/16\""},
    {"__net_subnet", "a cidr, the number of bits to add to its prefix and a subnet number", true},
    {"__net_host", "a cidr and a host number", true},
    {"__net_contains", "a cidr and an ip, a cidr or a string holding one", true},
    {"__net_overlaps", "two cidrs", true},
};

const Builtin* find(std::string_view name) {
  for (const Builtin& b : kBuiltins) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

bool loose(TypeKind k) {
  return k == TypeKind::Error || k == TypeKind::Any;
}

bool ordered(TypeKind k) {
  return k == TypeKind::Int || k == TypeKind::Float || k == TypeKind::String ||
         k == TypeKind::Duration || k == TypeKind::Bytes || k == TypeKind::Percent ||
         k == TypeKind::Version;
}

// The domain type a conversion function of that name makes.
std::optional<TypeKind> conversion_kind(std::string_view name) {
  if (name == "duration") return TypeKind::Duration;
  if (name == "bytes") return TypeKind::Bytes;
  if (name == "percent") return TypeKind::Percent;
  if (name == "version") return TypeKind::Version;
  if (name == "ip") return TypeKind::Ip;
  if (name == "cidr") return TypeKind::Cidr;
  return std::nullopt;
}

class Typer {
 public:
  Typer(TypeTable& types, std::string_view name, const std::vector<TypeId>& args)
      : types_(types), name_(name), args_(args) {}

  BuiltinTyping run() {
    if (find(name_) == nullptr) {
      return {std::nullopt, fmt::format("`{}` is not a built-in function", name_)};
    }
    if (name_ == "len") return len();
    if (name_ == "range") return range();
    if (name_ == "keys" || name_ == "values") return keys_values();
    if (name_ == "contains") return contains();
    if (name_ == "lower" || name_ == "upper" || name_ == "trim" || name_ == "sha256" ||
        name_ == "base64" || name_ == "file") {
      return strings(1, prim(TypeKind::String));
    }
    if (name_ == "split") return strings(2, list(TypeKind::String));
    if (name_ == "replace") return strings(3, prim(TypeKind::String));
    if (name_ == "matches") return strings(2, prim(TypeKind::Bool));
    if (name_ == "from_json" || name_ == "from_yaml") return strings(1, types_.any());
    if (name_ == "join") return join();
    if (name_ == "min" || name_ == "max") return min_max();
    if (name_ == "sum") return sum();
    if (name_ == "sort" || name_ == "unique") return sort_unique();
    if (name_ == "flatten") return flatten();
    if (name_ == "merge") return merge();
    if (name_ == "format") return format();
    if (name_ == "to_json" || name_ == "to_yaml") return encode();
    if (name_ == "string") return to_string();
    if (name_ == "int" || name_ == "float") return number();
    if (auto kind = conversion_kind(name_)) return domain(*kind);
    return net();
  }

 private:
  TypeId prim(TypeKind k) { return types_.primitive(k); }
  TypeId list(TypeKind k) { return types_.list_of(prim(k)); }
  TypeKind kind(size_t i) const { return types_.kind(args_[i]); }
  TypeId element(size_t i) const { return types_.get(args_[i]).element; }
  // Whether argument i is loose or of kind k.
  bool is(size_t i, TypeKind k) const { return loose(kind(i)) || kind(i) == k; }

  BuiltinTyping takes() { return {std::nullopt, builtin_usage(name_)}; }
  BuiltinTyping gives(TypeId type) { return {type, {}}; }

  BuiltinTyping len() {
    if (args_.size() == 1 &&
        (loose(kind(0)) || kind(0) == TypeKind::List || kind(0) == TypeKind::Map ||
         kind(0) == TypeKind::Record || kind(0) == TypeKind::String)) {
      return gives(prim(TypeKind::Int));
    }
    return takes();
  }

  BuiltinTyping range() {
    if (args_.empty() || args_.size() > 3) return takes();
    for (size_t i = 0; i < args_.size(); ++i) {
      if (!is(i, TypeKind::Int)) return takes();
    }
    return gives(list(TypeKind::Int));
  }

  BuiltinTyping keys_values() {
    if (args_.size() != 1) return takes();
    bool keys = name_ == "keys";
    switch (kind(0)) {
      case TypeKind::Error:
      case TypeKind::Any:
        return gives(keys ? list(TypeKind::String) : types_.list_of(types_.any()));
      case TypeKind::Map:
        return gives(keys ? list(TypeKind::String) : types_.list_of(element(0)));
      case TypeKind::Record: {
        if (keys) return gives(list(TypeKind::String));
        TypeId common = prim(TypeKind::Never);
        for (const auto& field : types_.get(args_[0]).fields)
          common = common_type(types_, common, field.second);
        return gives(types_.list_of(common));
      }
      default:
        return takes();
    }
  }

  BuiltinTyping contains() {
    if (args_.size() != 2) return takes();
    if (loose(kind(0)) || loose(kind(1))) return gives(prim(TypeKind::Bool));
    bool fits = false;
    if (kind(0) == TypeKind::List) {
      fits = types_.assignable(args_[1], element(0)) || types_.assignable(element(0), args_[1]);
    } else if (kind(0) == TypeKind::Map || kind(0) == TypeKind::Record ||
               kind(0) == TypeKind::String) {
      fits = kind(1) == TypeKind::String;
    }
    if (fits) return gives(prim(TypeKind::Bool));
    return takes();
  }

  BuiltinTyping strings(size_t count, TypeId result) {
    if (args_.size() != count) return takes();
    for (size_t i = 0; i < count; ++i) {
      if (!is(i, TypeKind::String)) return takes();
    }
    return gives(result);
  }

  BuiltinTyping join() {
    if (args_.size() != 2) return takes();
    bool list_ok = loose(kind(0)) ||
                   (kind(0) == TypeKind::List && (loose(types_.kind(element(0))) ||
                                                  types_.kind(element(0)) == TypeKind::String ||
                                                  types_.kind(element(0)) == TypeKind::Never));
    if (!list_ok || !is(1, TypeKind::String)) return takes();
    return gives(prim(TypeKind::String));
  }

  // min/max of one list, or of several values of one ordered type.
  BuiltinTyping min_max() {
    if (args_.size() == 1) {
      if (loose(kind(0))) return gives(types_.any());
      // An empty list: the evaluator reports it, at the call.
      if (kind(0) == TypeKind::List && types_.kind(element(0)) == TypeKind::Never) {
        return gives(types_.any());
      }
      if (kind(0) == TypeKind::List && ordered(types_.kind(element(0)))) return gives(element(0));
      return takes();
    }
    if (args_.empty()) return takes();
    TypeId common = prim(TypeKind::Never);
    for (TypeId arg : args_) {
      if (loose(types_.kind(arg))) return gives(types_.any());
      common = common_type(types_, common, arg);
    }
    if (!ordered(types_.kind(common))) return takes();
    return gives(common);
  }

  BuiltinTyping sum() {
    if (args_.size() != 1) return takes();
    if (loose(kind(0))) return gives(types_.any());
    if (kind(0) != TypeKind::List) return takes();
    TypeKind e = types_.kind(element(0));
    if (e == TypeKind::Never) return gives(prim(TypeKind::Int));
    if (e == TypeKind::Int || e == TypeKind::Float || e == TypeKind::Duration ||
        e == TypeKind::Bytes || loose(e)) {
      return gives(element(0));
    }
    return takes();
  }

  BuiltinTyping sort_unique() {
    bool sort = name_ == "sort";
    if (args_.size() != 1) return takes();
    if (loose(kind(0))) return gives(args_[0]);
    if (kind(0) != TypeKind::List) return takes();
    TypeKind e = types_.kind(element(0));
    if (sort && !ordered(e) && !loose(e) && e != TypeKind::Never) return takes();
    return gives(args_[0]);
  }

  // flatten([[T]]) -> [T]: one level.
  BuiltinTyping flatten() {
    if (args_.size() != 1) return takes();
    if (loose(kind(0))) return gives(types_.list_of(types_.any()));
    if (kind(0) != TypeKind::List) return takes();
    TypeId inner = element(0);
    switch (types_.kind(inner)) {
      case TypeKind::Never:  // flatten([])
        return gives(args_[0]);
      case TypeKind::Error:
      case TypeKind::Any:
        return gives(types_.list_of(types_.any()));
      case TypeKind::List:
        return gives(types_.list_of(types_.get(inner).element));
      default:
        return takes();
    }
  }

  // merge(m1, m2, ...): maps or untyped records; the values' common type.
  BuiltinTyping merge() {
    if (args_.size() < 2) return takes();
    TypeId common = prim(TypeKind::Never);
    bool any = false;
    for (size_t i = 0; i < args_.size(); ++i) {
      if (loose(kind(i))) {
        any = true;
      } else if (kind(i) == TypeKind::Map) {
        common = common_type(types_, common, element(i));
      } else if (kind(i) == TypeKind::Record) {
        for (const auto& field : types_.get(args_[i]).fields)
          common = common_type(types_, common, field.second);
      } else {
        return takes();
      }
    }
    return gives(types_.map_of(any ? types_.any() : common));
  }

  BuiltinTyping format() {
    if (args_.empty() || !is(0, TypeKind::String)) return takes();
    for (size_t i = 1; i < args_.size(); ++i) {
      if (!has_string_form(types_, args_[i])) return takes();
    }
    return gives(prim(TypeKind::String));
  }

  BuiltinTyping encode() {
    if (args_.size() != 1 || kind(0) == TypeKind::Module) return takes();
    return gives(prim(TypeKind::String));
  }

  BuiltinTyping to_string() {
    if (args_.size() != 1 || !has_string_form(types_, args_[0])) return takes();
    return gives(prim(TypeKind::String));
  }

  BuiltinTyping number() {
    if (args_.size() != 1) return takes();
    if (!loose(kind(0)) && kind(0) != TypeKind::Int && kind(0) != TypeKind::Float &&
        kind(0) != TypeKind::String) {
      return takes();
    }
    return gives(prim(name_ == "int" ? TypeKind::Int : TypeKind::Float));
  }

  BuiltinTyping domain(TypeKind result) {
    if (args_.size() != 1 || (!is(0, TypeKind::String) && kind(0) != result)) return takes();
    return gives(prim(result));
  }

  BuiltinTyping net() {
    if (name_ == "__net_subnet") {
      if (args_.size() != 3 || !is(0, TypeKind::Cidr) || !is(1, TypeKind::Int) ||
          !is(2, TypeKind::Int)) {
        return takes();
      }
      return gives(prim(TypeKind::Cidr));
    }
    if (name_ == "__net_host") {
      if (args_.size() != 2 || !is(0, TypeKind::Cidr) || !is(1, TypeKind::Int)) return takes();
      return gives(prim(TypeKind::Ip));
    }
    if (name_ == "__net_contains") {
      if (args_.size() != 2 || !is(0, TypeKind::Cidr) ||
          !(is(1, TypeKind::Ip) || kind(1) == TypeKind::Cidr || is(1, TypeKind::String))) {
        return takes();
      }
      return gives(prim(TypeKind::Bool));
    }
    // __net_overlaps
    if (args_.size() != 2 || !is(0, TypeKind::Cidr) || !is(1, TypeKind::Cidr)) return takes();
    return gives(prim(TypeKind::Bool));
  }

  TypeTable& types_;
  std::string_view name_;
  const std::vector<TypeId>& args_;
};

}  // namespace

bool is_builtin(std::string_view name) {
  return find(name) != nullptr;
}

bool is_intrinsic(std::string_view name) {
  const Builtin* b = find(name);
  return b != nullptr && b->intrinsic;
}

std::vector<std::string> builtin_names() {
  std::vector<std::string> names;
  for (const Builtin& b : kBuiltins) {
    if (!b.intrinsic) names.emplace_back(b.name);
  }
  return names;
}

std::string builtin_usage(std::string_view name) {
  const Builtin* b = find(name);
  if (b == nullptr) return {};
  // An intrinsic is named as the std/net function that wraps it: `net.contains`.
  std::string shown(name);
  if (shown.starts_with("__net_")) shown = "net." + shown.substr(6);
  return fmt::format("`{}` takes {}", shown, b->takes);
}

BuiltinTyping builtin_type(TypeTable& types, std::string_view name,
                           const std::vector<TypeId>& args) {
  return Typer(types, name, args).run();
}

}  // namespace kc::sema
