// Text rendering of a Plan.
#include "runtime/plan/render_text.h"

#include <algorithm>

#include "providers/sdk/literal.h"

namespace kc::plan {
namespace {

constexpr const char* kReset = "\x1b[0m";
constexpr const char* kBold = "\x1b[1m";
constexpr const char* kRed = "\x1b[31m";
constexpr const char* kGreen = "\x1b[32m";
constexpr const char* kYellow = "\x1b[33m";

struct Painter {
  bool color;

  std::string paint(std::string_view text, const char* code) const {
    if (!color || text.empty()) return std::string(text);
    return std::string(code) + std::string(text) + kReset;
  }
  // Each of + - ~ in its own colour; other characters as they are.
  std::string symbol(std::string_view text) const {
    std::string out;
    for (char c : text) {
      std::string one(1, c);
      out += c == '+'   ? paint(one, kGreen)
             : c == '-' ? paint(one, kRed)
             : c == '~' ? paint(one, kYellow)
                        : one;
    }
    return out;
  }
};

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::binary_search(names.begin(), names.end(), name);
}

struct Row {
  char symbol;  // '+', '-', '~' or ' '
  std::string name;
  std::string value;
  bool forces_replacement = false;
};

const sdk::Value& attribute(const sdk::Value& map, const std::string& name) {
  static const sdk::Value kNull;
  const sdk::Value* v = map.kind() == sdk::Kind::Map ? map.find(name) : nullptr;
  return v ? *v : kNull;
}

std::vector<std::string> sorted_names(const sdk::Value& map) {
  std::vector<std::string> names;
  if (map.kind() != sdk::Kind::Map) return names;
  for (const auto& [name, value] : map.as_map()) {
    if (!value.is_null()) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string shown(const ResourceChange& c, const std::string& name, const sdk::Value& value) {
  return contains(c.sensitive, name) && !value.is_unknown() ? "(sensitive)"
                                                            : sdk::kcl_literal(value);
}

// The attribute rows of a change and the number of unchanged attributes left out.
std::vector<Row> rows_of(const ResourceChange& c, int& hidden) {
  std::vector<Row> rows;
  hidden = 0;
  switch (c.action) {
    case Action::Create:
      for (const std::string& name : sorted_names(c.after)) {
        rows.push_back({'+', name, shown(c, name, attribute(c.after, name))});
      }
      break;
    case Action::Delete:
      for (const std::string& name : sorted_names(c.before)) {
        rows.push_back({'-', name, shown(c, name, attribute(c.before, name)) + " -> null"});
      }
      break;
    case Action::Update:
    case Action::Replace: {
      std::vector<std::string> names = sorted_names(c.before);
      for (const std::string& name : sorted_names(c.after))
        names.push_back(name);
      std::sort(names.begin(), names.end());
      names.erase(std::unique(names.begin(), names.end()), names.end());
      for (const std::string& name : names) {
        if (!contains(c.changed, name)) {
          ++hidden;
          continue;
        }
        const sdk::Value& before = attribute(c.before, name);
        const sdk::Value& after = attribute(c.after, name);
        Row row{'~', name, {}};
        if (before.is_null()) {
          row.symbol = '+';
          row.value = shown(c, name, after);
        } else if (after.is_null()) {
          row.symbol = '-';
          row.value = shown(c, name, before) + " -> null";
        } else {
          row.value = shown(c, name, before) + " -> " + shown(c, name, after);
        }
        row.forces_replacement = contains(c.replace_because, name);
        rows.push_back(std::move(row));
      }
      break;
    }
    case Action::NoOp:
      break;
  }
  return rows;
}

// "sim.machine" "web" for `prod.sim.machine["web"]`; the owner prefix shows only in the # line.
std::string resource_words(const ResourceChange& c) {
  std::string label = c.address;
  std::string opening = c.type + "[\"";
  size_t at = c.address.rfind(opening);
  if (at != std::string::npos && c.address.size() >= at + opening.size() + 2 &&
      c.address.compare(c.address.size() - 2, 2, "\"]") == 0) {
    label = c.address.substr(at + opening.size(), c.address.size() - 2 - (at + opening.size()));
  }
  return "\"" + c.type + "\" \"" + label + "\"";
}

void render_change(std::string& out, const ResourceChange& c, const Painter& p) {
  std::string symbol, verb;
  switch (c.action) {
    case Action::Create:
      symbol = "+", verb = "will be created";
      break;
    case Action::Update:
      symbol = "~", verb = "will be updated in-place";
      break;
    case Action::Replace:
      symbol = c.create_before_destroy ? "+/-" : "-/+", verb = "must be replaced";
      break;
    case Action::Delete:
      symbol = "-", verb = "will be destroyed";
      break;
    case Action::NoOp:
      return;
  }
  // A deposed object is the old object of an earlier replacement, still to be deleted.
  std::string deposed = c.deposed.empty() ? "" : " (deposed object " + c.deposed + ")";
  out += "  # " + p.paint(c.address, kBold) + deposed + " " + verb + "\n";
  out += std::string(3 - symbol.size(), ' ') + p.symbol(symbol) + " resource " + resource_words(c) +
         " {\n";
  int hidden = 0;
  std::vector<Row> rows = rows_of(c, hidden);
  size_t width = 0;
  for (const Row& row : rows)
    width = std::max(width, row.name.size());
  for (const Row& row : rows) {
    out += "      " + p.symbol(std::string(1, row.symbol)) + " " + row.name +
           std::string(width - row.name.size(), ' ') + " = " + row.value;
    if (row.forces_replacement) out += " " + p.paint("# forces replacement", kRed);
    out += "\n";
  }
  if (hidden > 0) {
    out += "        # (" + std::to_string(hidden) + " unchanged attribute" +
           (hidden == 1 ? "" : "s") + " hidden)\n";
  }
  out += "    }\n";
}

std::string step_line(const Step& step, size_t width) {
  std::string id = std::to_string(step.id);
  std::string out = "  " + std::string(width - std::min(width, id.size()), ' ') + id + " " +
                    std::string(step_kind_name(step.kind)) + " " + step.address;
  if (!step.deposed.empty()) out += " (deposed object " + step.deposed + ")";
  if (step.kind == StepKind::Action) out += " " + step.action + ", " + step.hook;
  if (!step.depends_on.empty()) {
    out += " (after ";
    for (size_t i = 0; i < step.depends_on.size(); ++i) {
      out += (i ? ", " : "") + std::to_string(step.depends_on[i]);
    }
    out += ")";
  }
  return out + "\n";
}

// "Wave 2 of group "pool-app" (2 of 3; 6 members, max_surge 1, max_unavailable 0):"
std::string wave_title(const Wave& w, const Painter& p) {
  std::string out = p.paint("Wave " + std::to_string(w.number), kBold) + " of group \"" + w.group +
                    "\" (" + std::to_string(w.index) + " of " + std::to_string(w.count) + "; " +
                    std::to_string(w.members) + (w.members == 1 ? " member" : " members") +
                    ", max_surge " + std::to_string(w.surge) + ", max_unavailable " +
                    std::to_string(w.unavailable);
  if (w.quorum) {
    out += ", quorum: " + std::to_string(w.serving) + " of " + std::to_string(w.existing) + " up";
  }
  return out + "):\n";
}

// Steps outside waves first, then each wave's steps under its title; ids are global, so a wave's
// steps may interleave with others' in execution order.
void render_steps(std::string& out, const Plan& plan, const Painter& p) {
  const std::vector<Step>& steps = plan.steps;
  if (steps.empty()) return;
  size_t width = std::to_string(steps.back().id).size();
  std::vector<std::string> by_wave(plan.waves.size() + 1);
  for (const Step& step : steps) {
    size_t wave = step.wave > 0 && static_cast<size_t>(step.wave) <= plan.waves.size()
                      ? static_cast<size_t>(step.wave)
                      : 0;
    by_wave[wave] += step_line(step, width);
  }
  if (!by_wave[0].empty()) out += "Steps:\n" + by_wave[0] + "\n";
  for (const Wave& w : plan.waves) {
    out += wave_title(w, p) + by_wave[static_cast<size_t>(w.number)] + "\n";
  }
}

}  // namespace

std::string render_plan_text(const Plan& plan, bool color) {
  Painter p{color};
  if (!plan.has_changes()) {
    return p.paint("No changes.", kBold) + " The infrastructure matches the configuration.\n";
  }
  std::string out = "kc will perform the following actions:\n\n";
  for (const ResourceChange& c : plan.changes) {
    if (c.action == Action::NoOp) continue;
    render_change(out, c, p);
    out += "\n";
  }
  render_steps(out, plan, p);
  const Summary& s = plan.summary;
  out += p.paint("Plan:", kBold) + " " + std::to_string(s.create) + " to create, " +
         std::to_string(s.update) + " to update, " + std::to_string(s.replace) + " to replace, " +
         std::to_string(s.destroy) + " to delete.\n";
  return out;
}

}  // namespace kc::plan
