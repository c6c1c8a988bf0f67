// Values printed as KCL literals.
#include "runtime/plan/literal.h"

#include <cstdio>

#include "providers/sdk/json.h"

namespace kc::plan {
namespace {

bool is_identifier(const std::string& key) {
  if (key.empty()) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string float_literal(double f) {
  std::string text = sdk::format_float(f);
  if (text.find_first_not_of("-0123456789") == std::string::npos) text += ".0";
  return text;
}

}  // namespace

std::string kcl_literal(const sdk::Value& value) {
  switch (value.kind()) {
    case sdk::Kind::Null:
      return "null";
    case sdk::Kind::Bool:
      return value.as_bool() ? "true" : "false";
    case sdk::Kind::Int:
      return std::to_string(value.as_int());
    case sdk::Kind::Float:
      return float_literal(value.as_float());
    case sdk::Kind::String:
      return sdk::quote_string(value.as_string());
    case sdk::Kind::Duration:
      return sdk::to_string(value.as_duration());
    case sdk::Kind::Bytes:
      return sdk::to_string(value.as_bytes());
    case sdk::Kind::Percent:
      return sdk::to_string(value.as_percent());
    case sdk::Kind::Version:
      return sdk::to_string(value.as_version());
    case sdk::Kind::Ip: {
      std::string text = sdk::to_string(value.as_ip());
      return value.as_ip().v6 ? sdk::quote_string(text) : text;
    }
    case sdk::Kind::Cidr: {
      std::string text = sdk::to_string(value.as_cidr());
      return value.as_cidr().address.v6 ? sdk::quote_string(text) : text;
    }
    case sdk::Kind::List: {
      std::string out = "[";
      for (const sdk::Value& item : value.as_list()) {
        if (out.size() > 1) out += ", ";
        out += kcl_literal(item);
      }
      return out + "]";
    }
    case sdk::Kind::Map: {
      if (value.as_map().empty()) return "{}";
      std::string out = "{ ";
      bool first = true;
      for (const auto& [key, item] : value.as_map()) {
        if (!first) out += ", ";
        first = false;
        out += (is_identifier(key) ? key : sdk::quote_string(key)) + " = " + kcl_literal(item);
      }
      return out + " }";
    }
    case sdk::Kind::Unknown:
      return sdk::kUnknownText;
  }
  return "null";
}

}  // namespace kc::plan
