// The built-in functions the checker types so far (LANGUAGE.md section 6): their names and the
// result type of a call for given argument types. Pure; the checker reports what they reject.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/sema/types.h"

namespace kc::sema {

// Whether `name` is a built-in function the checker and evaluator implement.
bool is_builtin(std::string_view name);
// Their names, for "did you mean".
std::vector<std::string> builtin_names();

struct BuiltinTyping {
  std::optional<TypeId> result;  // nullopt: the arguments do not fit
  std::string error;             // then: what the function takes ("`len` takes ...")
};

// The type of `name(args...)`; Error and Any arguments are accepted without complaint.
BuiltinTyping builtin_type(TypeTable& types, std::string_view name,
                           const std::vector<TypeId>& args);

}  // namespace kc::sema
