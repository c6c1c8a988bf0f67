// The Value class: kinds, shared lists and maps, deep equality and unknown tracking.
#include "providers/sdk/value.h"

#include <cstdio>

#include <algorithm>

namespace kc::sdk {

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::Null:
      return "null";
    case Kind::Bool:
      return "bool";
    case Kind::Int:
      return "int";
    case Kind::Float:
      return "float";
    case Kind::String:
      return "string";
    case Kind::Duration:
      return "duration";
    case Kind::Bytes:
      return "bytes";
    case Kind::Percent:
      return "percent";
    case Kind::Version:
      return "version";
    case Kind::Ip:
      return "ip";
    case Kind::Cidr:
      return "cidr";
    case Kind::List:
      return "list";
    case Kind::Map:
      return "map";
    case Kind::Unknown:
      return "unknown";
  }
  return "unknown";
}

Value Value::list(List items) {
  Value value;
  value.data_ = std::make_shared<const List>(std::move(items));
  return value;
}

Value Value::map(Entries entries) {
  Value value;
  value.data_ = std::make_shared<const Entries>(std::move(entries));
  return value;
}

const List& Value::as_list() const {
  return *std::get<ListPtr>(data_);
}
const Entries& Value::as_map() const {
  return *std::get<MapPtr>(data_);
}

bool Value::contains_unknown() const {
  switch (kind()) {
    case Kind::Unknown:
      return true;
    case Kind::List:
      return std::any_of(as_list().begin(), as_list().end(),
                         [](const Value& item) { return item.contains_unknown(); });
    case Kind::Map:
      return std::any_of(as_map().begin(), as_map().end(),
                         [](const auto& entry) { return entry.second.contains_unknown(); });
    default:
      return false;
  }
}

const Value* Value::find(std::string_view key) const {
  if (kind() != Kind::Map) return nullptr;
  for (const auto& [name, value] : as_map()) {
    if (name == key) return &value;
  }
  return nullptr;
}

// Deep equality. Kinds must match (1 != 1.0). Maps compare as sets of entries: the same keys with
// equal values, in any order, since a provider may report attributes in another order.
bool operator==(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::List: {
      const auto& x = std::get<Value::ListPtr>(a.data_);
      const auto& y = std::get<Value::ListPtr>(b.data_);
      return x == y || *x == *y;
    }
    case Kind::Map: {
      const auto& x = std::get<Value::MapPtr>(a.data_);
      const auto& y = std::get<Value::MapPtr>(b.data_);
      if (x == y) return true;
      if (x->size() != y->size()) return false;
      for (size_t i = 0; i < x->size(); ++i) {
        const auto& [key, value] = (*x)[i];
        // Same position first (the common case), else a lookup.
        const Value* other = (*y)[i].first == key ? &(*y)[i].second : b.find(key);
        if (other == nullptr || !(value == *other)) return false;
      }
      return true;
    }
    default:
      return a.data_ == b.data_;
  }
}

std::string quote_string(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '$':
        out += (i + 1 < text.size() && text[i + 1] == '{') ? "\\$" : "$";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buffer[16];
          std::snprintf(buffer, sizeof buffer, "\\u{%X}", static_cast<unsigned>(c));
          out += buffer;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace kc::sdk
