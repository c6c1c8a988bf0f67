// Refresh of stored resources through their providers' read, on a small pool of threads.
#include "runtime/plan/refresh.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "runtime/plan/compare.h"
#include "runtime/plan/provider_messages.h"
#include "runtime/state/journal.h"

namespace kc::plan {
namespace {

// A per-provider cap on reads in flight.
class Gate {
 public:
  explicit Gate(int limit) : free_(limit) {}
  void enter() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return free_ > 0; });
    --free_;
  }
  void leave() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++free_;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int free_;
};

struct Outcome {
  sdk::ReadResponse response;
  bool read = false;  // false: the provider was missing
};

std::vector<std::string> sensitive_names(const sdk::SchemaSource& schemas,
                                         const state::ResourceState& r) {
  std::set<std::string> names(r.sensitive.begin(), r.sensitive.end());
  if (const sdk::ResourceSchema* schema = schemas.find_resource(r.type)) {
    for (const sdk::AttributeSchema& a : schema->attributes) {
      if (a.sensitive) names.insert(a.name);
    }
  }
  return {names.begin(), names.end()};
}

// Reads every deposed object (few: the old objects of interrupted replacements), one at a time:
// its attributes become what the provider reports, and one reported gone is dropped, since there
// is nothing left to delete. Not drift: the plan deletes them either way.
void refresh_deposed(state::State& state, sdk::Providers& providers, diag::Diagnostics& diags) {
  std::vector<std::pair<std::string, std::string>> gone;
  for (state::DeposedObject& deposed : state.deposed) {
    state::ResourceState& r = deposed.resource;
    sdk::Provider* provider = providers.get(r.provider);
    if (!provider) {
      diags.error(diag::Code::E0504, source::Span{},
                  "cannot refresh `" + r.address + "` (deposed object " + deposed.key +
                      "): its provider `" + r.provider + "` is not available");
      continue;
    }
    sdk::ReadResponse response = provider->read({r.type, r.address, r.attributes, {}});
    if (append_provider_diagnostics(diags, response.diagnostics, source::Span{},
                                    secret_texts(r.sensitive, {&r.attributes}))) {
      continue;
    }
    if (response.state.is_null()) {
      gone.emplace_back(r.address, deposed.key);
    } else {
      r.attributes = std::move(response.state);
    }
  }
  for (const auto& [address, key] : gone)
    state.remove_deposed(address, key);
}

// The key under which adopt_pending deposes the object a pending create replaces: derived from
// the create's idempotency key, so that every run settling the same record picks the same key (a
// saved plan made from it still names the deposed object at apply time).
std::string adopted_deposed_key(const state::State& state, const state::PendingCreate& pending) {
  uint32_t seed = state::crc32(pending.key);
  while (true) {
    char key[9];
    std::snprintf(key, sizeof key, "%08x", seed);
    if (!state.find_deposed(pending.address, key)) return key;
    ++seed;
  }
}

}  // namespace

std::vector<Drift> refresh(state::State& state, sdk::Providers& providers,
                           const RefreshOptions& options, diag::Diagnostics& diags) {
  const size_t count = state.resources.size();
  std::vector<Outcome> outcomes(count);
  std::map<std::string, std::unique_ptr<Gate>> gates;
  for (const state::ResourceState& r : state.resources) {
    if (gates.count(r.provider)) continue;
    auto limit = options.max_concurrency.find(r.provider);
    int n = limit == options.max_concurrency.end() ? std::max(1, options.parallelism)
                                                   : std::max(1, limit->second);
    gates.emplace(r.provider, std::make_unique<Gate>(n));
  }

  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < count; i = next++) {
      const state::ResourceState& r = state.resources[i];
      sdk::Provider* provider = providers.get(r.provider);
      if (!provider) continue;
      Gate& gate = *gates.at(r.provider);
      gate.enter();
      outcomes[i].response = provider->read({r.type, r.address, r.attributes, {}});
      gate.leave();
      outcomes[i].read = true;
    }
  };
  size_t workers = std::min<size_t>(count, static_cast<size_t>(std::max(1, options.parallelism)));
  if (workers <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (size_t w = 0; w < workers; ++w)
      pool.emplace_back(work);
    for (std::thread& t : pool)
      t.join();
  }

  std::vector<Drift> drift;
  std::vector<std::string> gone;
  for (size_t i = 0; i < count; ++i) {
    state::ResourceState& r = state.resources[i];
    if (!outcomes[i].read) {
      diags.error(
          diag::Code::E0504, source::Span{},
          "cannot refresh `" + r.address + "`: its provider `" + r.provider + "` is not available");
      continue;
    }
    sdk::ReadResponse& response = outcomes[i].response;
    if (append_provider_diagnostics(diags, response.diagnostics, source::Span{},
                                    secret_texts(r.sensitive, {&r.attributes}))) {
      continue;
    }
    if (!response.state.is_null() && same_value(response.state, r.attributes)) continue;
    Drift d;
    d.address = r.address;
    d.type = r.type;
    d.before = r.attributes;
    d.after = response.state;
    d.action = response.state.is_null() ? Action::Delete : Action::Update;
    d.changed = changed_attributes(d.before, d.after);
    d.sensitive = sensitive_names(providers, r);
    if (d.action == Action::Delete) {
      gone.push_back(r.address);
    } else {
      r.attributes = std::move(response.state);
    }
    drift.push_back(std::move(d));
  }
  for (const std::string& address : gone)
    state.remove(address);
  refresh_deposed(state, providers, diags);
  return drift;
}

