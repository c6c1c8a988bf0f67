// `kc sim ...`: look at and tamper with the `sim` provider's simulated cloud of a module — show its
// objects and event log, make changes behind kc's back (kill a machine, drift an attribute, block a
// drain, inject a failure) and check a finished rollout against the event log (check-rollout).
// Every command works on <module>/.kc/sim/ (world.json and its journal) under the world's lock;
// none touches the state.
#include <fmt/format.h>

#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/state_options.h"
#include "providers/sdk/json.h"
#include "providers/sim/faults.h"
#include "providers/sim/rollout_check.h"
#include "providers/sim/sim_schema.h"
#include "providers/sim/workloads.h"
#include "providers/sim/world.h"
#include "providers/sim/world_store.h"
#include "runtime/plan/waves.h"

namespace kc::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string module_dir_of(const StateOptions& options) {
  namespace fs = std::filesystem;
  const std::string& path = options.common.path;
  std::error_code ec;
  std::string dir = fs::is_directory(path, ec) ? path : fs::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

diag::Diagnostic& sim_error(Session& session, const std::string& message) {
  return session.diagnostics().error(diag::Code::E0504, source::Span{}, message);
}

// The world of the module; nullopt with an error when there is none or it cannot be read.
std::optional<sim::SimWorld> load_world(Session& session, const std::string& module_dir) {
  std::error_code ec;
  if (!std::filesystem::exists(sim::world_path(module_dir), ec)) {
    sim_error(session, "no sim world in `" + module_dir + "`: `" + sim::world_path(module_dir) +
                           "` does not exist")
        .with_note("`kc apply` a module that uses provider `sim` first");
    return std::nullopt;
  }
  // A kc process killed mid-apply leaves changes in world.journal: fold them into world.json first,
  // so that the file is complete for whoever reads it next (a failure shows in the load below).
  diag::Diagnostics ignored;
  sim::WorldStore(module_dir, /*fold_on_close=*/false).fold(ignored);
  return sim::SimWorld::load(module_dir, session.diagnostics());
}

// The object id `target` names: an id in the world, or the address of a resource in the state
// whose `id` is in the world. Empty with an error otherwise (`type`: the kind it must be, if any).
std::string resolve(Session& session, const StateOptions& options, const sim::SimWorld& world,
                    const std::string& target, std::string_view type) {
  std::string id;
  if (world.find(target) != nullptr) {
    id = target;
  } else {
    state::LocalBackend backend = state_backend(options);
    diag::Diagnostics ignored;
    std::optional<state::State> loaded = backend.load(session.providers(), ignored);
    const state::ResourceState* resource = loaded ? loaded->find(target) : nullptr;
    if (resource != nullptr && resource->provider == sim::kProviderName) {
      const sdk::Value* stored = resource->attributes.find("id");
      if (stored != nullptr && stored->kind() == sdk::Kind::String) id = stored->as_string();
    }
    if (id.empty() || world.find(id) == nullptr) {
      sim_error(session, "no object `" + target + "` in the sim world")
          .with_note(
              "name an object id (`kc sim show` lists them) or a resource address in the "
              "state");
      return {};
    }
  }
  if (!type.empty() && world.find(type, id) == nullptr) {
    sim_error(session, "`" + target + "` is not a `" + std::string(type) + "`");
    return {};
  }
  return id;
}

// Runs `change` on the world under its lock and writes it.
void modify_world(Session& session, const std::string& module_dir,
                  const std::function<bool(sim::SimWorld&, diag::Diagnostics&)>& change) {
  sim::WorldStore store(module_dir);
  store.modify(change, session.diagnostics());
}

std::string kind_event(std::string_view type) {
  const sim::KindNames* names = sim::kind_names(type);
  return names != nullptr ? std::string(names->event) : std::string(type);
}

std::string type_of(const sim::SimWorld& world, const std::string& id) {
  for (const sim::KindNames& names : sim::kKinds) {
    if (world.find(names.type, id) != nullptr) return std::string(names.type);
  }
  return {};
}

// ---- show ----

Json world_json(const sim::SimWorld& world) {
  Json objects = Json::object();
  for (const sim::KindNames& names : sim::kKinds) {
    const auto& list = world.objects(names.type);
    if (list.empty()) continue;
    Json entries = Json::array();
    for (const sim::SimObject& object : list)
      entries.push_back(sim::redacted_attributes(names.type, object.attributes));
    objects[std::string(names.type)] = std::move(entries);
  }
  Json nodes = Json::array();
  for (const auto& [machine, node] : world.nodes()) {
    nodes.push_back(Json{{"machine", machine},
                         {"name", node.name},
                         {"cluster", node.cluster},
                         {"worker", node.worker},
                         {"ready", world.find(machine) != nullptr},
                         {"cordoned", node.cordoned}});
  }
  Json pods = Json::array();
  for (const sim::SimPod& pod : world.pods()) {
    pods.push_back(Json{{"name", pod.name},
                        {"cluster", pod.cluster},
                        {"node", pod.node.empty() ? Json(nullptr) : Json(pod.node)},
                        {"budget", pod.budget.empty() ? Json(nullptr) : Json(pod.budget)}});
  }
  Json budgets = Json::array();
  for (const sim::SimBudget& budget : world.budgets()) {
    budgets.push_back(
        Json{{"name", budget.name},
             {"cluster", budget.cluster},
             {"max_unavailable", budget.max_unavailable},
             {"unavailable", sim::unavailable_pods(world, budget.cluster, budget.name)}});
  }
  Json flags = Json::object();
  for (const auto& [id, marks] : world.flags())
    flags[id] = Json(marks);
  return Json{{"objects", std::move(objects)},
              {"nodes", std::move(nodes)},
              {"pods", std::move(pods)},
              {"budgets", std::move(budgets)},
              {"flags", std::move(flags)}};
}

// `json` with strings longer than a line's share cut short (certificates, keys), for the text form.
Json shortened(Json json) {
  constexpr size_t kMax = 40;
  if (json.is_string() && json.get<std::string>().size() > kMax) {
    return json.get<std::string>().substr(0, kMax - 3) + "...";
  }
  if (json.is_structured()) {
    for (auto& item : json)
      item = shortened(std::move(item));
  }
  return json;
}

void print_world(const sim::SimWorld& world) {
  for (const sim::KindNames& names : sim::kKinds) {
    const auto& list = world.objects(names.type);
    if (list.empty()) continue;
    std::cout << fmt::format("{} ({})\n", names.type, list.size());
    for (const sim::SimObject& object : list) {
      Json attributes = sim::redacted_attributes(names.type, object.attributes);
      attributes.erase("id");
      std::string marks;
      if (auto it = world.flags().find(object.id); it != world.flags().end()) {
        for (const std::string& mark : it->second)
          marks += " [" + mark + "]";
      }
      std::cout << fmt::format("  {}{}  {}\n", object.id, marks, shortened(attributes).dump());
    }
  }
  if (!world.nodes().empty()) {
    std::cout << fmt::format("nodes ({})\n", world.nodes().size());
    for (const auto& [machine, node] : world.nodes()) {
      int64_t pods = 0;
      for (const sim::SimPod& pod : world.pods())
        pods += pod.node == machine ? 1 : 0;
      std::cout << fmt::format("  {}  {}  cluster \"{}\", {}{}{}, {} pods\n", machine, node.name,
                               node.cluster, node.worker ? "worker" : "control plane",
                               world.find(machine) != nullptr ? ", ready" : ", not ready",
                               node.cordoned ? ", cordoned" : "", pods);
    }
  }
  if (!world.budgets().empty()) {
    std::cout << fmt::format("budgets ({})\n", world.budgets().size());
    for (const sim::SimBudget& budget : world.budgets()) {
      int64_t pods = 0;
      for (const sim::SimPod& pod : world.pods())
        pods += pod.cluster == budget.cluster && pod.budget == budget.name ? 1 : 0;
      std::cout << fmt::format("  {}  cluster \"{}\", max_unavailable {}, {} of {} pods pending\n",
                               budget.name, budget.cluster, budget.max_unavailable,
                               sim::unavailable_pods(world, budget.cluster, budget.name), pods);
    }
  }
  int64_t pending = 0;
  for (const sim::SimPod& pod : world.pods())
    pending += pod.node.empty() ? 1 : 0;
  if (!world.pods().empty()) {
    std::cout << fmt::format("pods: {} ({} pending)\n", world.pods().size(), pending);
  }
}

// ---- check-rollout ----

std::map<std::string, sim::GroupBounds, std::less<>> group_bounds(const state::State& state) {
  std::map<std::string, int> sizes;
  for (const state::ResourceState& resource : state.resources) {
    if (!resource.rollout.group.empty()) ++sizes[resource.rollout.group];
  }
  std::map<std::string, sim::GroupBounds, std::less<>> bounds;
  for (const state::ResourceState& resource : state.resources) {
    const eval::Rollout& rollout = resource.rollout;
    if (rollout.group.empty()) continue;
    const int size = sizes[rollout.group];
    bounds[resource.address] =
        sim::GroupBounds{rollout.group, plan::surge_count(rollout.max_surge, size),
                         plan::unavailable_count(rollout.max_unavailable, size)};
  }
  return bounds;
}

void check_rollout(Session& session, const StateOptions& options, const std::string& module_dir,
                   bool json, int& exit_code) {
  std::optional<sim::SimWorld> world = load_world(session, module_dir);
  if (!world) return;
  state::LocalBackend backend = state_backend(options);
  std::optional<state::State> loaded = load_state(session, backend);
  if (!loaded) return;
  const auto bounds = group_bounds(*loaded);
  const sim::RolloutReport report = sim::check_rollout(world->events(), bounds);
  std::map<std::string, sim::GroupBounds> groups;
  for (const auto& [address, group] : bounds)
    groups[group.group] = group;
  if (json) {
    Json violations = Json::array();
    for (const sim::RolloutViolation& v : report.violations) {
      violations.push_back(Json{{"property", v.property}, {"seq", v.seq}, {"message", v.message}});
    }
    Json group_list = Json::array();
    for (const auto& [name, group] : groups) {
      group_list.push_back(Json{{"group", name},
                                {"max_surge", group.max_surge},
                                {"max_unavailable", group.max_unavailable}});
    }
    std::cout << Json{{"ok", report.violations.empty()},
                      {"events", world->events().size()},
                      {"groups", std::move(group_list)},
                      {"replacements", report.replacements},
                      {"machine_deletes", report.machine_deletes},
                      {"etcd_changes", report.etcd_changes},
                      {"violations", std::move(violations)}}
                     .dump(2)
              << "\n";
  } else {
    for (const sim::RolloutViolation& v : report.violations)
      std::cout << fmt::format("violated {}: {}\n", v.property, v.message);
    std::cout << fmt::format(
        "{}: {} events, {} rollout groups, {} replacements, {} machine deletes, {} etcd "
        "membership changes checked.\n",
        report.violations.empty() ? "Rollout OK" : "Rollout FAILED", world->events().size(),
        groups.size(), report.replacements, report.machine_deletes, report.etcd_changes);
  }
  if (!report.violations.empty()) exit_code = 1;
}

}  // namespace

