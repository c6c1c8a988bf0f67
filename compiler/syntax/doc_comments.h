// Doc comments (LANGUAGE.md section 2): the `##` lines right above a declaration, schema item,
// enum member or body item become its `doc`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/syntax/ast.h"

namespace kc::syntax {

// The doc of the construct whose first token starts at byte `begin`; `after` is where the token
// before it ends (0 at the start of the file). The doc is the run of `##` comments, each alone on
// its line, that ends on the line right above, with no blank line in between; each loses its `##`
// and one space after it, and they are joined with `\n`. Empty when there is none.
std::string doc_comment(const std::vector<ast::Comment>& comments, std::string_view text,
                        uint32_t after, uint32_t begin);

}  // namespace kc::syntax
