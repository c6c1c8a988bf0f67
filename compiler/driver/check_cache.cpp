// Checked programs by root module, lent to the next check of the same root.
#include "compiler/driver/check_cache.h"

#include <algorithm>

namespace kc::driver {

std::optional<sema::PriorCheck> CheckCache::prior(const std::string& root_key,
                                                  const sema::Program& program,
                                                  const sdk::SchemaSource& schemas) {
  auto it = entries_.find(root_key);
  if (it == entries_.end() || it->second.schemas != &schemas) return std::nullopt;
  const Entry& entry = it->second;
  sema::PriorCheck prior;
  prior.types = &entry.checked->types;
  prior.modules = &entry.checked->modules;
  prior.carry = sema::unchanged_modules(entry.program, program);
  prior.diagnostics = &entry.diagnostics;
  return prior;
}

void CheckCache::store(const std::string& root_key, const sema::Program& program,
                       std::vector<std::shared_ptr<const ast::File>> files,
                       std::shared_ptr<const sema::CheckedProgram> checked,
                       diag::Diagnostics diagnostics, const sdk::SchemaSource& schemas,
                       size_t reused) {
  last_reused_ = reused;
  last_checked_ = program.modules.size() - reused;
  // Diagnostics are lent by the files they point into; one without a place could not be.
  bool placed = std::all_of(diagnostics.all().begin(), diagnostics.all().end(),
                            [](const diag::Diagnostic& d) { return d.span.valid(); });
  if (!placed) {
    entries_.erase(root_key);
    return;
  }
  entries_[root_key] =
      Entry{program, std::move(files), std::move(checked), std::move(diagnostics), &schemas};
}

}  // namespace kc::driver
