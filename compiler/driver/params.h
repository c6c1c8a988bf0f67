// Param inputs from the command line and the environment (CLI.md "Inputs"): `--var NAME=VALUE`
// (VALUE parsed as a KCL literal, else taken as a string), `--var-file FILE` (YAML or JSON) and
// `KC_VAR_NAME`. Precedence: --var over --var-file over environment over the param's default.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/eval/evaluate.h"
#include "providers/sdk/value.h"

namespace kc::driver {

struct ParamSources {
  std::vector<std::string> vars;         // "NAME=VALUE", in command-line order
  std::vector<std::string> var_files;    // in command-line order; later files win
  std::vector<std::string> environment;  // "KEY=VALUE" entries, as in `environ`
};

std::map<std::string, eval::ParamInput> collect_params(const ParamSources& sources,
                                                       diag::Diagnostics& diagnostics);

// A command-line value: a KCL literal (number, string, bool, null, domain literal, list or record
// of literals) becomes that value; anything else is the string itself.
sdk::Value parse_input_value(std::string_view text);

}  // namespace kc::driver
