// Plan queries.
#include "runtime/plan/plan.h"

#include <algorithm>
#include <tuple>
#include <utility>

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

bool change_before(const ResourceChange& a, const ResourceChange& b) {
  return std::tie(a.address, a.deposed) < std::tie(b.address, b.deposed);
}

const ResourceChange* Plan::find(std::string_view address, std::string_view deposed) const {
  using Key = std::pair<std::string_view, std::string_view>;
  auto it = std::lower_bound(changes.begin(), changes.end(), Key{address, deposed},
                             [](const ResourceChange& c, const Key& k) {
                               return Key{c.address, c.deposed} < k;
                             });
  return it != changes.end() && it->address == address && it->deposed == deposed ? &*it : nullptr;
}

}  // namespace kc::plan
