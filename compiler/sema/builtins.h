// The built-in functions (LANGUAGE.md section 6) and the standard library's intrinsics: names, what
// each takes, and a call's result type for given argument types. Pure; the checker reports errors.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/sema/types.h"

namespace kc::sema {

// Whether `name` is a built-in function the checker and evaluator implement (intrinsics included).
bool is_builtin(std::string_view name);
// Whether `name` is an intrinsic (`__net_subnet`, ...): a built-in only the standard library's
// modules may call, through the functions they declare around it.
bool is_intrinsic(std::string_view name);
// The names of the built-ins users may call (no intrinsics), for "did you mean".
std::vector<std::string> builtin_names();

// What `name` takes, as the sentence a wrong call reports ("`len` takes a list, a map or a
// string"); empty when `name` is not a built-in. The evaluator reports the same sentence when an
// `any` argument turns out to be of a kind the function does not take.
std::string builtin_usage(std::string_view name);

struct BuiltinTyping {
  std::optional<TypeId> result;  // nullopt: the arguments do not fit
  std::string error;             // then: builtin_usage(name)
};

// The type of `name(args...)`; Error and Any arguments are accepted without complaint.
BuiltinTyping builtin_type(TypeTable& types, std::string_view name,
                           const std::vector<TypeId>& args);

}  // namespace kc::sema
