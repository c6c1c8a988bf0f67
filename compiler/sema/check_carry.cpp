// The checker's side of carrying modules over from an earlier check (check.h, PriorCheck).
#include <set>

#include "compiler/sema/carry_over.h"
#include "compiler/sema/checker.h"

namespace kc::sema {

void Checker::carry_prior() {
  TypeCarrier carrier(*prior_->types, types_);
  std::set<source::FileId> carried_files;
  for (uint32_t m = 0; m < program_.modules.size(); ++m) {
    if (m >= prior_->carry.size() || !prior_->carry[m] || m >= prior_->modules->size()) continue;
    carried_[m] = true;
    CheckedModule& module = out_.modules[m] = carry_module((*prior_->modules)[m], carrier);
    // run() typed everything of the module in the earlier check.
    states_[m].assign(module.symbols.size(), State::Done);
    for (const auto& [s, info] : module.schemas) {
      schema_states_[{m, s}] = State::Done;
      body_states_[{m, s}] = State::Done;
      for (size_t i = 0; i < info.lets.size(); ++i)
        let_states_[{m, s, i}] = State::Done;
    }
    for (const ast::File* file : program_.modules[m].files)
      carried_files.insert(file->file);
  }
  // Checking a module reports only in its own files, so these are exactly its diagnostics.
  if (prior_->diagnostics == nullptr) return;
  for (const diag::Diagnostic& d : prior_->diagnostics->all()) {
    if (d.span.valid() && carried_files.count(d.span.file) > 0) diags_.add(d);
  }
}

}  // namespace kc::sema
