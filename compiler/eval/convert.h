// Converts a value to a declared type where the language allows it implicitly: ints to floats and
// strings to domain types (LANGUAGE.md 3). Used for params given on the command line.
#pragma once

#include <optional>
#include <string>

#include "compiler/sema/types.h"
#include "providers/sdk/value.h"

namespace kc::eval {

// nullopt with `error` set ("expected `int`, found a string") when the value does not fit.
std::optional<sdk::Value> convert(const sdk::Value& value, sema::TypeId type,
                                  const sema::TypeTable& types, std::string* error);

// Parses `text` as the domain type `kind` (Duration ... Cidr).
std::optional<sdk::Value> parse_domain(sema::TypeKind kind, const std::string& text,
                                       std::string* error);

}  // namespace kc::eval