std::vector<Drift> adopt_pending(state::State& state, sdk::Providers& providers,
                                 const eval::DesiredState* desired, diag::Diagnostics& diags) {
  std::vector<Drift> adopted;
  std::vector<state::PendingCreate> settled;
  // Few records (at most one batch of creates), so they are read one at a time.
  for (const state::PendingCreate& pending : state.pending) {
    sdk::Provider* provider = providers.get(pending.provider);
    if (!provider) {
      diags.error(diag::Code::E0504, source::Span{},
                  "cannot settle the interrupted create of `" + pending.address +
                      "`: its provider `" + pending.provider + "` is not available");
      continue;
    }
    sdk::ReadRequest request{pending.type, pending.address, sdk::Value(), pending.key};
    sdk::ReadResponse response = provider->read(request);
    if (append_provider_diagnostics(diags, response.diagnostics, source::Span{}, {})) continue;
    settled.push_back(pending);
    if (response.state.is_null()) continue;  // the create never made anything
    const state::ResourceState* stored = state.find(pending.address);
    if (stored && !stored->attributes.is_null()) {
      const sdk::Value* made = response.state.find("id");
      const sdk::Value* kept = stored->attributes.find("id");
      if (made && kept && *made == *kept) continue;  // the create's record was saved after all
    }

    state::ResourceState resource;
    resource.address = pending.address;
    resource.type = pending.type;
    resource.provider = pending.provider;
    resource.attributes = response.state;
    resource.status = "ready";
    std::set<std::string> secret;
    if (const sdk::ResourceSchema* schema = providers.find_resource(pending.type)) {
      for (const sdk::AttributeSchema& a : schema->attributes) {
        if (a.sensitive) secret.insert(a.name);
      }
    }
    if (const eval::DesiredResource* declared = desired ? desired->find(pending.address) : nullptr;
        declared && declared->type == pending.type) {
      resource.dependencies = declared->depends_on;
      resource.prevent_destroy = declared->lifecycle.prevent_destroy;
      resource.rollout = declared->rollout;
      resource.hooks = declared->hooks;
      secret.insert(declared->sensitive.begin(), declared->sensitive.end());
    }
    resource.sensitive.assign(secret.begin(), secret.end());

    Drift d;
    d.address = pending.address;
    d.type = pending.type;
    d.action = Action::Create;
    if (stored) d.before = stored->attributes;
    d.after = response.state;
    d.changed = changed_attributes(d.before.is_null() ? sdk::Value::map({}) : d.before, d.after);
    d.sensitive = resource.sensitive;
    adopted.push_back(std::move(d));
    // Another object is stored at the address: the create was the first half of a
    // create_before_destroy replacement killed before it could depose the old object. The old
    // object still exists, so it becomes deposed (the next plan deletes it) instead of being
    // forgotten.
    if (stored) state.depose(pending.address, adopted_deposed_key(state, pending));
    state.upsert(std::move(resource));
  }
  for (const state::PendingCreate& pending : settled)
    state.clear_pending(pending.address);
  std::sort(adopted.begin(), adopted.end(),
            [](const Drift& a, const Drift& b) { return a.address < b.address; });
  return adopted;
}

std::map<std::string, int> max_concurrency_of(const std::vector<eval::ProviderConfig>& providers) {
  std::map<std::string, int> limits;
  for (const eval::ProviderConfig& p : providers) {
    if (!p.alias.empty() || p.config.kind() != sdk::Kind::Map) continue;
    const sdk::Value* value = p.config.find("max_concurrency");
    if (value && value->kind() == sdk::Kind::Int && value->as_int() > 0) {
      limits[p.name] = static_cast<int>(std::min<int64_t>(value->as_int(), 1 << 20));
    }
  }
  return limits;
}

}  // namespace kc::plan
