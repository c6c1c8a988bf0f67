// Address matching and the dependency closures of --target and --exclude.
#include "runtime/plan/targeting.h"

#include <algorithm>
#include <map>

#include "compiler/sema/suggest.h"
#include "runtime/plan/steps.h"

namespace kc::plan {
namespace {

bool changes_delete_side(Action a) {
  return a == Action::Delete || a == Action::Replace;
}

// needs[a]: the addresses whose changes must happen before a's (see select_addresses).
std::map<std::string, std::set<std::string>> needs_of(const Plan& plan, const state::State& prior) {
  std::map<std::string, std::set<std::string>> needs;
  for (const ResourceChange& c : plan.changes) {
    std::set<std::string>& mine = needs[c.address];
    if (c.action != Action::Delete) {
      for (const std::string& dep : c.depends_on) {
        if (dep != c.address && plan.find(dep)) mine.insert(dep);
      }
    }
  }
  for (const state::ResourceState& dependent : prior.resources) {
    const ResourceChange* later = plan.find(dependent.address);
    if (!later || !changes_delete_side(later->action)) continue;
    for (const std::string& dep : dependent.dependencies) {
      const ResourceChange* c = plan.find(dep);
      if (c && c->address != dependent.address && changes_delete_side(c->action)) {
        needs[c->address].insert(dependent.address);
      }
    }
  }
  return needs;
}

// Every address reachable from `start` through `edges`, `start` included.
std::set<std::string> closure(std::set<std::string> start,
                              const std::map<std::string, std::set<std::string>>& edges) {
  std::vector<std::string> todo(start.begin(), start.end());
  while (!todo.empty()) {
    std::string next = std::move(todo.back());
    todo.pop_back();
    auto it = edges.find(next);
    if (it == edges.end()) continue;
    for (const std::string& to : it->second) {
      if (start.insert(to).second) todo.push_back(to);
    }
  }
  return start;
}

// The changes `pattern` selects; an E0508 when there are none.
std::set<std::string> matched(const Plan& plan, const std::string& flag, const std::string& pattern,
                              diag::Diagnostics& diags) {
  std::set<std::string> found;
  std::set<std::string> candidates;
  for (const ResourceChange& c : plan.changes) {
    candidates.insert(c.address);
    for (std::string& prefix : address_prefixes(c.address))
      candidates.insert(std::move(prefix));
    if (address_matches(pattern, c.address)) found.insert(c.address);
  }
  if (found.empty()) {
    diag::Diagnostic& d =
        diags.error(diag::Code::E0508, source::Span{},
                    flag + " `" + pattern + "` matches no resource of the configuration or state");
    std::optional<std::string> best =
        sema::closest(pattern, std::vector<std::string>(candidates.begin(), candidates.end()));
    if (best) d.with_note("did you mean `" + *best + "`?");
    d.with_note(
        "give a resource address (`sim.machine[\"web\"]`) or an instance path (`prod`, "
        "`prod.workers`) that selects every resource under it");
  }
  return found;
}

}  // namespace

std::vector<std::string> address_prefixes(std::string_view address) {
  // Where the address may be cut: before each `.` and `[` outside a ["..."] key.
  std::vector<size_t> dots, brackets;
  bool in_string = false;
  int depth = 0;
  for (size_t i = 0; i < address.size(); ++i) {
    char c = address[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[') {
      if (depth++ == 0) brackets.push_back(i);
    } else if (c == ']') {
      --depth;
    } else if (c == '.' && depth == 0) {
      dots.push_back(i);
    }
  }
  // The address ends in TYPE["label"] (TYPE being `provider.kind`): the path with the type ends
  // at the last bracket, the instance path at the dot before the type's own.
  if (brackets.empty() || address.back() != ']') return {};
  size_t with_type = brackets.back();
  std::vector<size_t> cuts;
  size_t type_dots = 0;
  for (size_t i = dots.size(); i-- > 0;) {
    if (dots[i] > with_type) continue;
    if (type_dots++ < 1) continue;  // the dot inside `provider.kind`
    cuts.push_back(dots[i]);
  }
  for (size_t b : brackets) {
    if (b < with_type) cuts.push_back(b);  // `prod.pools` of `prod.pools["db"]`
  }
  std::sort(cuts.begin(), cuts.end());
  std::vector<std::string> prefixes;
  for (size_t cut : cuts)
    prefixes.emplace_back(address.substr(0, cut));
  prefixes.emplace_back(address.substr(0, with_type));
  return prefixes;
}

bool address_matches(std::string_view pattern, std::string_view address) {
  if (pattern == address) return true;
  for (const std::string& prefix : address_prefixes(address)) {
    if (prefix == pattern) return true;
  }
  return false;
}

std::optional<std::set<std::string>> select_addresses(const Plan& plan, const state::State& prior,
                                                      const Selection& selection,
                                                      diag::Diagnostics& diags) {
  size_t errors = diags.error_count();
  std::set<std::string> targeted, excluded;
  for (const std::string& pattern : selection.targets)
    targeted.merge(matched(plan, "--target", pattern, diags));
  for (const std::string& pattern : selection.excludes)
    excluded.merge(matched(plan, "--exclude", pattern, diags));
  if (diags.error_count() > errors) return std::nullopt;

  std::map<std::string, std::set<std::string>> needs = needs_of(plan, prior);
  std::map<std::string, std::set<std::string>> needed_by;
  for (const auto& [address, deps] : needs) {
    for (const std::string& dep : deps)
      needed_by[dep].insert(address);
  }
  std::set<std::string> kept;
  if (selection.targets.empty()) {
    for (const ResourceChange& c : plan.changes)
      kept.insert(c.address);
  } else {
    kept = closure(std::move(targeted), needs);
  }
  for (const std::string& address : closure(std::move(excluded), needed_by))
    kept.erase(address);
  return kept;
}

bool narrow_plan(Plan& plan, const state::State& prior, const Selection& selection,
                 diag::Diagnostics& diags) {
  if (selection.empty()) return true;
  std::optional<std::set<std::string>> kept = select_addresses(plan, prior, selection, diags);
  if (!kept) return false;
  std::erase_if(plan.changes, [&](const ResourceChange& c) { return kept->count(c.address) == 0; });
  plan.summary = summarize(plan.changes);
  plan.waves.clear();
  plan.steps = build_steps(plan.changes, prior, diags, &plan.waves);
  diags
      .warning(diag::Code::E0509, source::Span{},
               "this plan is partial: --target and --exclude leave out changes the configuration "
               "asks for")
      .with_note(
          "the plan may be incomplete; run kc plan without them afterwards to see what is left. "
          "Use them for exceptional situations (recovering from a mistake, working around a "
          "provider's limits), not as a routine step");
  return true;
}

}  // namespace kc::plan
