// make_plan and make_destroy_plan: one provider plan call per resource, then the step graph.
#include "runtime/plan/diff.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "runtime/plan/compare.h"
#include "runtime/plan/provider_messages.h"
#include "runtime/plan/steps.h"

namespace kc::plan {
namespace {

// The attributes a change never prints: the provider's sensitive ones, those the module computes
// from a secret, and those the state recorded as such.
std::vector<std::string> sensitive_attributes(const sdk::SchemaSource& schemas,
                                              const std::string& type,
                                              const std::set<std::string>& desired,
                                              const state::ResourceState* old) {
  std::set<std::string> names = desired;
  if (const sdk::ResourceSchema* schema = schemas.find_resource(type)) {
    for (const sdk::AttributeSchema& a : schema->attributes) {
      if (a.sensitive) names.insert(a.name);
    }
  }
  if (old) names.insert(old->sensitive.begin(), old->sensitive.end());
  return {names.begin(), names.end()};
}

std::vector<std::string> unknown_attributes(const sdk::Value& planned) {
  std::vector<std::string> names;
  if (planned.kind() != sdk::Kind::Map) return names;
  for (const auto& [name, value] : planned.as_map()) {
    if (value.contains_unknown()) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The desired inputs with every ignore_changes attribute set back to its stored value.
sdk::Value ignoring_changes(const sdk::Value& inputs, const state::ResourceState* old,
                            const std::vector<std::string>& ignore) {
  if (!old || ignore.empty() || inputs.kind() != sdk::Kind::Map) return inputs;
  sdk::Entries entries = inputs.as_map();
  for (const std::string& name : ignore) {
    const sdk::Value* stored = old->attributes.find(name);
    auto it = std::find_if(entries.begin(), entries.end(),
                           [&](const auto& e) { return e.first == name; });
    if (it != entries.end()) {
      it->second = stored ? *stored : sdk::Value();
    } else if (stored) {
      entries.emplace_back(name, *stored);
    }
  }
  return sdk::Value::map(std::move(entries));
}

// E0501 at the `resource`: a replacement deletes the object, which prevent_destroy forbids.
void refuse_replace(const ResourceChange& change, diag::Diagnostics& diags) {
  std::string because;
  for (const std::string& name : change.replace_because)
    because += (because.empty() ? "`" : ", `") + name + "`";
  diags
      .error(diag::Code::E0501, change.span,
             "`" + change.address + "` cannot be replaced: lifecycle.prevent_destroy is set")
      .with_label("replacing it would delete it; " + because +
                  (change.replace_because.size() == 1 ? " forces" : " force") + " a new one")
      .with_note("change " + because + " back, or set `prevent_destroy = false` to allow it");
}

// Every hook names an action the provider declares for the type; false (with an error at the
// resource) otherwise. Checked here as well as by the checker, since a deleted resource's hooks
// come from the state and a provider may have dropped an action since.
bool check_hooks(const ResourceChange& change, const sdk::SchemaSource& schemas,
                 diag::Diagnostics& diags) {
  const sdk::ResourceSchema* schema = schemas.find_resource(change.type);
  bool ok = true;
  for (const auto& [event, actions] : change.hooks) {
    for (const std::string& action : actions) {
      if (schema && schema->find_action(action)) continue;
      std::string known;
      if (schema) {
        for (const sdk::ActionSchema& a : schema->actions)
          known += (known.empty() ? "`" : ", `") + a.name + "`";
      }
      diags
          .error(diag::Code::E0504, change.span,
                 "`" + change.address + "` has a `" + event + "` hook `" + action + "`, but `" +
                     change.type + "` has no such action")
          .with_note(known.empty() ? "`" + change.type + "` declares no actions"
                                   : "its actions are " + known);
      ok = false;
    }
  }
  return ok;
}

// A delete of a stored resource; false (with errors) when its provider cannot plan it or
// prevent_destroy protects it (E0501).
bool plan_delete(const state::ResourceState& old, sdk::Providers& providers,
                 diag::Diagnostics& diags, ResourceChange& change) {
  sdk::Provider* provider = providers.get(old.provider);
  if (!provider) {
    diags
        .error(diag::Code::E0504, source::Span{},
               "cannot delete `" + old.address + "`: its provider `" + old.provider +
                   "` is not available")
        .with_note("configure the provider again, or forget the resource with `kc state rm`");
    return false;
  }
  std::vector<std::string> sensitive = sensitive_attributes(providers, old.type, {}, &old);
  sdk::PlanResponse response =
      provider->plan_change({old.type, old.address, old.attributes, sdk::Value()});
  if (append_provider_diagnostics(diags, response.diagnostics, source::Span{},
                                  secret_texts(sensitive, {&old.attributes}))) {
    return false;
  }
  change.address = old.address;
  change.type = old.type;
  change.provider = old.provider;
  change.action = Action::Delete;
  change.before = old.attributes;
  change.depends_on = old.dependencies;
  change.changed = changed_attributes(old.attributes, sdk::Value());
  change.sensitive = std::move(sensitive);
  change.prevent_destroy = old.prevent_destroy;
  change.rollout = old.rollout;
  change.hooks = old.hooks;
  if (!check_hooks(change, providers, diags)) return false;
  if (old.prevent_destroy) {
    diags
        .error(
            diag::Code::E0501, source::Span{},
            "`" + old.address + "` cannot be deleted: it was applied with prevent_destroy = true")
        .with_note(
            "to delete it, set `lifecycle { prevent_destroy = false }` on its resource and apply, "
            "then remove it");
    return false;
  }
  return true;
}

// Every deposed object is deleted, with its stored hooks and rollout group; prevent_destroy does
// not hold it, since the replacement that deposed it already agreed to delete it.
void plan_deposed_deletes(const state::State& prior, sdk::Providers& providers,
                          diag::Diagnostics& diags, Plan& plan) {
  for (const state::DeposedObject& deposed : prior.deposed) {
    state::ResourceState old = deposed.resource;
    old.prevent_destroy = false;
    ResourceChange change;
    if (!plan_delete(old, providers, diags, change)) continue;
    change.deposed = deposed.key;
    plan.changes.push_back(std::move(change));
  }
}

void finish(Plan& plan, const state::State& prior, diag::Diagnostics& diags) {
  std::sort(plan.changes.begin(), plan.changes.end(), change_before);
  plan.summary = summarize(plan.changes);
  plan.steps = build_steps(plan.changes, prior, diags, &plan.waves);
  // A replacement whose wave creates first behaves as create_before_destroy from here on: the
  // executor and the renderers read that flag.
  std::map<std::string_view, int, std::less<>> create_step, delete_step;
  for (const Step& step : plan.steps) {
    if (!step.deposed.empty()) continue;  // a deposed object's delete is no replace half
    if (step.kind == StepKind::Create) create_step[step.address] = step.id;
    if (step.kind == StepKind::Delete) delete_step[step.address] = step.id;
  }
  for (ResourceChange& c : plan.changes) {
    if (c.action != Action::Replace || c.create_before_destroy) continue;
    auto created = create_step.find(c.address);
    auto deleted = delete_step.find(c.address);
    if (created != create_step.end() && deleted != delete_step.end() &&
        created->second < deleted->second) {
      c.create_before_destroy = true;
    }
  }
}

}  // namespace

Plan make_plan(const eval::DesiredState& desired, const state::State& prior,
               sdk::Providers& providers, diag::Diagnostics& diags) {
  Plan plan;
  std::unordered_set<std::string> desired_addresses;
  for (const eval::DesiredResource& r : desired.resources) {
    desired_addresses.insert(r.address);
    sdk::Provider* provider = providers.get(r.provider);
    if (!provider) {
      diags.error(diag::Code::E0504, r.span,
                  "resource `" + r.address + "` needs provider `" + r.provider +
                      "`, which is not available");
      continue;
    }
    const state::ResourceState* old = prior.find(r.address);
    sdk::Value inputs = ignoring_changes(r.attributes, old, r.lifecycle.ignore_changes);
    sdk::Value stored = old ? old->attributes : sdk::Value();
    std::vector<std::string> sensitive = sensitive_attributes(providers, r.type, r.sensitive, old);
    std::vector<std::string> secrets = secret_texts(sensitive, {&inputs, &stored});
    if (append_provider_diagnostics(diags, provider->validate({r.type, r.address, inputs}), r.span,
                                    secrets)) {
      continue;
    }
    sdk::PlanResponse response = provider->plan_change({r.type, r.address, stored, inputs});
    if (append_provider_diagnostics(diags, response.diagnostics, r.span, secrets)) continue;

    ResourceChange change;
    change.address = r.address;
    change.type = r.type;
    change.provider = r.provider;
    change.before = stored;
    change.after = response.planned;
    change.after_unknown = unknown_attributes(response.planned);
    change.depends_on = r.depends_on;
    change.changed = changed_attributes(stored, response.planned);
    change.sensitive = std::move(sensitive);
    change.create_before_destroy = r.lifecycle.create_before_destroy;
    change.prevent_destroy = r.lifecycle.prevent_destroy;
    change.rollout = r.rollout;
    change.hooks = r.hooks;
    change.span = r.span;
    if (!check_hooks(change, providers, diags)) continue;
    if (!old) {
      change.action = Action::Create;
    } else if (!response.requires_replace.empty()) {
      change.action = Action::Replace;
      change.replace_because = response.requires_replace;
      std::sort(change.replace_because.begin(), change.replace_because.end());
      change.replace_because.erase(
          std::unique(change.replace_because.begin(), change.replace_because.end()),
          change.replace_because.end());
    } else if (!change.changed.empty()) {
      change.action = Action::Update;
    } else {
      change.action = Action::NoOp;
    }
    if (change.action == Action::Replace && change.prevent_destroy) {
      refuse_replace(change, diags);
      continue;
    }
    plan.changes.push_back(std::move(change));
  }
  for (const state::ResourceState& old : prior.resources) {
    if (desired_addresses.count(old.address)) continue;
    ResourceChange change;
    if (plan_delete(old, providers, diags, change)) plan.changes.push_back(std::move(change));
  }
  plan_deposed_deletes(prior, providers, diags, plan);
  finish(plan, prior, diags);
  return plan;
}

Plan make_destroy_plan(const state::State& prior, sdk::Providers& providers,
                       diag::Diagnostics& diags) {
  Plan plan;
  plan.destroy = true;
  for (const state::ResourceState& old : prior.resources) {
    ResourceChange change;
    if (plan_delete(old, providers, diags, change)) plan.changes.push_back(std::move(change));
  }
  plan_deposed_deletes(prior, providers, diags, plan);
  finish(plan, prior, diags);
  return plan;
}

}  // namespace kc::plan
