// The parallel executor: one coordinator thread (the caller) schedules steps, journals their
// outcomes and reports progress; every running step has a worker thread of its own calling
// run_step. A thread per step rather than a fixed pool so that a step given up on (timeout, second
// interrupt) frees its slot at once while its thread finishes, or is left behind, on its own.
#include "runtime/apply/apply.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <shared_mutex>
#include <thread>

#include "runtime/apply/scheduler.h"
#include "runtime/apply/step_runner.h"
#include "runtime/plan/provider_messages.h"

namespace kc::apply {

InputResolver::~InputResolver() = default;

namespace {

using Clock = std::chrono::steady_clock;

// One step handed to a worker. The coordinator owns every field except `outcome` and `ended`,
// which the worker writes before it queues the task (the queue's mutex orders the two).
struct Task {
  size_t index = 0;
  const plan::Step* step = nullptr;
  const plan::ResourceChange* change = nullptr;
  StepContext context;
  Clock::time_point started, deadline, ended;
  std::atomic<bool> abandoned{false};  // set by the coordinator, read by the worker's retries
  StepOutcome outcome;
  std::thread thread;
};

struct RetryNote {
  size_t index;
  int retry;
  std::chrono::milliseconds wait;
  std::string error;
};

// What the coordinator and the workers share. Owned jointly (shared_ptr) so that a worker left
// running after apply_plan returned still finds it.
struct Shared {
  std::mutex mutex;  // guards `finished` and `retries`
  std::condition_variable wake;
  std::deque<std::shared_ptr<Task>> finished;
  std::vector<RetryNote> retries;
  // Guards the caller's State: workers read it (through the resolver) under a shared lock; the
  // coordinator takes it exclusively while it changes the state or hands it to the backend.
  std::shared_mutex state_mutex;
  bool closed = false;  // under state_mutex: apply_plan returned; the state is no longer ours
  // The InputResolver (the CLI re-evaluates the module) is not thread-safe: one call at a time.
  std::mutex resolver_mutex;
};

uint64_t thread_random() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return generator();
}

// "LINEAGE/ADDRESS/NONCE": unique per create, so that a provider can recognise its retries.
std::string idempotency_key(const state::State& state, const std::string& address) {
  std::random_device device;
  char nonce[40];
  std::snprintf(nonce, sizeof nonce, "%08x%08x%08x%08x", device(), device(), device(), device());
  return state.lineage + "/" + address + "/" + nonce;
}

// A deposed key for `address` not yet used in `state`: 8 random hex digits.
std::string new_deposed_key(const state::State& state, const std::string& address) {
  std::random_device device;
  while (true) {
    char key[9];
    std::snprintf(key, sizeof key, "%08x", device());
    if (!state.find_deposed(address, key)) return key;
  }
}

// Applies a successful step to `state`; returns the journal entries describing it, in order.
// `deposed_keys` maps the address of each create_before_destroy replacement whose create half has
// succeeded in this run to the key its old object was deposed under.
std::vector<state::JournalEntry> apply_to_state(state::State& state, const plan::Step& step,
                                                const plan::ResourceChange& change,
                                                const sdk::Value& attributes,
                                                std::map<std::string, std::string>& deposed_keys) {
  std::vector<state::JournalEntry> entries;
  if (step.kind == plan::StepKind::Action) return entries;  // actions change no attributes
  bool replace_cbd = change.action == plan::Action::Replace && change.create_before_destroy;
  if (step.kind == plan::StepKind::Delete) {
    // The old object of a create_before_destroy replace was deposed when its successor was made;
    // a deposed object of an earlier run carries its key in the plan.
    std::string key = change.deposed;
    if (replace_cbd) {
      auto it = deposed_keys.find(change.address);
      if (it == deposed_keys.end()) return entries;  // nothing was stored to depose
      key = it->second;
    }
    state::JournalEntry entry;
    entry.address = change.address;
    if (!key.empty()) {
      state.remove_deposed(change.address, key);
      entry.kind = state::JournalEntry::Kind::DropDeposed;
      entry.deposed.resource.address = change.address;
      entry.deposed.key = key;
    } else {
      state.remove(change.address);
      entry.kind = state::JournalEntry::Kind::Remove;
    }
    entries.push_back(std::move(entry));
    return entries;
  }
  if (step.kind == plan::StepKind::Create && replace_cbd) {
    // The address's record is about to name the new object: the old one, which still exists,
    // moves to the deposed list first. Recorded before the upsert, so that a run killed between
    // the two records leaves the old object deposed and the new one pending: both named.
    if (const state::ResourceState* old = state.find(change.address)) {
      state::JournalEntry depose;
      depose.kind = state::JournalEntry::Kind::Depose;
      depose.address = change.address;
      depose.deposed = {new_deposed_key(state, change.address), *old};
      deposed_keys[change.address] = depose.deposed.key;
      state.depose(change.address, depose.deposed.key);
      entries.push_back(std::move(depose));
    }
  }
  state::ResourceState resource;
  resource.address = change.address;
  resource.type = change.type;
  resource.provider = change.provider;
  resource.attributes = attributes;
  resource.dependencies = change.depends_on;
  resource.sensitive = change.sensitive;
  resource.prevent_destroy = change.prevent_destroy;
  resource.rollout = change.rollout;
  resource.hooks = change.hooks;
  resource.status = "ready";
  state.upsert(resource);
  state.clear_pending(change.address);  // the create it journaled has settled
  state::JournalEntry entry;
  entry.kind = state::JournalEntry::Kind::Upsert;
  entry.address = change.address;
  entry.resource = std::move(resource);
  entries.push_back(std::move(entry));
  return entries;
}

// "100ms" below a second or for odd milliseconds, else the progress lines' "1m30s".
std::string duration_text(std::chrono::milliseconds d) {
  if (d.count() < 1000 || d.count() % 1000 != 0) return std::to_string(d.count()) + "ms";
  return format_elapsed(d);
}

std::string first_error(const diag::Diagnostics& diags) {
  for (const diag::Diagnostic& d : diags.all()) {
    if (d.severity == diag::Severity::Error) return d.message;
  }
  return "failed";
}

class Executor {
 public:
  Executor(const plan::Plan& plan, state::State& state, sdk::Providers& providers,
           state::Backend& backend, InputResolver* resolver, ProgressSink& progress,
           const ApplyOptions& options)
      : plan_(plan),
        state_(state),
        providers_(providers),
        backend_(backend),
        resolver_(resolver),
        progress_(progress),
        options_(options),
        scheduler_(plan.steps),
        shared_(std::make_shared<Shared>()) {}

