// One step's provider calls: resolve, plan again where needed, apply, retrying transient failures.
#include "runtime/apply/step_runner.h"

#include <thread>

namespace kc::apply {
namespace {

bool is_input(const sdk::ResourceSchema* schema, const std::string& name) {
  if (!schema) return true;
  const sdk::AttributeSchema* attribute = schema->find(name);
  return !attribute || attribute->is_input();
}

// True when an input attribute of `planned` is (or holds) an unknown. Without a schema every
// unknown is taken for an output, which the provider fills in.
bool has_unknown_inputs(const sdk::Value& planned, const sdk::ResourceSchema* schema) {
  if (!schema || planned.kind() != sdk::Kind::Map) return false;
  for (const auto& [name, value] : planned.as_map()) {
    if (is_input(schema, name) && value.contains_unknown()) return true;
  }
  return false;
}

sdk::Value inputs_of(const sdk::Value& planned, const sdk::ResourceSchema* schema) {
  if (planned.kind() != sdk::Kind::Map) return planned;
  sdk::Entries entries;
  for (const auto& [name, value] : planned.as_map()) {
    if (is_input(schema, name)) entries.emplace_back(name, value);
  }
  return sdk::Value::map(std::move(entries));
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names)
    out += (out.empty() ? "`" : ", `") + n + "`";
  return out;
}

std::string first_error(const diag::Diagnostics& diags) {
  for (const diag::Diagnostic& d : diags.all()) {
    if (d.severity == diag::Severity::Error) return d.message;
  }
  return "failed";
}

// Sleeps `wait` in short slices so that an abandoned step stops waiting soon.
void pause(std::chrono::milliseconds wait, const StepContext& context) {
  auto until = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < until) {
    if (context.abandoned && context.abandoned()) return;
    auto left = until - std::chrono::steady_clock::now();
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(20)));
  }
}

// Calls `call` (returning a response with `diagnostics` and `retryable`) until it succeeds, fails
// for good, runs out of attempts, or the step is abandoned. Only the last response is returned, so
// the diagnostics of attempts that were retried are not reported.
template <class Call>
auto with_retries(Call call, const StepContext& context, int& attempts) {
  int max_attempts = std::max(1, context.retry.max_attempts);
  for (int attempt = 1;; ++attempt) {
    ++attempts;
    auto response = call();
    if (!response.diagnostics.has_errors() || !response.retryable || attempt >= max_attempts ||
        (context.abandoned && context.abandoned())) {
      return response;
    }
    uint64_t random = context.random ? context.random() : 0;
    std::chrono::milliseconds wait = backoff_delay(context.retry, attempt, random);
    if (context.on_retry) context.on_retry(attempt, wait, first_error(response.diagnostics));
    pause(wait, context);
    if (context.abandoned && context.abandoned()) return response;
  }
}

}  // namespace

StepOutcome run_step(const plan::Step& step, const plan::ResourceChange& change,
                     sdk::Providers& providers, const StepContext& context) {
  StepOutcome outcome;
  diag::Diagnostics& diags = outcome.diagnostics;
  auto fail = [&](std::string message) {
    diags.error(diag::Code::E0504, change.span, std::move(message));
    return std::move(outcome);
  };
  sdk::Provider* provider = providers.get(change.provider);
  if (!provider) {
    return fail("cannot apply `" + change.address + "`: its provider `" + change.provider +
                "` is not available");
  }
  const state::ResourceState* stored = context.stored ? &*context.stored : nullptr;
  bool replace_cbd = change.action == plan::Action::Replace && change.create_before_destroy;

  switch (step.kind) {
    case plan::StepKind::Delete: {
      // With create_before_destroy the state already holds the new object; delete the old one.
      sdk::Value prior = stored && !replace_cbd ? stored->attributes : change.before;
      sdk::ApplyResponse response = with_retries(
          [&] {
            return provider->apply_change({change.type, change.address, prior, sdk::Value(), {}});
          },
          context, outcome.attempts);
      diags.append(response.diagnostics);
      outcome.ok = !response.diagnostics.has_errors();
      return outcome;
    }
    case plan::StepKind::Create:
    case plan::StepKind::Update: {
      bool create = step.kind == plan::StepKind::Create;
      sdk::Value prior = create ? sdk::Value() : stored ? stored->attributes : change.before;
      const sdk::ResourceSchema* schema = providers.find_resource(change.type);
      sdk::Value planned = change.after;
      std::optional<sdk::Value> desired;
      if (has_unknown_inputs(planned, schema)) {
        if (!context.resolve) {
          return fail("cannot apply `" + change.address +
                      "`: some of its inputs are known only after apply and nothing can "
                      "compute them");
        }
        desired = context.resolve(change.address, diags);
        if (!desired) {
          if (!diags.has_errors()) {
            return fail("cannot compute the inputs of `" + change.address + "`");
          }
          return outcome;
        }
      } else if (create && change.action == plan::Action::Replace) {
        desired = inputs_of(planned, schema);
      }
      if (desired) {
        sdk::PlanResponse response =
            provider->plan_change({change.type, change.address, prior, *desired});
        diags.append(response.diagnostics);
        if (response.diagnostics.has_errors()) return outcome;
        if (!create && !response.requires_replace.empty()) {
          return fail("`" + change.address + "` now needs replacement because of " +
                      joined(response.requires_replace) + "; run `kc plan` again");
        }
        planned = std::move(response.planned);
        if (has_unknown_inputs(planned, schema)) {
          return fail("inputs of `" + change.address +
                      "` are still unknown after its dependencies were applied");
        }
      }
      std::string key = create ? context.idempotency_key : std::string();
      sdk::ApplyResponse response = with_retries(
          [&] {
            return provider->apply_change({change.type, change.address, prior, planned, key});
          },
          context, outcome.attempts);
      diags.append(response.diagnostics);
      if (response.diagnostics.has_errors()) return outcome;
      if (response.state.is_null()) {
        return fail("provider `" + change.provider + "` returned no state for `" + change.address +
                    "`");
      }
      outcome.state = std::move(response.state);
      outcome.ok = true;
      return outcome;
    }
    case plan::StepKind::Action: {
      sdk::ActionRequest request{change.type, change.address, step.action, sdk::Value(), {}};
      if (step.hook == "before_destroy" || step.hook == "after_destroy") {
        request.state = stored && !replace_cbd ? stored->attributes : change.before;
      } else if (step.hook != "before_create") {  // nothing exists before a create
        request.state = stored ? stored->attributes : change.after;
      }
      sdk::ActionResponse response =
          with_retries([&] { return provider->run_action(request); }, context, outcome.attempts);
      diags.append(response.diagnostics);
      outcome.ok = !response.diagnostics.has_errors();
      return outcome;
    }
  }
  return outcome;
}

}  // namespace kc::apply
