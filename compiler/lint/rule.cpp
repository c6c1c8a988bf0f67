// The rule table built from rules.def.
#include "compiler/lint/rule.h"

#include <string>

namespace kc::lint {

const std::vector<RuleInfo>& all_rules() {
  using diag::Severity;
  static const std::vector<RuleInfo> rules = {
#define KC_LINT_RULE(ident, name, severity, family, summary, help) \
  RuleInfo{Rule::ident, name, Severity::severity, family, summary, help},
#include "compiler/lint/rules.def"
#undef KC_LINT_RULE
  };
  return rules;
}

const RuleInfo& rule_info(Rule rule) {
  return all_rules()[static_cast<size_t>(rule)];
}

std::optional<Rule> find_rule(std::string_view name) {
  for (const RuleInfo& info : all_rules()) {
    if (info.name == name) return info.rule;
  }
  return std::nullopt;
}

std::vector<std::string> rule_names() {
  std::vector<std::string> names;
  for (const RuleInfo& info : all_rules())
    names.emplace_back(info.name);
  return names;
}

}  // namespace kc::lint
