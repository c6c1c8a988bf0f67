// What a rule family sees (Context: the linted modules, the checked program, the evaluated values)
// and how it reports (Reporter: applies the configured severity; findings outside the linted
// files, such as in the standard library, are dropped).
#pragma once

#include <deque>
#include <set>
#include <string>
#include <vector>

#include "compiler/lint/lint.h"
#include "compiler/lint/rule.h"

namespace kc::lint {

class Context {
 public:
  Context(const LintInput& input, const diag::Diagnostics& compile);

  const LintInput& input() const { return input_; }
  const source::SourceManager& sources() const { return *input_.sources; }
  const sema::CheckedProgram& checked() const { return *input_.checked; }
  const eval::DesiredState* desired() const { return input_.desired; }
  const sdk::SchemaSource& schemas() const { return *input_.schemas; }
  const LintConfig& config() const { return *input_.config; }
  const diag::Diagnostics& compile() const { return compile_; }

  // The modules whose files are linted: the root module and the modules it imports that are not
  // part of the standard library.
  const std::vector<uint32_t>& modules() const { return modules_; }
  bool linted(source::FileId file) const { return files_.count(file) > 0; }
  bool is_std(uint32_t module) const;
  const ast::File& file(uint32_t module, uint32_t file) const {
    return *checked().source(module).files[file];
  }
  // The checker's type of an expression (Error when it has none).
  sema::TypeId type_of(uint32_t module, uint32_t file, ast::ExprId expr) const;
  // The schema a type names after optionals and refinements are peeled off, or nullptr.
  const sema::SchemaInfo* schema_of(sema::TypeId type) const;
  // A schema of the prelude (std/cluster) by name, or nullptr.
  const sema::SchemaInfo* prelude_schema(std::string_view name) const;
  // Whether `schema` is `base` or extends it.
  bool extends(const sema::SchemaInfo* schema, const sema::SchemaInfo* base) const;

 private:
  const LintInput& input_;
  const diag::Diagnostics& compile_;
  std::vector<uint32_t> modules_;
  std::set<source::FileId> files_;
};

class Reporter {
 public:
  explicit Reporter(const Context& context) : context_(context) {}

  // A finding of `rule` at `span`. Returns a scratch diagnostic (dropped) when the rule is off for
  // that file or the span lies outside the linted files, so builders can always be chained.
  diag::Diagnostic& report(Rule rule, source::Span span, std::string message);

  std::deque<diag::Diagnostic>& findings() { return findings_; }

 private:
  const Context& context_;
  std::deque<diag::Diagnostic> findings_;  // stable addresses: builders may be kept
  diag::Diagnostic sink_;
};

// A rule family: one file of related rules.
using RuleFamily = void (*)(const Context&, Reporter&);
struct FamilyEntry {
  const char* name;
  RuleFamily run;
};
// Every family, in the order they run.
const std::vector<FamilyEntry>& rule_families();

// The families (one rules_<family>.cpp each).
void cluster_rules(const Context& context, Reporter& out);
void network_rules(const Context& context, Reporter& out);
void rollout_rules(const Context& context, Reporter& out);
void version_rules(const Context& context, Reporter& out);
void name_rules(const Context& context, Reporter& out);
void field_rules(const Context& context, Reporter& out);
void label_rules(const Context& context, Reporter& out);

}  // namespace kc::lint
