// Unit tests for the parallel executor (runtime/apply): slots and per-provider caps, retries,
// group commit through the journal, failure isolation, timeouts, interrupts and the serialised
// resolver.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "runtime/apply/apply.h"
#include "runtime/apply/retry.h"
#include "runtime/apply/scheduler.h"
#include "runtime/plan/diff.h"
#include "tests/unit/runtime_fakes.h"

using namespace kc;
using testing::machine;

namespace {

using namespace std::chrono_literals;

sdk::Value inputs() {
  return sdk::Value::map({{"cpu", 1}, {"zone", "a"}});
}

// A thread-safe fake.machine provider that counts the calls in flight and can fail or stall on
// request. Every apply_change sleeps `latency` so that parallel calls overlap.
class CountingProvider final : public sdk::Provider {
 public:
  CountingProvider() : schema_(testing::fake_schema()) {}

  std::chrono::milliseconds latency{20};
  std::map<std::string, int> fail_retryable;  // address -> transient failures before success
  std::set<std::string> fail_permanent;
  std::map<std::string, std::chrono::milliseconds> stall;  // address -> latency of its own

  std::mutex mutex;
  int in_flight = 0, max_in_flight = 0, completed = 0;
  std::map<std::string, int> calls;                      // address -> apply_change calls
  std::map<std::string, std::vector<std::string>> keys;  // address -> idempotency key per call
  std::function<void(const std::string&)> on_call;       // called at each apply_change

  const sdk::ProviderSchema& schema() const override { return schema_; }
  diag::Diagnostics configure(const sdk::ConfigureRequest&) override { return {}; }
  diag::Diagnostics validate(const sdk::ValidateRequest&) override { return {}; }
  sdk::ReadResponse read(const sdk::ReadRequest&) override { return {}; }

  sdk::PlanResponse plan_change(const sdk::PlanRequest& request) override {
    sdk::PlanResponse response;
    if (request.desired.is_null()) return response;
    sdk::Value planned = request.desired;
    for (const char* output : {"id", "ip"})
      planned = testing::with(planned, output, sdk::Value::unknown());
    response.planned = planned;
    return response;
  }

  sdk::ApplyResponse apply_change(const sdk::ApplyRequest& request) override {
    std::chrono::milliseconds sleep = latency;
    bool retry = false, fail = false;
    {
      std::lock_guard<std::mutex> lock(mutex);
      max_in_flight = std::max(max_in_flight, ++in_flight);
      ++calls[request.address];
      keys[request.address].push_back(request.idempotency_key);
      auto f = fail_retryable.find(request.address);
      if (f != fail_retryable.end() && f->second > 0) {
        --f->second;
        retry = true;
      }
      fail = fail_permanent.count(request.address) > 0;
      auto s = stall.find(request.address);
      if (s != stall.end()) sleep = s->second;
    }
    if (on_call) on_call(request.address);
    std::this_thread::sleep_for(sleep);
    sdk::ApplyResponse response;
    if (retry || fail) {
      response.diagnostics.error(diag::Code::E0504, source::Span{},
                                 retry ? "throttled, try again" : "quota exceeded");
      response.retryable = retry;
    } else if (!request.planned.is_null()) {
      response.state = testing::with(request.planned, "id", "m-" + request.address);
      response.state = testing::with(response.state, "ip", "10.0.0.1");
    }
    std::lock_guard<std::mutex> lock(mutex);
    --in_flight;
    ++completed;
    return response;
  }

 private:
  sdk::ProviderSchema schema_;
};

// Counts the journal calls; each record and sync is logged in order ("pending ADDR", "upsert
// ADDR", "remove ADDR", "sync").
class JournalBackend final : public state::Backend {
 public:
  std::mutex mutex;  // the executor calls from one thread; tests read from another
  std::vector<std::string> log;
  int records = 0, syncs = 0, saves = 0;
  bool fail_sync = false;

