// The KCL literal form of a Value: what one would write in a .kcl file (the text plan, messages).
#pragma once

#include <string>

#include "providers/sdk/value.h"

namespace kc::sdk {

// Strings quoted with KCL escapes; numbers, booleans and null as written; domain values as their
// literals (4Gi, 1h30m, 40%, v1.29.4, 10.0.0.1, 10.0.0.0/16); IPv6 addresses and CIDRs quoted,
// since KCL writes those as strings; lists `[a, b]`; maps `{ key = value }`; unknowns as
// `(known after apply)`.
std::string kcl_literal(const Value& value);

}  // namespace kc::sdk
