// The sequential executor: scheduling, recording outcomes in the state, saving, counting.
#include "runtime/apply/apply.h"

#include <chrono>
#include <map>

#include "runtime/apply/scheduler.h"
#include "runtime/apply/step_runner.h"
#include "runtime/plan/provider_messages.h"

namespace kc::apply {

InputResolver::~InputResolver() = default;

namespace {

// Records a successful step in the state.
void record(state::State& state, const plan::Step& step, const plan::ResourceChange& change,
            const sdk::Value& attributes) {
  if (step.kind == plan::StepKind::Action) return;  // actions change no stored attributes
  if (step.kind == plan::StepKind::Delete) {
    // After a create_before_destroy replace the address already holds the new object.
    bool replace_cbd = change.action == plan::Action::Replace && change.create_before_destroy;
    if (!replace_cbd) state.remove(change.address);
    return;
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
  state.upsert(std::move(resource));
}

}  // namespace

ApplyResult apply_plan(const plan::Plan& plan, state::State& state, sdk::Providers& providers,
                       state::Backend& backend, InputResolver* resolver, ProgressSink& progress) {
  ApplyResult result;
  Scheduler scheduler(plan.steps);
  std::map<std::string, int> replace_halves_done;

  auto report_skipped = [&] {
    for (size_t index : scheduler.take_skipped()) {
      ++result.skipped;
      progress.message(plan.steps[index].address + ": Skipped (a step it depends on failed or " +
                       "the apply stopped)");
    }
  };

  while (std::optional<size_t> index = scheduler.next()) {
    const plan::Step& step = plan.steps[*index];
    const plan::ResourceChange* change = plan.find(step.address);
    if (!change) {
      result.diagnostics.error(
          diag::Code::E0504, source::Span{},
          "the plan has a step for `" + step.address + "` but no change for it");
      ++result.failed;
      scheduler.finish(*index, false);
      report_skipped();
      continue;
    }

    progress.step_started(step);
    auto started = std::chrono::steady_clock::now();
    StepOutcome outcome = run_step(step, *change, state, providers, resolver);
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    plan::append_provider_diagnostics(
        result.diagnostics, outcome.diagnostics, change->span,
        plan::secret_texts(change->sensitive, {&change->before, &change->after}));

    bool stop = false;
    if (outcome.ok) {
      record(state, step, *change, outcome.state);
      diag::Diagnostics saved = backend.save(state);
      result.diagnostics.append(saved);
      stop = saved.has_errors();
      switch (step.kind == plan::StepKind::Action ? plan::Action::NoOp : change->action) {
        case plan::Action::Create:
          ++result.created;
          break;
        case plan::Action::Update:
          ++result.updated;
          break;
        case plan::Action::Delete:
          ++result.deleted;
          break;
        case plan::Action::Replace:
          if (++replace_halves_done[change->address] == 2) ++result.replaced;
          break;
        case plan::Action::NoOp:
          if (step.kind == plan::StepKind::Action) ++result.actions;
          break;
      }
    } else {
      ++result.failed;
    }
    progress.step_finished(step, outcome.ok, elapsed, outcome.state);
    scheduler.finish(*index, outcome.ok);
    if (stop) {
      // The world changed but the state could not record it; going on would widen the gap.
      progress.message("Stopping: the state could not be saved to " + backend.location());
      scheduler.abort();
    }
    report_skipped();
  }
  return result;
}

}  // namespace kc::apply