  std::string location() const override { return "journal"; }
  std::optional<state::State> load(const sdk::SchemaSource&, diag::Diagnostics&) override {
    return state::State{};
  }
  diag::Diagnostics save(state::State& state) override {
    std::lock_guard<std::mutex> lock(mutex);
    ++saves;
    ++state.serial;
    return {};
  }
  diag::Diagnostics record(state::State&, const state::JournalEntry& entry) override {
    std::lock_guard<std::mutex> lock(mutex);
    ++records;
    switch (entry.kind) {
      case state::JournalEntry::Kind::Pending:
        log.push_back("pending " + entry.pending.address);
        break;
      case state::JournalEntry::Kind::Upsert:
        log.push_back("upsert " + entry.resource.address);
        break;
      case state::JournalEntry::Kind::Remove:
        log.push_back("remove " + entry.address);
        break;
      case state::JournalEntry::Kind::Depose:
        log.push_back("depose " + entry.deposed.resource.address);
        break;
      case state::JournalEntry::Kind::DropDeposed:
        log.push_back("drop_deposed " + entry.address);
        break;
    }
    return {};
  }
  diag::Diagnostics sync() override {
    std::lock_guard<std::mutex> lock(mutex);
    diag::Diagnostics diags;
    if (fail_sync) {
      diags.error(diag::Code::E0505, source::Span{}, "the disk is full");
      return diags;
    }
    ++syncs;
    log.push_back("sync");
    return diags;
  }
  int sync_count() {
    std::lock_guard<std::mutex> lock(mutex);
    return syncs;
  }
  std::unique_ptr<state::StateLock> lock(std::string_view, std::chrono::milliseconds,
                                         diag::Diagnostics&) override {
    return nullptr;
  }
};

// Records events; `on_tick` lets a test act between the coordinator's rounds.
class EventProgress final : public apply::ProgressSink {
 public:
  std::vector<std::string> events;
  std::function<void(const plan::Step&)> on_start;
  std::function<void()> on_tick;
  void step_started(const plan::Step& step) override {
    events.push_back("start " + step.address);
    if (on_start) on_start(step);
  }
  void step_finished(const plan::Step& step, bool ok, std::chrono::milliseconds,
                     const sdk::Value&) override {
    events.push_back((ok ? "ok " : "failed ") + step.address);
  }
  void step_retrying(const plan::Step& step, int retry, std::chrono::milliseconds,
                     const std::string& error) override {
    events.push_back("retry " + std::to_string(retry) + " " + step.address + ": " + error);
  }
  void message(const std::string& text) override { events.push_back(text); }
  void tick() override {
    if (on_tick) on_tick();
  }
  size_t count_prefix(const std::string& prefix) const {
    return std::count_if(events.begin(), events.end(),
                         [&](const std::string& e) { return e.rfind(prefix, 0) == 0; });
  }
};

struct Fixture {
  CountingProvider provider;
  testing::FakeProviders providers;
  JournalBackend backend;
  EventProgress progress;
  eval::DesiredState desired;
  state::State state;
  apply::ApplyOptions options;

  Fixture() {
    providers.add(&provider);
    state.lineage = "lineage-1";
    options.retry.base = 1ms;
    options.retry.cap = 2ms;
  }
  void want(const std::string& label, std::vector<std::string> depends_on = {}) {
    desired.resources.push_back(testing::desired_machine(label, inputs(), std::move(depends_on)));
    std::sort(desired.resources.begin(), desired.resources.end(),
              [](const auto& a, const auto& b) { return a.address < b.address; });
  }
  void want_many(int n) {
    for (int i = 0; i < n; ++i)
      want("m" + std::to_string(i));
  }
  apply::ApplyResult run(apply::InputResolver* resolver = nullptr) {
    diag::Diagnostics diags;
    plan::Plan p = plan::make_plan(desired, state, providers, diags);
    REQUIRE(diags.empty());
    return apply::apply_plan(p, state, providers, backend, resolver, progress, options);
  }
};

}  // namespace

TEST_CASE("executor runs up to --parallelism steps at once and reaches it") {
  Fixture f;
  f.want_many(12);
  f.options.parallelism = 4;
  f.provider.latency = 60ms;
  apply::ApplyResult result = f.run();
  CHECK(result.ok());
  CHECK(result.created == 12);
  CHECK(f.provider.max_in_flight == 4);
  CHECK(f.state.resources.size() == 12);
  CHECK(f.state.pending.empty());
}

