// Refresh of stored resources through their providers' read.
#include "runtime/plan/refresh.h"

#include "runtime/plan/compare.h"
#include "runtime/plan/provider_messages.h"

namespace kc::plan {

std::vector<std::string> refresh(state::State& state, sdk::Providers& providers,
                                 diag::Diagnostics& diags) {
  std::vector<std::string> drifted;
  std::vector<std::string> gone;
  for (state::ResourceState& r : state.resources) {
    sdk::Provider* provider = providers.get(r.provider);
    if (!provider) {
      diags.error(
          diag::Code::E0504, source::Span{},
          "cannot refresh `" + r.address + "`: its provider `" + r.provider + "` is not available");
      continue;
    }
    sdk::ReadResponse response = provider->read({r.type, r.address, r.attributes});
    if (append_provider_diagnostics(diags, response.diagnostics, source::Span{},
                                    secret_texts(r.sensitive, {&r.attributes}))) {
      continue;
    }
    if (response.state.is_null()) {
      gone.push_back(r.address);
      drifted.push_back(r.address);
    } else if (!same_value(response.state, r.attributes)) {
      r.attributes = std::move(response.state);
      drifted.push_back(r.address);
    }
  }
  for (const std::string& address : gone)
    state.remove(address);
  return drifted;
}

}  // namespace kc::plan
