// Inline suppressions: `# kc:ignore RULE[, RULE...] [-- reason]` silences those rules on the next
// line holding code (or on its own line when it trails code); `# kc:ignore-file RULE` in the whole
// file. Each rule named is one Ignore, so an unused one can be reported on its own.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/lint/rule.h"
#include "compiler/source/source.h"
#include "compiler/syntax/ast.h"

namespace kc::lint {

struct Ignore {
  source::Span comment;    // the whole comment
  source::Span name_span;  // the rule name in it (the directive when it names none)
  std::string rule_name;   // as written; empty when the directive names no rule
  std::optional<Rule> rule;
  bool file_wide = false;
  uint32_t line = 0;  // the 1-based line it silences; 0 for file-wide ignores
  bool trailing = false;
  bool used = false;
};

std::vector<Ignore> find_ignores(const ast::File& file, const source::SourceFile& text);

}  // namespace kc::lint
