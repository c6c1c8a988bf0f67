// The State model's lookups and its sorted-by-address invariant.
#include "runtime/state/state.h"

#include <algorithm>

namespace kc::state {
namespace {

template <typename It>
It lower(It begin, It end, std::string_view address) {
  return std::lower_bound(begin, end, address, [](const ResourceState& r, std::string_view a) {
    return std::string_view(r.address) < a;
  });
}

}  // namespace

const ResourceState* State::find(std::string_view address) const {
  auto it = lower(resources.begin(), resources.end(), address);
  return it != resources.end() && it->address == address ? &*it : nullptr;
}

ResourceState* State::find(std::string_view address) {
  auto it = lower(resources.begin(), resources.end(), address);
  return it != resources.end() && it->address == address ? &*it : nullptr;
}

void State::upsert(ResourceState resource) {
  auto it = lower(resources.begin(), resources.end(), resource.address);
  if (it != resources.end() && it->address == resource.address) {
    *it = std::move(resource);
  } else {
    resources.insert(it, std::move(resource));
  }
}

bool State::remove(std::string_view address) {
  auto it = lower(resources.begin(), resources.end(), address);
  if (it == resources.end() || it->address != address) return false;
  resources.erase(it);
  return true;
}

namespace {
auto pending_at(std::vector<PendingCreate>& pending, std::string_view address) {
  return std::lower_bound(pending.begin(), pending.end(), address,
                          [](const PendingCreate& p, std::string_view a) { return p.address < a; });
}
}  // namespace

void State::add_pending(PendingCreate create) {
  auto it = pending_at(pending, create.address);
  if (it != pending.end() && it->address == create.address) {
    *it = std::move(create);
  } else {
    pending.insert(it, std::move(create));
  }
}

bool State::clear_pending(std::string_view address) {
  auto it = pending_at(pending, address);
  if (it == pending.end() || it->address != address) return false;
  pending.erase(it);
  return true;
}

const PendingCreate* State::find_pending(std::string_view address) const {
  auto it =
      std::lower_bound(pending.begin(), pending.end(), address,
                       [](const PendingCreate& p, std::string_view a) { return p.address < a; });
  return it != pending.end() && it->address == address ? &*it : nullptr;
}

namespace {
auto deposed_at(std::vector<DeposedObject>& deposed, std::string_view address,
                std::string_view key) {
  return std::lower_bound(
      deposed.begin(), deposed.end(), std::pair{address, key},
      [](const DeposedObject& d, const std::pair<std::string_view, std::string_view>& k) {
        return std::pair<std::string_view, std::string_view>(d.resource.address, d.key) < k;
      });
}
}  // namespace

void State::add_deposed(DeposedObject object) {
  auto it = deposed_at(deposed, object.resource.address, object.key);
  if (it != deposed.end() && it->resource.address == object.resource.address &&
      it->key == object.key) {
    *it = std::move(object);
  } else {
    deposed.insert(it, std::move(object));
  }
}

bool State::remove_deposed(std::string_view address, std::string_view key) {
  auto it = deposed_at(deposed, address, key);
  if (it == deposed.end() || it->resource.address != address || it->key != key) return false;
  deposed.erase(it);
  return true;
}

const DeposedObject* State::find_deposed(std::string_view address, std::string_view key) const {
  auto it = deposed_at(const_cast<std::vector<DeposedObject>&>(deposed), address, key);
  return it != deposed.end() && it->resource.address == address && it->key == key ? &*it : nullptr;
}

bool State::depose(std::string_view address, std::string key) {
  const ResourceState* current = find(address);
  if (!current) return false;
  DeposedObject object{std::move(key), *current};
  remove(address);
  add_deposed(std::move(object));
  return true;
}

}  // namespace kc::state
