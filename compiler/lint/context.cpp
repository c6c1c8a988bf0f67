// The rule families' view of a compilation, and the reporter that applies the configuration.
#include "compiler/lint/context.h"

namespace kc::lint {

Context::Context(const LintInput& input, const diag::Diagnostics& compile)
    : input_(input), compile_(compile) {
  const sema::Program& program = *checked().program;
  for (uint32_t m = 0; m < program.modules.size(); ++m) {
    if (is_std(m)) continue;
    modules_.push_back(m);
    for (const ast::File* file : program.modules[m].files)
      files_.insert(file->file);
  }
}

bool Context::is_std(uint32_t module) const {
  const sema::Program& program = *checked().program;
  if (static_cast<int32_t>(module) == program.prelude) return true;
  const std::string& name = program.modules[module].name;
  return module != program.root && name.rfind("std/", 0) == 0;
}

sema::TypeId Context::type_of(uint32_t module, uint32_t file, ast::ExprId expr) const {
  const auto& types = checked().modules[module].expr_types;
  if (file < types.size() && expr.index < types[file].size()) return types[file][expr.index];
  return sema::TypeId{};
}

const sema::SchemaInfo* Context::schema_of(sema::TypeId type) const {
  sema::TypeId core = checked().types.core(type);
  if (checked().types.kind(core) != sema::TypeKind::Schema) return nullptr;
  return checked().schema(core);
}

const sema::SchemaInfo* Context::prelude_schema(std::string_view name) const {
  int32_t prelude = checked().program->prelude;
  if (prelude < 0) return nullptr;
  const sema::CheckedModule& module = checked().modules[static_cast<size_t>(prelude)];
  const sema::Symbol* symbol = module.find(name);
  if (symbol == nullptr || symbol->kind != sema::SymbolKind::Schema) return nullptr;
  return schema_of(symbol->type);
}

bool Context::extends(const sema::SchemaInfo* schema, const sema::SchemaInfo* base) const {
  for (int depth = 0; schema != nullptr && depth < 64; ++depth) {
    if (schema == base) return true;
    if (schema->parent_module < 0 || schema->parent_symbol < 0) return false;
    const auto& schemas = checked().modules[static_cast<size_t>(schema->parent_module)].schemas;
    auto it = schemas.find(static_cast<uint32_t>(schema->parent_symbol));
    schema = it == schemas.end() ? nullptr : &it->second;
  }
  return false;
}

diag::Diagnostic& Reporter::report(Rule rule, source::Span span, std::string message) {
  sink_ = diag::Diagnostic{};
  if (!span.valid() || !context_.linted(span.file)) return sink_;
  std::optional<diag::Severity> severity =
      context_.config().severity(rule, context_.sources().file(span.file).path());
  if (!severity) return sink_;
  diag::Diagnostic diagnostic;
  diagnostic.severity = *severity;
  diagnostic.rule = std::string(rule_info(rule).name);
  diagnostic.span = span;
  diagnostic.message = std::move(message);
  findings_.push_back(std::move(diagnostic));
  return findings_.back();
}

const std::vector<FamilyEntry>& rule_families() {
  static const std::vector<FamilyEntry> families = {
      {"cluster", cluster_rules},  {"network", network_rules}, {"rollout", rollout_rules},
      {"versions", version_rules}, {"names", name_rules},      {"fields", field_rules},
      {"labels", label_rules},
  };
  return families;
}

}  // namespace kc::lint
