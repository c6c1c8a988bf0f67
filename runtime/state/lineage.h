// Lineage identifiers: a random UUID (version 4) that names one state for its whole life, so a
// backend can refuse to overwrite a state with one from a different history.
#pragma once

#include <string>

namespace kc::state {

// "xxxxxxxx-xxxx-4xxx-Yxxx-xxxxxxxxxxxx" in lower-case hex (Y is 8, 9, a or b), from the system's
// random source.
std::string new_lineage();

}  // namespace kc::state
