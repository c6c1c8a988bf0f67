// Repairs of a stored state for `kc state rm|mv|push`: the rules they follow, separate from the
// command line so that they can be tested on plain State values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "runtime/state/state.h"

namespace kc::state {

// Addresses in `state` starting with `prefix` (all when empty), in state order.
std::vector<std::string> list_addresses(const State& state, std::string_view prefix = {});

// A deposed object as `kc state list` prints it, and as `kc state show|rm` take it:
// `ADDR (deposed object KEY)`.
std::string deposed_label(std::string_view address, std::string_view key);

// What `kc state show|rm|mv` are given: a resource address, or a deposed object's label.
struct StateName {
  std::string address;
  std::optional<std::string> deposed_key;
};
StateName parse_state_name(std::string_view text);

// The E0505 "no resource ADDR in the state" error (or "no deposed object ..."), with a
// did-you-mean when one is close.
void report_unknown_address(const State& state, std::string_view address, diag::Diagnostics& diags);

// The record `name` names: the resource at an address, or a deposed object; null when none.
const ResourceState* find_named(const State& state, const StateName& name);

// Forgets what `names` name: resources or deposed objects (the objects themselves are left alone,
// and a forgotten deposed object is no longer deleted by the next apply). All or nothing: when any
// name is unknown, reports each (E0505) and changes nothing. Dependencies that name a removed
// address are kept: they only order deletes, and a missing one is skipped.
bool remove_resources(State& state, const std::vector<std::string>& names,
                      diag::Diagnostics& diags);

// Renames `from` to `to`, and every dependency naming `from`; the deposed objects of `from` move
// with it. Refused (E0505, nothing changed) when `from` is unknown or a deposed object, `to`
// already exists, or `to` is not an address of the same resource type.
bool move_resource(State& state, std::string_view from, std::string_view to,
                   diag::Diagnostics& diags);

// Whether `incoming` may replace `stored` (`stored_exists`: a state was stored before). Refused
// (E0506 for a different lineage, E0505 for a lower serial) unless `force`. On success sets
// `incoming.serial` so that saving it stores a serial above both.
bool prepare_push(const State& stored, bool stored_exists, State& incoming, bool force,
                  diag::Diagnostics& diags);

}  // namespace kc::state
