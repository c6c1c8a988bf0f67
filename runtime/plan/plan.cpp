// Plan queries.
#include "runtime/plan/plan.h"

#include <algorithm>

namespace kc::plan {

Summary summarize(const std::vector<ResourceChange>& changes) {
  Summary summary;
  for (const ResourceChange& c : changes) {
    switch (c.action) {
      case Action::Create:
        ++summary.create;
        break;
      case Action::Update:
        ++summary.update;
        break;
      case Action::Replace:
        ++summary.replace;
        break;
      case Action::Delete:
        ++summary.destroy;
        break;
      case Action::NoOp:
        ++summary.unchanged;
        break;
    }
  }
  return summary;
}

bool Plan::has_changes() const {
  return std::any_of(changes.begin(), changes.end(),
                     [](const ResourceChange& c) { return c.action != Action::NoOp; });
}

const ResourceChange* Plan::find(std::string_view address) const {
  auto it = std::lower_bound(
      changes.begin(), changes.end(), address,
      [](const ResourceChange& c, std::string_view a) { return std::string_view(c.address) < a; });
  return it != changes.end() && it->address == address ? &*it : nullptr;
}

}  // namespace kc::plan