TEST_CASE("a provider's max_concurrency caps its steps below --parallelism") {
  Fixture f;
  f.want_many(9);
  f.options.parallelism = 10;
  f.options.max_concurrency["fake"] = 3;
  f.provider.latency = 60ms;
  apply::ApplyResult result = f.run();
  CHECK(result.ok());
  CHECK(result.created == 9);
  CHECK(f.provider.max_in_flight == 3);
}

TEST_CASE("parallelism 1 runs one step at a time") {
  Fixture f;
  f.want_many(4);
  f.options.parallelism = 1;
  CHECK(f.run().ok());
  CHECK(f.provider.max_in_flight == 1);
}

TEST_CASE("a retryable failure is retried with the same idempotency key") {
  Fixture f;
  f.want("flaky");
  f.provider.fail_retryable[machine("flaky")] = 2;
  apply::ApplyResult result = f.run();
  CHECK(result.ok());
  CHECK(result.created == 1);
  CHECK(f.provider.calls[machine("flaky")] == 3);
  const std::vector<std::string>& keys = f.provider.keys[machine("flaky")];
  REQUIRE(keys.size() == 3);
  CHECK(keys[0] == keys[1]);
  CHECK(keys[1] == keys[2]);
  CHECK(keys[0].rfind("lineage-1/" + machine("flaky") + "/", 0) == 0);
  CHECK(f.progress.count_prefix("retry 1 " + machine("flaky") + ": throttled") == 1);
  CHECK(f.progress.count_prefix("retry 2 " + machine("flaky")) == 1);
  CHECK(f.progress.count_prefix("retry 3") == 0);
  CHECK_FALSE(result.diagnostics.has_errors());  // the retried attempts' errors are not reported
  REQUIRE(f.state.find(machine("flaky")));
  CHECK(f.state.pending.empty());
}

TEST_CASE("a non-retryable failure fails the step after one call") {
  Fixture f;
  f.want("broken");
  f.provider.fail_permanent.insert(machine("broken"));
  apply::ApplyResult result = f.run();
  CHECK_FALSE(result.ok());
  CHECK(result.failed == 1);
  CHECK(f.provider.calls[machine("broken")] == 1);
  REQUIRE(result.failures.size() == 1);
  CHECK(result.failures[0].address == machine("broken"));
  CHECK(result.failures[0].error == "quota exceeded");
  CHECK(f.progress.count_prefix("retry") == 0);
}

TEST_CASE("retries stop after max_attempts") {
  Fixture f;
  f.want("throttled");
  f.provider.fail_retryable[machine("throttled")] = 100;
  apply::ApplyResult result = f.run();
  CHECK(result.failed == 1);
  CHECK(f.provider.calls[machine("throttled")] == 5);
  CHECK(f.progress.count_prefix("retry") == 4);
}

TEST_CASE("different creates get different idempotency keys") {
  Fixture f;
  f.want("a");
  f.want("b");
  REQUIRE(f.run().ok());
  CHECK_FALSE(f.provider.keys[machine("a")][0].empty());
  CHECK(f.provider.keys[machine("a")][0] != f.provider.keys[machine("b")][0]);
}

