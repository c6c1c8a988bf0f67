// Step graph construction and its deterministic topological numbering.
#include "runtime/plan/steps.h"

#include <algorithm>
#include <functional>
#include <map>
#include <queue>
#include <string>

namespace kc::plan {
namespace {

struct Node {
  StepKind kind;
  const ResourceChange* change;
  std::vector<size_t> after;  // nodes that must finish first
};

void add_edge(std::vector<Node>& nodes, size_t from, size_t to) {
  std::vector<size_t>& after = nodes[from].after;
  if (std::find(after.begin(), after.end(), to) == after.end()) after.push_back(to);
}

}  // namespace

std::vector<Step> build_steps(const std::vector<ResourceChange>& changes, const state::State& prior,
                              diag::Diagnostics& diags) {
  std::vector<Node> nodes;
  std::map<std::string, size_t, std::less<>> create_side;  // create/update/replace-create
  std::map<std::string, size_t, std::less<>> delete_side;
  for (const ResourceChange& change : changes) {
    switch (change.action) {
      case Action::Create:
        create_side[change.address] = nodes.size();
        nodes.push_back({StepKind::Create, &change, {}});
        break;
      case Action::Update:
        create_side[change.address] = nodes.size();
        nodes.push_back({StepKind::Update, &change, {}});
        break;
      case Action::Replace: {
        size_t del = nodes.size();
        delete_side[change.address] = del;
        nodes.push_back({StepKind::Delete, &change, {}});
        create_side[change.address] = nodes.size();
        nodes.push_back({StepKind::Create, &change, {}});
        if (change.create_before_destroy) {
          add_edge(nodes, del, del + 1);
        } else {
          add_edge(nodes, del + 1, del);
        }
        break;
      }
      case Action::Delete:
        delete_side[change.address] = nodes.size();
        nodes.push_back({StepKind::Delete, &change, {}});
        break;
      case Action::NoOp:
        break;
    }
  }

  for (auto& [address, index] : create_side) {
    for (const std::string& dep : nodes[index].change->depends_on) {
      auto it = create_side.find(dep);
      if (it != create_side.end() && it->second != index) add_edge(nodes, index, it->second);
    }
  }
  // X is deleted after every Y whose stored dependencies name X.
  for (const state::ResourceState& dependent : prior.resources) {
    auto dependent_delete = delete_side.find(dependent.address);
    if (dependent_delete == delete_side.end()) continue;
    for (const std::string& dep : dependent.dependencies) {
      auto it = delete_side.find(dep);
      if (it != delete_side.end() && it->second != dependent_delete->second) {
        add_edge(nodes, it->second, dependent_delete->second);
      }
    }
  }

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
    step.action = std::string(action_name(node.change->action));
    for (size_t dep : node.after) {
      if (id_of[dep] < step.id) step.depends_on.push_back(id_of[dep]);
    }
    std::sort(step.depends_on.begin(), step.depends_on.end());
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace kc::plan
