// The rules of `kc state rm|mv|push` on State values.
#include "runtime/state/state_edit.h"

#include <algorithm>

#include "compiler/sema/suggest.h"

namespace kc::state {

std::vector<std::string> list_addresses(const State& state, std::string_view prefix) {
  std::vector<std::string> addresses;
  for (const ResourceState& resource : state.resources) {
    if (std::string_view(resource.address).substr(0, prefix.size()) == prefix) {
      addresses.push_back(resource.address);
    }
  }
  return addresses;
}

namespace {

constexpr std::string_view kDeposedOpen = " (deposed object ";

}  // namespace

std::string deposed_label(std::string_view address, std::string_view key) {
  return std::string(address) + std::string(kDeposedOpen) + std::string(key) + ")";
}

StateName parse_state_name(std::string_view text) {
  size_t open = text.rfind(kDeposedOpen);
  if (open == std::string_view::npos || text.empty() || text.back() != ')') {
    return StateName{std::string(text), std::nullopt};
  }
  size_t key_begin = open + kDeposedOpen.size();
  return StateName{std::string(text.substr(0, open)),
                   std::string(text.substr(key_begin, text.size() - 1 - key_begin))};
}

void report_unknown_address(const State& state, std::string_view address,
                            diag::Diagnostics& diags) {
  StateName name = parse_state_name(address);
  if (name.deposed_key) {
    std::vector<std::string> labels;
    for (const DeposedObject& deposed : state.deposed)
      labels.push_back(deposed_label(deposed.resource.address, deposed.key));
    diag::Diagnostic& d = diags.error(
        diag::Code::E0505, source::Span{},
        "no deposed object " + *name.deposed_key + " of `" + name.address + "` in the state");
    if (auto near = sema::closest(address, labels)) {
      d.with_note("did you mean `" + *near + "`?");
    } else {
      d.with_note("`kc state list` prints the deposed objects in the state");
    }
    return;
  }
  diag::Diagnostic& d = diags.error(diag::Code::E0505, source::Span{},
                                    "no resource `" + std::string(address) + "` in the state");
  if (auto near = sema::closest(address, list_addresses(state))) {
    d.with_note("did you mean `" + *near + "`?");
  } else {
    d.with_note("`kc state list` prints the addresses in the state");
  }
}

const ResourceState* find_named(const State& state, const StateName& name) {
  if (!name.deposed_key) return state.find(name.address);
  const DeposedObject* deposed = state.find_deposed(name.address, *name.deposed_key);
  return deposed != nullptr ? &deposed->resource : nullptr;
}

bool remove_resources(State& state, const std::vector<std::string>& names,
                      diag::Diagnostics& diags) {
  bool ok = true;
  for (const std::string& text : names) {
    if (find_named(state, parse_state_name(text)) == nullptr) {
      report_unknown_address(state, text, diags);
      ok = false;
    }
  }
  if (!ok) return false;
  for (const std::string& text : names) {
    StateName name = parse_state_name(text);
    if (name.deposed_key) {
      state.remove_deposed(name.address, *name.deposed_key);
    } else {
      state.remove(name.address);
    }
  }
  return true;
}

namespace {

// True when `address` is `<type>[...]`, optionally after an owner prefix ending in '.'.
bool has_type(std::string_view address, std::string_view type) {
  if (address.empty() || address.back() != ']') return false;
  std::string head = std::string(type) + "[";
  size_t at = address.find(head);
  while (at != std::string_view::npos) {
    if (at == 0 || address[at - 1] == '.') return address.size() > at + head.size() + 1;
    at = address.find(head, at + 1);
  }
  return false;
}

}  // namespace

bool move_resource(State& state, std::string_view from, std::string_view to,
                   diag::Diagnostics& diags) {
  if (parse_state_name(from).deposed_key || parse_state_name(to).deposed_key) {
    diags
        .error(diag::Code::E0505, source::Span{},
               "cannot move `" + std::string(from) + "` to `" + std::string(to) +
                   "`: a deposed object is not moved on its own")
        .with_note(
            "it moves with its resource's address; `kc state rm` forgets it, and the next apply "
            "deletes it otherwise");
    return false;
  }
  const ResourceState* source = state.find(from);
  if (source == nullptr) {
    report_unknown_address(state, from, diags);
    return false;
  }
  if (state.find(to) != nullptr) {
    diags
        .error(diag::Code::E0505, source::Span{},
               "cannot move `" + std::string(from) + "` to `" + std::string(to) +
                   "`: the state already has `" + std::string(to) + "`")
        .with_note("remove it first with `kc state rm` if it is no longer wanted");
    return false;
  }
  if (!has_type(to, source->type)) {
    diags
        .error(diag::Code::E0505, source::Span{},
               "cannot move `" + std::string(from) + "` to `" + std::string(to) +
                   "`: the new address must name a `" + source->type + "` resource")
        .with_note("write it as `" + source->type + "[\"NAME\"]`");
    return false;
  }
  ResourceState moved = *source;
  state.remove(from);
  moved.address = std::string(to);
  state.upsert(std::move(moved));
  // The old objects of `from`'s replacements belong to the renamed resource too.
  std::vector<DeposedObject> deposed;
  for (const DeposedObject& object : state.deposed) {
    if (object.resource.address == from) deposed.push_back(object);
  }
  for (DeposedObject& object : deposed) {
    state.remove_deposed(from, object.key);
    object.resource.address = std::string(to);
    state.add_deposed(std::move(object));
  }
  for (ResourceState& resource : state.resources) {
    bool renamed = false;
    for (std::string& dependency : resource.dependencies) {
      if (dependency == from) {
        dependency = std::string(to);
        renamed = true;
      }
    }
    if (renamed) {
      std::sort(resource.dependencies.begin(), resource.dependencies.end());
      resource.dependencies.erase(
          std::unique(resource.dependencies.begin(), resource.dependencies.end()),
          resource.dependencies.end());
    }
  }
  return true;
}

bool prepare_push(const State& stored, bool stored_exists, State& incoming, bool force,
                  diag::Diagnostics& diags) {
  if (stored_exists && !force) {
    if (!incoming.lineage.empty() && incoming.lineage != stored.lineage) {
      diags
          .error(diag::Code::E0506, source::Span{},
                 "cannot push a state of another lineage (" + incoming.lineage +
                     ") over the stored one (" + stored.lineage + ")")
          .with_note("it is the state of a different history; pass --force to replace it anyway");
      return false;
    }
    if (incoming.serial < stored.serial) {
      diags
          .error(diag::Code::E0505, source::Span{},
                 "cannot push serial " + std::to_string(incoming.serial) +
                     " over the stored serial " + std::to_string(stored.serial))
          .with_note(
              "the pushed state is older than the stored one; pass --force to replace it "
              "anyway");
      return false;
    }
  }
  if (incoming.lineage.empty()) incoming.lineage = stored.lineage;
  if (stored_exists) incoming.serial = std::max(incoming.serial, stored.serial);
  return true;
}

}  // namespace kc::state