TEST_CASE("backoff grows exponentially up to the cap with full jitter") {
  apply::RetryPolicy policy;  // 200 ms base, 10 s cap
  uint64_t most = ~uint64_t{0};
  CHECK(apply::backoff_delay(policy, 1, 0) == 0ms);
  CHECK(apply::backoff_delay(policy, 1, 200) == 200ms);
  CHECK(apply::backoff_delay(policy, 1, 201) == 0ms);  // the draw is within [0, 200]
  CHECK(apply::backoff_delay(policy, 3, 800) == 800ms);
  CHECK(apply::backoff_delay(policy, 3, 801) == 0ms);
  for (int retry = 1; retry < 40; ++retry)
    CHECK(apply::backoff_delay(policy, retry, most) <= 10'000ms);
  CHECK(apply::backoff_delay(policy, 10, 10'000) == 10'000ms);
}

TEST_CASE("finished steps of a batch are synced once (group commit)") {
  Fixture f;
  f.want_many(10);
  f.options.parallelism = 10;
  f.provider.latency = 10ms;
  // Holds the coordinator, after it started all ten, until every provider call returned: the ten
  // outcomes are then all waiting when it next looks.
  bool held = false;
  f.progress.on_tick = [&] {
    if (held) return;
    held = true;
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard<std::mutex> lock(f.provider.mutex);
        if (f.provider.completed == 10) break;
      }
      std::this_thread::sleep_for(5ms);
    }
    std::this_thread::sleep_for(50ms);
  };
  apply::ApplyResult result = f.run();
  CHECK(result.ok());
  CHECK(result.created == 10);
  CHECK(f.backend.records == 20);  // ten pending creates, ten upserts
  CHECK(f.backend.syncs == 2);     // one for the pending batch, one for the finished batch
  CHECK(f.backend.saves == 0);     // the final save is the caller's
  CHECK(std::count(f.backend.log.begin(), f.backend.log.end(), "sync") == 2);
  CHECK(f.backend.log[10] == "sync");
  CHECK(f.backend.log.back() == "sync");
}

TEST_CASE("a dependent starts only after its dependency's record was synced") {
  Fixture f;
  f.want("a");
  f.want("b", {machine("a")});
  std::map<std::string, int> syncs_seen;
  f.provider.on_call = [&](const std::string& address) {
    syncs_seen[address] = f.backend.sync_count();
  };
  REQUIRE(f.run().ok());
  CHECK(f.backend.log == std::vector<std::string>{
                             "pending " + machine("a"), "sync", "upsert " + machine("a"), "sync",
                             "pending " + machine("b"), "sync", "upsert " + machine("b"), "sync"});
  CHECK(syncs_seen[machine("a")] == 1);
  CHECK(syncs_seen[machine("b")] == 3);
}

TEST_CASE("a failed sync stops new steps from starting") {
  Fixture f;
  f.want("a");
  f.want("b", {machine("a")});
  f.backend.fail_sync = true;
  apply::ApplyResult result = f.run();
  CHECK_FALSE(result.ok());
  CHECK(f.provider.calls.empty());  // the pending create of `a` was never durable
  CHECK(result.skipped == 2);
  CHECK(result.diagnostics.has_errors());
}

TEST_CASE("a failure skips only its dependents; the report names what each waited on") {
  Fixture f;
  f.want("base");
  f.want("child", {machine("base")});
  f.want("grandchild", {machine("child")});
  for (const char* other : {"x", "y", "z"})
    f.want(other);
  f.provider.fail_permanent.insert(machine("base"));
  apply::ApplyResult result = f.run();
  CHECK(result.failed == 1);
  CHECK(result.created == 3);
  CHECK(result.skipped == 2);
  REQUIRE(result.skips.size() == 2);
  CHECK(result.skips[0].address == machine("child"));
  CHECK(result.skips[0].waited_on == machine("base"));
  CHECK(result.skips[1].address == machine("grandchild"));
  CHECK(result.skips[1].waited_on == machine("child"));
  CHECK(f.progress.count_prefix(machine("child") + ": Skipped (waited on " + machine("base") +
                                ", which failed)") == 1);
  CHECK(f.provider.calls.count(machine("child")) == 0);
  CHECK(f.state.resources.size() == 3);
  // The failed create keeps its pending record: the provider may have made part of it.
  CHECK(f.state.find_pending(machine("base")) != nullptr);
}

TEST_CASE("a step running past its timeout fails and its late result is ignored") {
  Fixture f;
  f.want("slow");
  f.want("after", {machine("slow")});
  f.want("quick");
  f.provider.stall[machine("slow")] = 600ms;
  f.options.timeouts["fake"] = 100ms;
  auto began = std::chrono::steady_clock::now();
  apply::ApplyResult result = f.run();
  CHECK(std::chrono::steady_clock::now() - began >= 600ms);  // waited for the thread (default)
  CHECK(result.failed == 1);
  CHECK(result.abandoned == 1);
  CHECK(result.created == 1);
  CHECK(result.skipped == 1);
  REQUIRE(result.failures.size() == 1);
  CHECK(result.failures[0].address == machine("slow"));
  CHECK(result.failures[0].error.find("did not finish within 100ms") != std::string::npos);
  CHECK(f.provider.completed == 2);                 // the slow call did finish...
  CHECK(f.state.find(machine("slow")) == nullptr);  // ...but was not recorded
  CHECK(f.state.find_pending(machine("slow")) != nullptr);
  CHECK(std::count(f.backend.log.begin(), f.backend.log.end(), "upsert " + machine("slow")) == 0);
  CHECK(f.state.find(machine("quick")) != nullptr);
}

