// The JSON pieces of a SimWorld that both world.json (world.cpp) and the journal records
// (world_delta.cpp) use, so that a record decodes exactly like the snapshot would. Internal to the
// sim provider.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "providers/sdk/schema.h"
#include "providers/sim/sim_schema.h"
#include "providers/sim/world.h"

namespace kc::sim {

// The names of kind `type` (one of the k...Type constants).
const KindNames& names_of(std::string_view type);

// Sets `*error` and returns false.
bool fail(std::string* error, std::string message);

// Decodes the attributes `json` of object `key` of `schema`'s kind, checking its `id`.
bool decode_object(const sdk::ResourceSchema& schema, const std::string& key,
                   const nlohmann::ordered_json& json, SimObject* object, std::string* error);
// Decodes event number `index` (for messages), whose seq must follow `previous_seq`.
bool decode_event(size_t index, const nlohmann::ordered_json& json, int64_t previous_seq,
                  SimEvent* event, std::string* error);
bool decode_counter(const nlohmann::ordered_json& json, const std::string& what, int64_t* counter,
                    std::string* error);
// Decodes the `nodes`, `pods` and `budgets` members of `json` that are present.
bool decode_workloads(const nlohmann::ordered_json& json,
                      std::map<std::string, SimNode, std::less<>>* nodes, std::vector<SimPod>* pods,
                      std::vector<SimBudget>* budgets, std::string* error);

nlohmann::ordered_json nodes_json(const std::map<std::string, SimNode, std::less<>>& nodes);
nlohmann::ordered_json pods_json(const std::vector<SimPod>& pods);
nlohmann::ordered_json budgets_json(const std::vector<SimBudget>& budgets);

}  // namespace kc::sim
