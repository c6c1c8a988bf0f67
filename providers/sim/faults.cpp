// SimProvider's fault injection: transient failures drawn from `failure_rate` and permanent ones
// injected by `kc sim fail`.
#include "providers/sim/faults.h"

#include <string>

#include "providers/sim/chance.h"
#include "providers/sim/kind.h"
#include "providers/sim/sim_provider.h"
#include "providers/sim/world_store.h"

namespace kc::sim {

bool SimProvider::transient_failure(const std::string& address, std::string_view operation,
                                    diag::Diagnostics& diagnostics) {
  double rate = 0;
  int64_t seed = 1;
  int64_t attempt = 0;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    rate = failure_rate_;
    seed = seed_;
    if (rate <= 0) return false;
    // Counted per address and operation, so the draws do not depend on how threads interleave.
    attempt = attempts_[std::string(operation) + " " + address]++;
  }
  const double draw =
      stable_chance({"failure", std::to_string(seed), address, operation, std::to_string(attempt)});
  if (draw >= rate) return false;
  address_error(diagnostics, address,
                "simulated transient failure of `" + std::string(operation) + "` (attempt " +
                    std::to_string(attempt + 1) + "; provider `sim` has a `failure_rate`)")
      .with_note("the simulated cloud did not change; trying again may work");
  return true;
}

bool SimProvider::injected_failure(const std::string& address, const std::string& id,
                                   std::string_view operation, diag::Diagnostics& diagnostics) {
  diag::Diagnostics ignored;
  const SimWorld* world = store_->current(ignored);
  if (world == nullptr) return false;  // the change itself reports the unreadable world
  std::string marked;
  for (const std::string& key : {address, id}) {
    if (!key.empty() && world->has_flag(key, kFailFlag)) {
      marked = key;
      break;
    }
  }
  if (marked.empty()) return false;
  store_->modify(
      [&](SimWorld& next, diag::Diagnostics&) {
        next.begin_change(&run_, address);
        next.set_flag(marked, kFailFlag, false);
        next.log("fault.fail", marked, {{"operation", std::string(operation)}});
        return true;
      },
      diagnostics);
  address_error(diagnostics, address,
                "simulated permanent failure of `" + std::string(operation) +
                    "`, injected with `kc sim fail " + marked + "`")
      .with_note("the simulated cloud did not change; the mark is used up, so the next try runs");
  return true;
}

}  // namespace kc::sim