TEST_CASE("a first interrupt starts nothing new and waits for running steps") {
  Fixture f;
  f.want_many(6);
  f.options.parallelism = 2;
  f.provider.latency = 100ms;
  std::atomic<int> interrupts{0};
  f.options.interrupts = &interrupts;
  f.progress.on_start = [&](const plan::Step&) { interrupts = 1; };
  apply::ApplyResult result = f.run();
  CHECK(result.interrupted);
  CHECK_FALSE(result.ok());
  CHECK(result.created == 2);  // the two running steps finished and were recorded
  CHECK(result.skipped == 4);
  CHECK(result.abandoned == 0);
  CHECK(f.state.resources.size() == 2);
  CHECK(f.state.pending.empty());
  for (const apply::SkippedStep& s : result.skips)
    CHECK(s.waited_on.empty());
}

TEST_CASE("a second interrupt abandons running steps and keeps their pending creates") {
  Fixture f;
  f.want_many(4);
  f.options.parallelism = 2;
  f.provider.latency = 300ms;
  std::atomic<int> interrupts{0};
  f.options.interrupts = &interrupts;
  f.progress.on_start = [&](const plan::Step&) { interrupts = 2; };
  apply::ApplyResult result = f.run();
  CHECK(result.interrupted);
  CHECK(result.abandoned == 2);
  CHECK(result.created == 0);
  CHECK(result.skipped == 2);
  CHECK(f.state.resources.empty());
  CHECK(f.state.pending.size() == 2);
}

namespace {

// Fails the test if two resolve calls overlap; resolves `peer` to a fixed value.
class OverlapResolver final : public apply::InputResolver {
 public:
  std::atomic<int> inside{0}, overlaps{0}, calls{0};
  std::optional<sdk::Value> resolve(const std::string&, const state::State&,
                                    diag::Diagnostics&) override {
    if (++inside > 1) ++overlaps;
    ++calls;
    std::this_thread::sleep_for(20ms);
    --inside;
    return sdk::Value::map({{"cpu", 1}, {"zone", "a"}, {"peer", "p"}});
  }
};

}  // namespace

TEST_CASE("resolver calls are serialised across workers") {
  Fixture f;
  for (int i = 0; i < 6; ++i) {
    f.desired.resources.push_back(testing::desired_machine(
        "u" + std::to_string(i),
        sdk::Value::map({{"cpu", 1}, {"zone", "a"}, {"peer", sdk::Value::unknown()}})));
  }
  f.options.parallelism = 6;
  OverlapResolver resolver;
  apply::ApplyResult result = f.run(&resolver);
  CHECK(result.ok());
  CHECK(resolver.calls == 6);
  CHECK(resolver.overlaps == 0);
}

TEST_CASE("scheduler: caps refuse steps, cancel skips a handed-out step and its dependents") {
  std::vector<plan::Step> steps(4);
  for (int i = 0; i < 4; ++i)
    steps[i].id = i;
  steps[3].depends_on = {1};
  apply::Scheduler s(steps);
  CHECK(s.next([](size_t i) { return i != 0; }) == std::optional<size_t>(1));
  CHECK(s.next([](size_t) { return false; }) == std::nullopt);
  CHECK(s.has_ready());
  CHECK(s.next() == std::optional<size_t>(0));
  s.cancel(1);
  CHECK(s.take_skipped() == std::vector<size_t>{1, 3});
  CHECK(s.skipped_because_of(1) == std::nullopt);
  CHECK(s.skipped_because_of(3) == std::optional<size_t>(1));
  s.finish(0, false);
  CHECK(s.next() == std::optional<size_t>(2));
}
