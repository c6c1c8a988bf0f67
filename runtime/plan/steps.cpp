// Step graph construction and its deterministic topological numbering.
#include "runtime/plan/steps.h"

#include <algorithm>
#include <functional>
#include <map>
#include <queue>
#include <string>

#include "runtime/plan/waves.h"

namespace kc::plan {
namespace {

struct Node {
  StepKind kind;
  const ResourceChange* change;
  std::string action;  // the provider action of an Action node
  std::string hook;    // its event
  int wave = 0;
  std::vector<size_t> after;  // nodes that must finish first
};

void add_edge(std::vector<Node>& nodes, size_t from, size_t to) {
  std::vector<size_t>& after = nodes[from].after;
  if (std::find(after.begin(), after.end(), to) == after.end()) after.push_back(to);
}

// The nodes of one half of a change (create, update or delete with its hook actions), in order.
struct Chain {
  size_t first = 0, last = 0;
};

const std::vector<std::string>& hook_actions(const ResourceChange& change, const char* event) {
  static const std::vector<std::string> kNone;
  auto it = change.hooks.find(event);
  return it == change.hooks.end() ? kNone : it->second;
}

Chain add_chain(std::vector<Node>& nodes, const ResourceChange& change, StepKind kind,
                const char* before, const char* after, bool skip_before = false) {
  Chain chain;
  bool started = false;
  auto push = [&](Node node) {
    size_t index = nodes.size();
    nodes.push_back(std::move(node));
    if (started) {
      add_edge(nodes, index, chain.last);
    } else {
      chain.first = index;
      started = true;
    }
    chain.last = index;
  };
  if (!skip_before) {
    for (const std::string& action : hook_actions(change, before))
      push({StepKind::Action, &change, action, before, 0, {}});
  }
  push({kind, &change, {}, {}, 0, {}});
  for (const std::string& action : hook_actions(change, after))
    push({StepKind::Action, &change, action, after, 0, {}});
  return chain;
}

// Whether `target` is among the nodes `from` waits for, directly or not.
bool waits_for(const std::vector<Node>& nodes, size_t from, size_t target) {
  std::vector<char> seen(nodes.size(), 0);
  std::vector<size_t> stack{from};
  while (!stack.empty()) {
    size_t at = stack.back();
    stack.pop_back();
    if (at == target) return true;
    if (seen[at]) continue;
    seen[at] = 1;
    for (size_t next : nodes[at].after)
      stack.push_back(next);
  }
  return false;
}

bool acyclic(const std::vector<Node>& nodes) {
  std::vector<size_t> waiting(nodes.size());
  std::vector<std::vector<size_t>> dependents(nodes.size());
  std::vector<size_t> ready;
  for (size_t i = 0; i < nodes.size(); ++i) {
    waiting[i] = nodes[i].after.size();
    for (size_t dep : nodes[i].after)
      dependents[dep].push_back(i);
    if (waiting[i] == 0) ready.push_back(i);
  }
  size_t emitted = 0;
  while (!ready.empty()) {
    size_t i = ready.back();
    ready.pop_back();
    ++emitted;
    for (size_t d : dependents[i]) {
      if (--waiting[d] == 0) ready.push_back(d);
    }
  }
  return emitted == nodes.size();
}

// Adds each (node, what it should wait for) edge that keeps the graph free of new cycles: all at
// once when that is acyclic (the usual case, one linear check), else one by one, each after a
// search that it closes no cycle.
void add_preferred_edges(std::vector<Node>& nodes,
                         const std::vector<std::pair<size_t, size_t>>& preferred) {
  std::vector<std::pair<size_t, size_t>> added;
  for (const auto& [from, to] : preferred) {
    std::vector<size_t>& after = nodes[from].after;
    if (std::find(after.begin(), after.end(), to) != after.end()) continue;
    after.push_back(to);
    added.emplace_back(from, to);
  }
  if (added.empty() || acyclic(nodes)) return;
  for (const auto& [from, to] : added) {
    std::vector<size_t>& after = nodes[from].after;
    after.erase(std::find(after.begin(), after.end(), to));
  }
  for (const auto& [from, to] : added) {
    if (!waits_for(nodes, to, from)) add_edge(nodes, from, to);
  }
}

// Where a member of a rollout wave sits.
struct Placement {
  int wave = 0;
  bool create_first = false;
  bool skip_before_destroy = false;
};

}  // namespace

std::vector<Step> build_steps(const std::vector<ResourceChange>& changes, const state::State& prior,
                              diag::Diagnostics& diags) {
  return build_steps(changes, prior, diags, nullptr);
}

std::vector<Step> build_steps(const std::vector<ResourceChange>& changes, const state::State& prior,
                              diag::Diagnostics& diags, std::vector<Wave>* waves) {
  std::vector<GroupRollout> rollouts = plan_rollouts(changes);
  std::map<const ResourceChange*, Placement> placement;
  std::vector<Wave> described;
  for (const GroupRollout& r : rollouts) {
    int first_wave = static_cast<int>(described.size()) + 1;
    check_quorum(r, first_wave, diags);
    for (size_t i = 0; i < r.waves.size(); ++i) {
      Wave wave;
      wave.number = static_cast<int>(described.size()) + 1;
      wave.group = r.group;
      wave.index = static_cast<int>(i) + 1;
      wave.count = static_cast<int>(r.waves.size());
      wave.members = r.members;
      wave.surge = r.surge;
      wave.unavailable = r.unavailable;
      wave.quorum = r.quorum;
      wave.existing = r.waves[i].existing;
      wave.serving = r.waves[i].existing - r.waves[i].away;
      for (const WaveSlot& slot : r.waves[i].slots) {
        wave.addresses.push_back(slot.change->address);
        placement[slot.change] = {wave.number, slot.create_first, false};
      }
      described.push_back(std::move(wave));
    }
    // A quorum group deleted as a whole loses its last member without that member's before_destroy
    // actions: membership actions (remove_member) cannot apply to the last member, and a drain
    // has nowhere left to move work to.
    if (r.quorum && r.members > 0 && r.deleted == r.stored && !r.waves.empty()) {
      placement[r.waves.back().slots.back().change].skip_before_destroy = true;
    }
  }

  std::vector<Node> nodes;
  std::map<std::string, Chain, std::less<>> create_side;  // create/update/replace-create
  std::map<std::string, Chain, std::less<>> delete_side;
  std::vector<std::pair<const ResourceChange*, Chain>> deposed_side;  // deposed objects' deletes
  std::map<const ResourceChange*, std::pair<size_t, size_t>> member_ends;  // head, tail
  for (const ResourceChange& change : changes) {
    Placement place;
    if (auto it = placement.find(&change); it != placement.end()) place = it->second;
    size_t begin = nodes.size();
    switch (change.action) {
      case Action::Create: {
        Chain c = add_chain(nodes, change, StepKind::Create, "before_create", "after_create");
        create_side[change.address] = c;
        member_ends[&change] = {c.first, c.last};
        break;
      }
      case Action::Update:
        create_side[change.address] =
            add_chain(nodes, change, StepKind::Update, "before_update", "after_update");
        break;
      case Action::Replace: {
        Chain del = add_chain(nodes, change, StepKind::Delete, "before_destroy", "after_destroy");
        Chain cre = add_chain(nodes, change, StepKind::Create, "before_create", "after_create");
        delete_side[change.address] = del;
        create_side[change.address] = cre;
        if (change.create_before_destroy || place.create_first) {
          add_edge(nodes, del.first, cre.last);
          member_ends[&change] = {cre.first, del.last};
        } else {
          add_edge(nodes, cre.first, del.last);
          member_ends[&change] = {del.first, cre.last};
        }
        break;
      }
      case Action::Delete: {
        Chain c = add_chain(nodes, change, StepKind::Delete, "before_destroy", "after_destroy",
                            place.skip_before_destroy);
        if (!change.deposed.empty()) {
          deposed_side.emplace_back(&change, c);
          member_ends[&change] = {c.first, c.last};
          break;
        }
        delete_side[change.address] = c;
        member_ends[&change] = {c.first, c.last};
        break;
      }
      case Action::NoOp:
        break;
    }
    for (size_t i = begin; i < nodes.size(); ++i)
      nodes[i].wave = place.wave;
  }

  for (auto& [address, chain] : create_side) {
    for (const std::string& dep : nodes[chain.last].change->depends_on) {
      auto it = create_side.find(dep);
      if (it != create_side.end() && it->second.last != chain.last) {
        add_edge(nodes, chain.first, it->second.last);
      }
    }
  }
  // X is deleted after every Y whose stored dependencies name X.
  for (const state::ResourceState& dependent : prior.resources) {
    auto dependent_delete = delete_side.find(dependent.address);
    if (dependent_delete == delete_side.end()) continue;
    for (const std::string& dep : dependent.dependencies) {
      auto it = delete_side.find(dep);
      if (it != delete_side.end() && it->second.last != dependent_delete->second.last) {
        add_edge(nodes, it->second.first, dependent_delete->second.last);
      }
    }
  }
  // A deposed object is deleted before the deletes of what it depended on.
  for (const auto& [change, chain] : deposed_side) {
    for (const std::string& dep : change->depends_on) {
      auto it = delete_side.find(dep);
      if (it != delete_side.end()) add_edge(nodes, it->second.first, chain.last);
    }
  }
  // Wave k+1 of a group starts when everything of its wave k has finished.
  for (const GroupRollout& r : rollouts) {
    for (size_t i = 1; i < r.waves.size(); ++i) {
      for (const WaveSlot& next : r.waves[i].slots) {
        for (const WaveSlot& previous : r.waves[i - 1].slots) {
          add_edge(nodes, member_ends[next.change].first, member_ends[previous.change].second);
        }
      }
    }
  }

  // An update of X waits for the deletes (with their before_destroy actions, such as leaving a
  // membership) of what depended on X: a departing etcd member keeps the certificate that names
  // it and its machine's role until it has left. Only preferred: an edge that would close a cycle
  // with the order above (two rollout groups interleaved) is left out.
  std::vector<std::pair<size_t, size_t>> preferred;  // (update's first node, delete's last)
  for (const ResourceChange& change : changes) {
    if (change.action != Action::Delete || !change.deposed.empty()) continue;
    const Chain& deleted = delete_side.at(change.address);
    for (const std::string& dep : change.depends_on) {
      auto it = create_side.find(dep);
      if (it == create_side.end()) continue;
      const Node& first = nodes[it->second.first];
      if (first.change->action != Action::Update) continue;
      preferred.emplace_back(it->second.first, deleted.last);
    }
  }
  add_preferred_edges(nodes, preferred);
  // Kahn's algorithm, smallest node index first.
  std::vector<size_t> waiting(nodes.size());
  std::vector<std::vector<size_t>> dependents(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    waiting[i] = nodes[i].after.size();
    for (size_t dep : nodes[i].after)
      dependents[dep].push_back(i);
  }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (waiting[i] == 0) ready.push(i);
  }
  std::vector<int> id_of(nodes.size(), -1);
  std::vector<size_t> order;
  auto emit = [&](size_t i) {
    id_of[i] = static_cast<int>(order.size());
    order.push_back(i);
    for (size_t d : dependents[i]) {
      if (--waiting[d] == 0) ready.push(d);
    }
  };
  while (order.size() < nodes.size()) {
    if (ready.empty()) {
      // Only stored dependencies can cycle; break the cycle at its first node.
      std::vector<std::string> cycle;
      size_t first = nodes.size();
      for (size_t i = 0; i < nodes.size(); ++i) {
        if (id_of[i] >= 0) continue;
        if (first == nodes.size()) first = i;
        cycle.push_back("`" + nodes[i].change->address + "`");
      }
      std::string list;
      for (const std::string& c : cycle)
        list += (list.empty() ? "" : ", ") + c;
      diags
          .error(diag::Code::E0506, source::Span{},
                 "the dependencies stored in the state form a cycle among " + list)
          .with_note("kc deletes them in address order where the cycle forbids any order");
      waiting[first] = 0;
      ready.push(first);
    }
    size_t next = ready.top();
    ready.pop();
    if (id_of[next] >= 0) continue;
    emit(next);
  }

  std::vector<Step> steps;
  steps.reserve(order.size());
  for (size_t i : order) {
    const Node& node = nodes[i];
    Step step;
    step.id = id_of[i];
    step.kind = node.kind;
    step.address = node.change->address;
    step.action =
        node.kind == StepKind::Action ? node.action : std::string(action_name(node.change->action));
    step.hook = node.hook;
    step.wave = node.wave;
    step.deposed = node.change->deposed;
    for (size_t dep : node.after) {
      if (id_of[dep] < step.id) step.depends_on.push_back(id_of[dep]);
    }
    std::sort(step.depends_on.begin(), step.depends_on.end());
    steps.push_back(std::move(step));
  }
  if (waves) *waves = std::move(described);
  return steps;
}

}  // namespace kc::plan
