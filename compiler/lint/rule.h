// The lint rules as data: identifiers, names, default severities and help texts from rules.def.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"

namespace kc::lint {

enum class Rule : uint16_t {
#define KC_LINT_RULE(ident, name, severity, family, summary, help) ident,
#include "compiler/lint/rules.def"
#undef KC_LINT_RULE
};

struct RuleInfo {
  Rule rule;
  std::string_view name;  // kebab-case, as configurations and `# kc:ignore` name it
  diag::Severity severity;
  std::string_view family;  // groups rules in docs/lint/README.md
  std::string_view summary;
  std::string_view help;
};

// Every rule, in registry order.
const std::vector<RuleInfo>& all_rules();
const RuleInfo& rule_info(Rule rule);
std::optional<Rule> find_rule(std::string_view name);
// Every rule name, for "did you mean" suggestions.
std::vector<std::string> rule_names();

}  // namespace kc::lint
