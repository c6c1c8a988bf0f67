// How syntax errors (E0101) name what the parser expected: a set of token kinds in words, as a
// person would say it ("an expression", "`,` or `]`", "a field name").
#pragma once

#include <string>
#include <vector>

#include "compiler/syntax/lexer.h"

namespace kc::syntax {

// The parts of the description, most specific first: {"`,`", "`]`"}, {"an expression"}. Tokens
// that would only continue what came before (operators, `.`, `?`) are left out when anything else
// would do. END stands for the end of the file.
std::vector<std::string> expected_parts(std::vector<TokenKind> expected);

// "a", "a or b", "a, b or c"; "something else" for none.
std::string join_alternatives(const std::vector<std::string>& parts);

}  // namespace kc::syntax
