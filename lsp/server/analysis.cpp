// One compile-and-lint of a module for the editor.
#include "lsp/server/analysis.h"

#include <filesystem>

#include "compiler/lint/lint_module.h"

namespace kc::lsp {

std::string absolute_source_path(const std::string& display_path) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(display_path, ec);
  return ec ? display_path : absolute.lexically_normal().string();
}

Analysis analyze_module(const std::string& module_dir, const AnalysisInputs& inputs,
                        AnalysisCaches caches) {
  Analysis analysis;
  driver::CompileOptions options;
  options.path = module_dir;
  options.stdlib_dirs = *inputs.stdlib_dirs;
  analysis.compilation =
      std::make_unique<driver::Compilation>(options, *inputs.schemas, *inputs.fs);
  driver::Compilation& compilation = *analysis.compilation;
  compilation.use_parse_cache(caches.parse);
  if (caches.parse != nullptr) compilation.use_check_cache(caches.check);
  compilation.check();
  diag::Diagnostics& compile = compilation.diagnostics();
  if (compilation.checked() != nullptr && !compile.has_errors()) {
    size_t errors_before = compile.error_count();
    eval::DesiredState desired = compilation.evaluate(eval::EvalInputs{}, compile);
    if (compile.error_count() == errors_before) analysis.desired = std::move(desired);
  }
  lint::ModuleLintInput lint_input;
  lint_input.module_dir = &compilation.module_dir();
  lint_input.stdlib_dirs = inputs.stdlib_dirs;
  lint_input.checked = compilation.checked();
  lint_input.desired = analysis.desired ? &*analysis.desired : nullptr;
  lint_input.schemas = inputs.schemas;
  lint_input.today = lint::days_since_epoch_today();
  lint_input.tables = caches.tables;
  analysis.diagnostics = lint::lint_module(compilation.sources(), lint_input, compile);
  const source::SourceManager& sources = compilation.sources();
  for (source::FileId id = 0; id < sources.size(); ++id)
    analysis.paths.push_back(absolute_source_path(sources.file(id).path()));
  return analysis;
}

}  // namespace kc::lsp