void add_sim_command(CLI::App& app, int& exit_code) {
  CLI::App* root =
      app.add_subcommand("sim", "Inspect and tamper with the simulated cloud of `sim`");
  root->require_subcommand(1);
  auto options = std::make_shared<StateOptions>();
  auto json = std::make_shared<bool>(false);
  auto since = std::make_shared<int64_t>(0);
  auto target = std::make_shared<std::string>();
  auto attribute = std::make_shared<std::string>();
  auto value = std::make_shared<std::string>();

  // Each subcommand: its own options, and a body run with a session and the module directory.
  using Body = std::function<void(Session&, const std::string&, int&)>;
  auto add = [&](const char* name, const char* help, Body body) {
    CLI::App* command = root->add_subcommand(name, help);
    add_state_options(*command, *options);
    command->callback([options, body, &exit_code] {
      Session session(options->common);
      int code = 0;
      body(session, module_dir_of(*options), code);
      exit_code = session.finish();
      if (exit_code == 0) exit_code = code;
    });
    return command;
  };

  add("show", "Print the world's objects by kind, its nodes, budgets and marks",
      [json](Session& session, const std::string& dir, int&) {
        std::optional<sim::SimWorld> world = load_world(session, dir);
        if (!world) return;
        if (*json) {
          std::cout << world_json(*world).dump(2) << "\n";
        } else {
          print_world(*world);
        }
      })
      ->add_flag("--json", *json, "Print JSON");

  CLI::App* events =
      add("events", "Print the world's event log",
          [json, since](Session& session, const std::string& dir, int&) {
            std::optional<sim::SimWorld> world = load_world(session, dir);
            if (!world) return;
            Json list = Json::array();
            for (const sim::SimEvent& event : world->events()) {
              if (event.seq <= *since) continue;
              if (*json) {
                list.push_back(sim::event_json(event));
              } else {
                std::cout << fmt::format("{:>5} {} {}{}  {}\n", event.seq, event.kind, event.id,
                                         event.address.empty() ? "" : " " + event.address,
                                         event.details.dump());
              }
            }
            if (*json) std::cout << list.dump(2) << "\n";
          });
  events->add_flag("--json", *json, "Print a JSON array");
  events->add_option("--since", *since, "Only events after this sequence number");

  CLI::App* kill =
      add("kill", "Make a machine disappear behind kc's back (its node and pods with it)",
          [options, target](Session& session, const std::string& dir, int&) {
            std::optional<sim::SimWorld> world = load_world(session, dir);
            if (!world) return;
            std::string id = resolve(session, *options, *world, *target, sim::kMachineType);
            if (id.empty()) return;
            modify_world(session, dir, [&](sim::SimWorld& next, diag::Diagnostics&) {
              next.log("machine.kill", id, Json::object());
              sim::remove_node(next, id, "kill");
              next.erase(sim::kMachineType, id);
              return true;
            });
            if (!session.diagnostics().has_errors()) std::cout << "Killed machine " << id << ".\n";
          });
  kill->add_option("machine", *target, "Machine id or resource address")->required();

  CLI::App* set = add(
      "set", "Change an attribute of an object behind kc's back (drift)",
      [options, target, attribute, value](Session& session, const std::string& dir, int&) {
        std::optional<sim::SimWorld> world = load_world(session, dir);
        if (!world) return;
        std::string id = resolve(session, *options, *world, *target, "");
        if (id.empty()) return;
        const std::string type = type_of(*world, id);
        const sdk::ResourceSchema& schema = sim::resource_schema(type);
        const sdk::AttributeSchema* field = schema.find(*attribute);
        if (field == nullptr || *attribute == "id") {
          sim_error(session, "`" + type + "` has no attribute `" + *attribute + "` to set");
          return;
        }
        Json attributes = sdk::to_json(world->find(id)->attributes);
        Json parsed = Json::parse(*value, nullptr, false);
        attributes[*attribute] = parsed.is_discarded() ? Json(*value) : parsed;
        std::string error;
        std::optional<sdk::Value> decoded = sdk::attributes_from_json(attributes, schema, &error);
        if (!decoded) {
          sim_error(session,
                    "cannot set `" + *attribute + "` of `" + id + "` to " + *value + ": " + error);
          return;
        }
        modify_world(session, dir, [&](sim::SimWorld& next, diag::Diagnostics&) {
          const sdk::Value* found = next.find(id)->attributes.find(*attribute);
          const sdk::Value before = found != nullptr ? *found : sdk::Value();
          next.update(type, id, *decoded);
          if (!field->is_input()) {  // update() logs input changes only
            Json change{{"before", sdk::to_json(before)},
                        {"after", sdk::to_json(*decoded->find(*attribute))}};
            Json changes = Json::object();
            changes[*attribute] = std::move(change);
            next.log(kind_event(type) + ".update", id, Json{{"changes", std::move(changes)}});
          }
          return true;
        });
        if (!session.diagnostics().has_errors()) {
          std::cout << "Set " << *attribute << " of " << id << ".\n";
        }
      });
  set->add_option("id", *target, "Object id or resource address")->required();
  set->add_option("attribute", *attribute, "Attribute name")->required();
  set->add_option("value", *value, "New value: JSON, or a plain string (8Gi, a name)")->required();

  for (const bool block : {true, false}) {
    CLI::App* command = add(
        block ? "block-drain" : "unblock-drain",
        block ? "Make drains of a machine fail until unblock-drain" : "Let drains of a machine run",
        [options, target, block](Session& session, const std::string& dir, int&) {
          std::optional<sim::SimWorld> world = load_world(session, dir);
          if (!world) return;
          std::string id = resolve(session, *options, *world, *target, sim::kMachineType);
          if (id.empty()) return;
          modify_world(session, dir, [&](sim::SimWorld& next, diag::Diagnostics&) {
            if (!next.set_flag(id, sim::kDrainBlocked, block)) return false;
            next.log(block ? "machine.block_drain" : "machine.unblock_drain", id, Json::object());
            return true;
          });
          if (!session.diagnostics().has_errors()) {
            std::cout << (block ? "Drains of " : "Drains of ") << id
                      << (block ? " are blocked.\n" : " are allowed.\n");
          }
        });
    command->add_option("machine", *target, "Machine id or resource address")->required();
  }

  CLI::App* fail = add(
      "fail", "Make the next operation on an object (or resource address) fail permanently",
      [options, target](Session& session, const std::string& dir, int&) {
        std::optional<sim::SimWorld> world = load_world(session, dir);
        if (!world) return;
        // An id in the world, or any address of a sim resource (its next create counts too).
        std::string key = *target;
        const bool address = key.rfind("sim.", 0) == 0 || key.find(".sim.") != std::string::npos;
        if (world->find(key) == nullptr && !address) {
          sim_error(session, "no object `" + key + "` in the sim world")
              .with_note("name an object id (`kc sim show` lists them) or a resource address");
          return;
        }
        modify_world(session, dir, [&](sim::SimWorld& next, diag::Diagnostics&) {
          if (!next.set_flag(key, sim::kFailFlag, true)) return false;
          next.log("fault.inject", key, Json::object());
          return true;
        });
        if (!session.diagnostics().has_errors()) {
          std::cout << "The next operation on " << key << " will fail.\n";
        }
      });
  fail->add_option("target", *target, "Object id or resource address")->required();

  add("check-rollout",
      "Check the event log: max_surge, max_unavailable, drains before deletes, etcd quorum",
      [options, json](Session& session, const std::string& dir, int& code) {
        check_rollout(session, *options, dir, *json, code);
      })
      ->add_flag("--json", *json, "Print a JSON report");
}

}  // namespace kc::cli
