// Typing of built-in calls (builtins.h). Each function lists what it takes in its error message,
// so a wrong call says how to write a right one.
#include "compiler/sema/builtins.h"

#include <fmt/format.h>

#include <array>

#include "compiler/sema/operators.h"

namespace kc::sema {
namespace {

constexpr std::array<std::string_view, 16> kNames = {
    "len",  "range", "keys",    "values", "contains", "lower", "upper", "trim",
    "join", "split", "replace", "min",    "max",      "sum",   "sort",  "unique"};

bool loose(TypeKind k) {
  return k == TypeKind::Error || k == TypeKind::Any;
}

bool ordered(TypeKind k) {
  return k == TypeKind::Int || k == TypeKind::Float || k == TypeKind::String ||
         k == TypeKind::Duration || k == TypeKind::Bytes || k == TypeKind::Percent ||
         k == TypeKind::Version;
}

class Typer {
 public:
  Typer(TypeTable& types, std::string_view name, const std::vector<TypeId>& args)
      : types_(types), name_(name), args_(args) {}

  BuiltinTyping run() {
    if (name_ == "len") return len();
    if (name_ == "range") return range();
    if (name_ == "keys" || name_ == "values") return keys_values();
    if (name_ == "contains") return contains();
    if (name_ == "lower" || name_ == "upper" || name_ == "trim") {
      return strings(1, "a string", prim(TypeKind::String));
    }
    if (name_ == "split") return strings(2, "a string and a separator", list(TypeKind::String));
    if (name_ == "replace") {
      return strings(3, "a string, the text to replace and its replacement",
                     prim(TypeKind::String));
    }
    if (name_ == "join") return join();
    if (name_ == "min" || name_ == "max") return min_max();
    if (name_ == "sum") return sum();
    return sort_unique();  // sort, unique
  }

 private:
  TypeId prim(TypeKind k) { return types_.primitive(k); }
  TypeId list(TypeKind k) { return types_.list_of(prim(k)); }
  TypeKind kind(size_t i) const { return types_.kind(args_[i]); }
  TypeId element(size_t i) const { return types_.get(args_[i]).element; }

  BuiltinTyping takes(std::string what) {
    return {std::nullopt, fmt::format("`{}` takes {}", name_, what)};
  }
  BuiltinTyping gives(TypeId type) { return {type, {}}; }

  BuiltinTyping len() {
    if (args_.size() == 1 &&
        (loose(kind(0)) || kind(0) == TypeKind::List || kind(0) == TypeKind::Map ||
         kind(0) == TypeKind::Record || kind(0) == TypeKind::String)) {
      return gives(prim(TypeKind::Int));
    }
    return takes("a list, a map or a string");
  }

  BuiltinTyping range() {
    if (args_.empty() || args_.size() > 3)
      return takes("1 to 3 integers: end, start and end, or start, end and step");
    for (size_t i = 0; i < args_.size(); ++i) {
      if (!loose(kind(i)) && kind(i) != TypeKind::Int) {
        return takes("1 to 3 integers: end, start and end, or start, end and step");
      }
    }
    return gives(list(TypeKind::Int));
  }

  BuiltinTyping keys_values() {
    if (args_.size() != 1) return takes("one map");
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
        return takes("one map");
    }
  }

  BuiltinTyping contains() {
    if (args_.size() != 2) return takes("a list and a value, a map and a key, or two strings");
    if (loose(kind(0)) || loose(kind(1))) return gives(prim(TypeKind::Bool));
    bool fits = false;
    if (kind(0) == TypeKind::List) {
      fits = types_.assignable(args_[1], element(0)) || types_.assignable(element(0), args_[1]);
    } else if (kind(0) == TypeKind::Map || kind(0) == TypeKind::Record ||
               kind(0) == TypeKind::String) {
      fits = kind(1) == TypeKind::String;
    }
    if (fits) return gives(prim(TypeKind::Bool));
    return takes("a list and a value, a map and a key, or two strings");
  }

  BuiltinTyping strings(size_t count, std::string what, TypeId result) {
    if (args_.size() != count) return takes(what);
    for (size_t i = 0; i < count; ++i) {
      if (!loose(kind(i)) && kind(i) != TypeKind::String) return takes(what);
    }
    return gives(result);
  }

  BuiltinTyping join() {
    std::string what = "a list of strings and a separator";
    if (args_.size() != 2) return takes(what);
    bool list_ok = loose(kind(0)) ||
                   (kind(0) == TypeKind::List && (loose(types_.kind(element(0))) ||
                                                  types_.kind(element(0)) == TypeKind::String ||
                                                  types_.kind(element(0)) == TypeKind::Never));
    if (!list_ok || (!loose(kind(1)) && kind(1) != TypeKind::String)) return takes(what);
    return gives(prim(TypeKind::String));
  }

  // min/max of one list, or of several values of one ordered type.
  BuiltinTyping min_max() {
    std::string what = "a list of ordered values, or several values of one ordered type";
    if (args_.size() == 1) {
      if (loose(kind(0))) return gives(types_.any());
      // An empty list: the evaluator reports it, at the call.
      if (kind(0) == TypeKind::List && types_.kind(element(0)) == TypeKind::Never) {
        return gives(types_.any());
      }
      if (kind(0) == TypeKind::List && ordered(types_.kind(element(0)))) return gives(element(0));
      return takes(what);
    }
    if (args_.empty()) return takes(what);
    TypeId common = prim(TypeKind::Never);
    for (TypeId arg : args_) {
      if (loose(types_.kind(arg))) return gives(types_.any());
      common = common_type(types_, common, arg);
    }
    if (!ordered(types_.kind(common))) return takes(what);
    return gives(common);
  }

  BuiltinTyping sum() {
    std::string what = "a list of numbers, durations or sizes";
    if (args_.size() != 1) return takes(what);
    if (loose(kind(0))) return gives(types_.any());
    if (kind(0) != TypeKind::List) return takes(what);
    TypeKind e = types_.kind(element(0));
    if (e == TypeKind::Never) return gives(prim(TypeKind::Int));
    if (e == TypeKind::Int || e == TypeKind::Float || e == TypeKind::Duration ||
        e == TypeKind::Bytes || loose(e)) {
      return gives(element(0));
    }
    return takes(what);
  }

  BuiltinTyping sort_unique() {
    bool sort = name_ == "sort";
    std::string what = sort ? "a list of ordered values" : "a list";
    if (args_.size() != 1) return takes(what);
    if (loose(kind(0))) return gives(args_[0]);
    if (kind(0) != TypeKind::List) return takes(what);
    TypeKind e = types_.kind(element(0));
    if (sort && !ordered(e) && !loose(e) && e != TypeKind::Never) return takes(what);
    return gives(args_[0]);
  }

  TypeTable& types_;
  std::string_view name_;
  const std::vector<TypeId>& args_;
};

}  // namespace

bool is_builtin(std::string_view name) {
  for (std::string_view n : kNames) {
    if (n == name) return true;
  }
  return false;
}

std::vector<std::string> builtin_names() {
  return {kNames.begin(), kNames.end()};
}

BuiltinTyping builtin_type(TypeTable& types, std::string_view name,
                           const std::vector<TypeId>& args) {
  return Typer(types, name, args).run();
}

}  // namespace kc::sema
