// Order-insensitive, null-tolerant comparison of attribute values.
#include "runtime/plan/compare.h"

#include <algorithm>

namespace kc::plan {
namespace {

const sdk::Value kNull;

const sdk::Value& entry(const sdk::Value& map, const std::string& key) {
  if (map.kind() != sdk::Kind::Map) return kNull;
  const sdk::Value* v = map.find(key);
  return v ? *v : kNull;
}

void collect_keys(const sdk::Value& map, std::vector<std::string>& keys) {
  if (map.kind() != sdk::Kind::Map) return;
  for (const auto& [key, value] : map.as_map()) {
    if (!value.is_null()) keys.push_back(key);
  }
}

std::vector<std::string> union_keys(const sdk::Value& a, const sdk::Value& b) {
  std::vector<std::string> keys;
  collect_keys(a, keys);
  collect_keys(b, keys);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace

bool same_value(const sdk::Value& a, const sdk::Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case sdk::Kind::List: {
      const sdk::List& x = a.as_list();
      const sdk::List& y = b.as_list();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!same_value(x[i], y[i])) return false;
      }
      return true;
    }
    case sdk::Kind::Map:
      for (const std::string& key : union_keys(a, b)) {
        if (!same_value(entry(a, key), entry(b, key))) return false;
      }
      return true;
    default:
      return a == b;
  }
}

std::vector<std::string> changed_attributes(const sdk::Value& before, const sdk::Value& after) {
  std::vector<std::string> changed;
  for (const std::string& key : union_keys(before, after)) {
    if (!same_value(entry(before, key), entry(after, key))) changed.push_back(key);
  }
  return changed;
}

}  // namespace kc::plan