  ApplyResult run();

 private:
  void check_interrupts();
  void dispatch();
  void start(const std::shared_ptr<Task>& task);
  bool wait_and_collect();
  void finish_batch(std::deque<std::shared_ptr<Task>> done);
  void check_timeouts();
  void give_up(const std::shared_ptr<Task>& task);
  void report_skipped();
  void stop_starting(const std::string& why);
  bool record(const state::JournalEntry& entry);  // under the exclusive state lock
  std::chrono::milliseconds timeout_of(const std::string& provider) const;
  int cap_of(const std::string& provider) const;
  void release_slot(const Task& task);

  const plan::Plan& plan_;
  state::State& state_;
  sdk::Providers& providers_;
  state::Backend& backend_;
  InputResolver* resolver_;
  ProgressSink& progress_;
  const ApplyOptions& options_;
  Scheduler scheduler_;
  std::shared_ptr<Shared> shared_;

  ApplyResult result_;
  std::map<size_t, std::shared_ptr<Task>> running_;  // by step index; not given up on
  std::vector<std::shared_ptr<Task>> abandoned_;     // given up on, thread maybe still running
  std::map<std::string, int> active_;                // running steps per provider
  std::map<std::string, int> replace_halves_done_;
  std::map<std::string, std::string> deposed_keys_;  // see apply_to_state
  std::set<size_t> failed_;
  bool stopping_ = false;  // no new step starts (failed journal write, interrupt)
  int interrupts_seen_ = 0;
};

std::chrono::milliseconds Executor::timeout_of(const std::string& provider) const {
  auto it = options_.timeouts.find(provider);
  return it == options_.timeouts.end() ? options_.default_timeout : it->second;
}

int Executor::cap_of(const std::string& provider) const {
  auto it = options_.max_concurrency.find(provider);
  return it == options_.max_concurrency.end() ? 0 : it->second;
}

void Executor::release_slot(const Task& task) {
  --active_[task.change->provider];
}

bool Executor::record(const state::JournalEntry& entry) {
  diag::Diagnostics recorded = backend_.record(state_, entry);
  bool ok = !recorded.has_errors();
  result_.diagnostics.append(recorded);
  return ok;
}

void Executor::stop_starting(const std::string& why) {
  if (!stopping_) progress_.message(why);
  stopping_ = true;
  scheduler_.abort();
}

void Executor::report_skipped() {
  for (size_t index : scheduler_.take_skipped()) {
    ++result_.skipped;
    const std::string& address = plan_.steps[index].address;
    std::optional<size_t> cause = scheduler_.skipped_because_of(index);
    SkippedStep skip{address, cause ? plan_.steps[*cause].address : std::string()};
    if (!cause) {
      progress_.message(address + ": Not started (the apply stopped)");
    } else {
      progress_.message(address + ": Skipped (waited on " + skip.waited_on +
                        (failed_.count(*cause) ? ", which failed)" : ", which did not run)"));
    }
    result_.skips.push_back(std::move(skip));
  }
}

void Executor::check_interrupts() {
  int level = options_.interrupts ? options_.interrupts->load() : 0;
  if (level >= 1 && interrupts_seen_ < 1) {
    interrupts_seen_ = 1;
    result_.interrupted = true;
    stop_starting("Interrupted: no new step starts; waiting for " +
                  std::to_string(running_.size()) +
                  " running step(s) to finish (interrupt again to stop waiting).");
    report_skipped();
  }
  if (level >= 2 && interrupts_seen_ < 2) {
    interrupts_seen_ = 2;
    result_.interrupted = true;
    auto running = running_;
    for (auto& [index, task] : running) {
      progress_.message(task->step->address +
                        ": Abandoned while running; its outcome is unknown (the next refresh "
                        "finds out)");
      ++result_.abandoned;
      result_.failures.push_back({task->step->address, "abandoned while running (interrupted)"});
      give_up(task);
    }
  }
}

void Executor::give_up(const std::shared_ptr<Task>& task) {
  task->abandoned = true;
  release_slot(*task);
  running_.erase(task->index);
  abandoned_.push_back(task);
}

void Executor::dispatch() {
  if (stopping_) return;
  size_t limit = static_cast<size_t>(std::max(1, options_.parallelism));
  std::vector<std::shared_ptr<Task>> batch;
  while (running_.size() + batch.size() < limit) {
    std::optional<size_t> index = scheduler_.next([&](size_t i) {
      const plan::ResourceChange* change =
          plan_.find(plan_.steps[i].address, plan_.steps[i].deposed);
      if (!change) return true;  // fails at once below
      int cap = cap_of(change->provider);
      return cap <= 0 || active_[change->provider] < cap;
    });
    if (!index) break;
    const plan::Step& step = plan_.steps[*index];
    const plan::ResourceChange* change = plan_.find(step.address, step.deposed);
    if (!change) {
      result_.diagnostics.error(
          diag::Code::E0504, source::Span{},
          "the plan has a step for `" + step.address + "` but no change for it");
      ++result_.failed;
      result_.failures.push_back({step.address, "the plan has no change for it"});
      failed_.insert(*index);
      scheduler_.finish(*index, false);
      continue;
    }
    auto task = std::make_shared<Task>();
    task->index = *index;
    task->step = &step;
    task->change = change;
    if (!change->deposed.empty()) {
      // A deposed object's steps act on that object (a copy: the worker never reads the state).
      if (const state::DeposedObject* deposed =
              state_.find_deposed(change->address, change->deposed)) {
        task->context.stored = deposed->resource;
      }
    } else if (const state::ResourceState* stored = state_.find(change->address)) {
      task->context.stored = *stored;  // a copy: the worker never reads the shared state
    }
    if (step.kind == plan::StepKind::Create) {
      task->context.idempotency_key = idempotency_key(state_, change->address);
    }
    ++active_[change->provider];
    batch.push_back(std::move(task));
  }
  if (batch.empty()) return;

  // Journal the creates about to start, then make them durable with one sync for the batch.
  bool journaled = true, any = false;
  {
    std::unique_lock<std::shared_mutex> lock(shared_->state_mutex);
    for (const auto& task : batch) {
      if (task->step->kind != plan::StepKind::Create) continue;
      state::PendingCreate pending{task->change->address, task->change->type,
                                   task->change->provider, task->context.idempotency_key};
      state_.add_pending(pending);
      state::JournalEntry entry;
      entry.kind = state::JournalEntry::Kind::Pending;
      entry.address = pending.address;
      entry.pending = std::move(pending);
      any = true;
      if (!record(entry)) {
        journaled = false;
        break;
      }
    }
    if (any && journaled) {
      diag::Diagnostics synced = backend_.sync();
      journaled = !synced.has_errors();
      result_.diagnostics.append(synced);
    }
  }
  if (!journaled) {
    for (const auto& task : batch) {
      release_slot(*task);
      scheduler_.cancel(task->index);
    }
    stop_starting("Stopping: the state could not be saved to " + backend_.location());
    return;
  }
  for (const auto& task : batch)
    start(task);
}

void Executor::start(const std::shared_ptr<Task>& task) {
  Shared* shared = shared_.get();
  Task* raw = task.get();
  StepContext& context = task->context;
  context.retry = options_.retry;
  context.random = thread_random;
  context.abandoned = [raw] { return raw->abandoned.load(); };
  context.on_retry = [shared, raw](int retry, std::chrono::milliseconds wait,
                                   const std::string& error) {
    {
      std::lock_guard<std::mutex> lock(shared->mutex);
      shared->retries.push_back({raw->index, retry, wait, error});
    }
    shared->wake.notify_one();
  };
  if (resolver_) {
    InputResolver* resolver = resolver_;
    state::State* state = &state_;
    context.resolve = [shared, resolver, state](
                          const std::string& address,
                          diag::Diagnostics& diags) -> std::optional<sdk::Value> {
      std::lock_guard<std::mutex> serial(shared->resolver_mutex);
      std::shared_lock<std::shared_mutex> reading(shared->state_mutex);
      if (shared->closed) {
        diags.error(diag::Code::E0504, source::Span{},
                    "cannot compute the inputs of `" + address + "`: the apply has stopped");
        return std::nullopt;
      }
      return resolver->resolve(address, *state, diags);
    };
  }
  progress_.step_started(*task->step);
  task->started = Clock::now();
  task->deadline = task->started + timeout_of(task->change->provider);
  running_[task->index] = task;
  sdk::Providers* providers = &providers_;
  std::shared_ptr<Shared> owner = shared_;
  task->thread = std::thread([owner, task, providers] {
    StepOutcome outcome = run_step(*task->step, *task->change, *providers, task->context);
    {
      std::lock_guard<std::mutex> lock(owner->mutex);
      task->outcome = std::move(outcome);
      task->ended = Clock::now();
      owner->finished.push_back(task);
    }
    owner->wake.notify_one();
  });
}

// Waits until a step finishes, a retry is announced, a deadline passes or ~100 ms went by; then
// handles what arrived. Returns false when nothing is running any more.
bool Executor::wait_and_collect() {
  if (running_.empty()) return false;
  Clock::time_point until = Clock::now() + std::chrono::milliseconds(100);
  for (const auto& [index, task] : running_)
    until = std::min(until, task->deadline);
  std::deque<std::shared_ptr<Task>> done;
  std::vector<RetryNote> retries;
  {
    std::unique_lock<std::mutex> lock(shared_->mutex);
    shared_->wake.wait_until(
        lock, until, [&] { return !shared_->finished.empty() || !shared_->retries.empty(); });
    done.swap(shared_->finished);
    retries.swap(shared_->retries);
  }
  for (const RetryNote& note : retries) {
    if (!running_.count(note.index)) continue;  // given up on meanwhile
    progress_.step_retrying(plan_.steps[note.index], note.retry, note.wait, note.error);
  }
  finish_batch(std::move(done));
  check_timeouts();
  return true;
}

void Executor::finish_batch(std::deque<std::shared_ptr<Task>> done) {
  std::vector<std::shared_ptr<Task>> batch;
  for (auto& task : done) {
    if (task->abandoned) {
      // A late result of a step given up on: ignored, never recorded. Its thread has ended.
      auto it = std::find(abandoned_.begin(), abandoned_.end(), task);
      if (it != abandoned_.end()) {
        (*it)->thread.join();
        abandoned_.erase(it);
      }
      continue;
    }
    task->thread.join();
    running_.erase(task->index);
    release_slot(*task);
    batch.push_back(std::move(task));
  }
  if (batch.empty()) return;

  // Record every outcome of the batch, then sync once, then release dependents.
  bool journaled = true, any = false;
  {
    std::unique_lock<std::shared_mutex> lock(shared_->state_mutex);
    for (const auto& task : batch) {
      if (!task->outcome.ok) continue;
      for (const state::JournalEntry& entry :
           apply_to_state(state_, *task->step, *task->change, task->outcome.state, deposed_keys_)) {
        any = true;
        if (journaled && !record(entry)) journaled = false;
      }
    }
    if (any && journaled) {
      diag::Diagnostics synced = backend_.sync();
      journaled = !synced.has_errors();
      result_.diagnostics.append(synced);
    }
  }
  for (const auto& task : batch) {
    const plan::Step& step = *task->step;
    const plan::ResourceChange& change = *task->change;
    diag::Diagnostics reported;
    plan::append_provider_diagnostics(
        reported, task->outcome.diagnostics, change.span,
        plan::secret_texts(change.sensitive, {&change.before, &change.after}));
    if (task->outcome.ok) {
      switch (step.kind == plan::StepKind::Action ? plan::Action::NoOp : change.action) {
        case plan::Action::Create:
          ++result_.created;
          break;
        case plan::Action::Update:
          ++result_.updated;
          break;
        case plan::Action::Delete:
          ++result_.deleted;
          break;
        case plan::Action::Replace:
          if (++replace_halves_done_[change.address] == 2) ++result_.replaced;
          break;
        case plan::Action::NoOp:
          if (step.kind == plan::StepKind::Action) ++result_.actions;
          break;
      }
    } else {
      ++result_.failed;
      failed_.insert(task->index);
      result_.failures.push_back({step.address, first_error(reported)});
    }
    result_.diagnostics.append(reported);
    auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(task->ended - task->started);
    progress_.step_finished(step, task->outcome.ok, elapsed, task->outcome.state);
    scheduler_.finish(task->index, task->outcome.ok);
  }
  if (!journaled) {
    // The world changed but the state could not record it; going on would widen the gap.
    stop_starting("Stopping: the state could not be saved to " + backend_.location());
  }
  report_skipped();
}

void Executor::check_timeouts() {
  Clock::time_point now = Clock::now();
  std::vector<std::shared_ptr<Task>> late;
  for (const auto& [index, task] : running_) {
    if (now >= task->deadline) late.push_back(task);
  }
  for (const auto& task : late) {
    const plan::ResourceChange& change = *task->change;
    std::chrono::milliseconds limit = timeout_of(change.provider);
    std::string message = "`" + change.address + "` did not finish within " + duration_text(limit) +
                          " (the provider's `timeout`); its outcome is unknown until the next "
                          "refresh";
    result_.diagnostics.error(diag::Code::E0504, change.span, message);
    ++result_.failed;
    ++result_.abandoned;
    failed_.insert(task->index);
    result_.failures.push_back({change.address, message});
    give_up(task);
    progress_.step_finished(
        *task->step, false,
        std::chrono::duration_cast<std::chrono::milliseconds>(now - task->started), sdk::Value());
    scheduler_.finish(task->index, false);
  }
  if (!late.empty()) report_skipped();
}

ApplyResult Executor::run() {
  Clock::time_point began = Clock::now();
  progress_.begin(plan_.steps.size());
  while (true) {
    check_interrupts();
    dispatch();
    report_skipped();
    progress_.tick();
    if (!wait_and_collect()) break;
  }
  {
    // From now on the caller owns the state again: a straggler may no longer read it.
    std::unique_lock<std::shared_mutex> lock(shared_->state_mutex);
    shared_->closed = true;
  }
  for (auto& task : abandoned_) {
    if (options_.wait_for_abandoned) {
      task->thread.join();
    } else {
      task->thread.detach();
    }
  }
  abandoned_.clear();
  report_skipped();
  progress_.end();
  result_.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - began);
  return std::move(result_);
}

}  // namespace

ApplyResult apply_plan(const plan::Plan& plan, state::State& state, sdk::Providers& providers,
                       state::Backend& backend, InputResolver* resolver, ProgressSink& progress,
                       const ApplyOptions& options) {
  Executor executor(plan, state, providers, backend, resolver, progress, options);
  return executor.run();
}

}  // namespace kc::apply
