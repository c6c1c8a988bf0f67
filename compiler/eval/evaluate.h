// The evaluator's entry point: a checked program plus inputs in, DesiredState out. Lazy and
// deterministic; each declaration is evaluated at most once; independent errors are all reported.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "compiler/diag/diagnostic.h"
#include "compiler/eval/builtins.h"
#include "compiler/eval/desired_state.h"
#include "compiler/sema/checked.h"
#include "providers/sdk/schema.h"

namespace kc::eval {

// A value given for a param, and where it came from ("--var workers=3"), for messages.
struct ParamInput {
  sdk::Value value;
  std::string origin;
};

struct EvalInputs {
  // Values for the root module's params; checked against the params' declared types here.
  std::map<std::string, ParamInput> params;
  // Stored attributes of resources that exist, by address: their outputs are known. A resource
  // absent here has Unknown outputs.
  const std::map<std::string, sdk::Value>* known = nullptr;
  // What built-ins may read (`file()`): empty in tests that need no files.
  BuiltinContext builtins;
};

DesiredState evaluate(const sema::CheckedProgram& program, const sdk::SchemaSource& schemas,
                      const EvalInputs& inputs, diag::Diagnostics& diagnostics);

// The root module's exports in the printed form of LANGUAGE.md 8a (`kc eval`).
nlohmann::ordered_json exports_json(const DesiredState& desired);
// Resources and outputs as JSON text (`kc check --dump=desired`).
std::string dump_desired(const DesiredState& desired);

}  // namespace kc::eval
