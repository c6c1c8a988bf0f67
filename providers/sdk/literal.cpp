// Values printed as KCL literals.
#include "providers/sdk/literal.h"

#include <cstdio>

#include "providers/sdk/json.h"

namespace kc::sdk {
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
  std::string text = format_float(f);
  if (text.find_first_not_of("-0123456789") == std::string::npos) text += ".0";
  return text;
}

}  // namespace

std::string kcl_literal(const Value& value) {
  switch (value.kind()) {
    case Kind::Null:
      return "null";
    case Kind::Bool:
      return value.as_bool() ? "true" : "false";
    case Kind::Int:
      return std::to_string(value.as_int());
    case Kind::Float:
      return float_literal(value.as_float());
    case Kind::String:
      return quote_string(value.as_string());
    case Kind::Duration:
      return to_string(value.as_duration());
    case Kind::Bytes:
      return to_string(value.as_bytes());
    case Kind::Percent:
      return to_string(value.as_percent());
    case Kind::Version:
      return to_string(value.as_version());
    case Kind::Ip: {
      std::string text = to_string(value.as_ip());
      return value.as_ip().v6 ? quote_string(text) : text;
    }
    case Kind::Cidr: {
      std::string text = to_string(value.as_cidr());
      return value.as_cidr().address.v6 ? quote_string(text) : text;
    }
    case Kind::List: {
      std::string out = "[";
      for (const Value& item : value.as_list()) {
        if (out.size() > 1) out += ", ";
        out += kcl_literal(item);
      }
      return out + "]";
    }
    case Kind::Map: {
      if (value.as_map().empty()) return "{}";
      std::string out = "{ ";
      bool first = true;
      for (const auto& [key, item] : value.as_map()) {
        if (!first) out += ", ";
        first = false;
        out += (is_identifier(key) ? key : quote_string(key)) + " = " + kcl_literal(item);
      }
      return out + " }";
    }
    case Kind::Unknown:
      return kUnknownText;
  }
  return "null";
}

}  // namespace kc::sdk
