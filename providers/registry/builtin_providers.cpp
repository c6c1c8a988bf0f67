// BuiltinProviders: the table of built-in providers and lookups over their schemas.
#include "providers/registry/builtin_providers.h"

#include <algorithm>
#include <utility>

#include "providers/sim/sim_provider.h"

namespace kc::providers {
namespace {

using Factory = std::unique_ptr<sdk::Provider> (*)();

template <typename P>
std::unique_ptr<sdk::Provider> make() {
  return std::make_unique<P>();
}

// Every built-in provider, one line each; its name comes from its schema.
constexpr Factory kBuiltins[] = {
    make<sim::SimProvider>,
};

}  // namespace

BuiltinProviders::BuiltinProviders() {
  for (Factory factory : kBuiltins)
    entries_.push_back(Entry{factory(), false});
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    return a.provider->schema().name < b.provider->schema().name;
  });
}

BuiltinProviders::~BuiltinProviders() = default;

BuiltinProviders::Entry* BuiltinProviders::find(std::string_view name) {
  return const_cast<Entry*>(std::as_const(*this).find(name));
}

const BuiltinProviders::Entry* BuiltinProviders::find(std::string_view name) const {
  for (const Entry& entry : entries_) {
    if (entry.provider->schema().name == name) return &entry;
  }
  return nullptr;
}

sdk::Provider* BuiltinProviders::get(std::string_view name) {
  Entry* entry = find(name);
  return entry == nullptr ? nullptr : entry->provider.get();
}

const sdk::ProviderSchema* BuiltinProviders::find_provider(std::string_view name) const {
  const Entry* entry = find(name);
  return entry == nullptr ? nullptr : &entry->provider->schema();
}

const sdk::ResourceSchema* BuiltinProviders::find_resource(std::string_view type) const {
  // "sim.machine" belongs to provider "sim".
  size_t dot = type.find('.');
  if (dot == std::string_view::npos) return nullptr;
  const sdk::ProviderSchema* provider = find_provider(type.substr(0, dot));
  return provider == nullptr ? nullptr : provider->find(type);
}

std::vector<std::string> BuiltinProviders::resource_types() const {
  std::vector<std::string> types;
  for (const Entry& entry : entries_) {
    for (const sdk::ResourceSchema& resource : entry.provider->schema().resources) {
      types.push_back(resource.type);
    }
  }
  std::sort(types.begin(), types.end());
  return types;
}

std::vector<std::string> BuiltinProviders::names() const {
  std::vector<std::string> result;
  for (const Entry& entry : entries_)
    result.push_back(entry.provider->schema().name);
  return result;
}

diag::Diagnostics BuiltinProviders::configure(std::string_view name, const sdk::Value& config,
                                              const std::string& module_dir) {
  Entry* entry = find(name);
  if (entry == nullptr) {
    diag::Diagnostics diagnostics;
    std::string known;
    for (const std::string& n : names())
      known += (known.empty() ? "`" : ", `") + n + "`";
    diagnostics
        .error(diag::Code::E0504, source::Span{},
               "there is no built-in provider `" + std::string(name) + "`")
        .with_note("built-in providers: " + known);
    return diagnostics;
  }
  entry->configured = true;
  return entry->provider->configure(sdk::ConfigureRequest{config, module_dir});
}

diag::Diagnostics BuiltinProviders::configure_defaults(const std::string& module_dir) {
  diag::Diagnostics diagnostics;
  for (Entry& entry : entries_) {
    if (entry.configured) continue;
    entry.configured = true;
    diagnostics.append(entry.provider->configure(sdk::ConfigureRequest{sdk::Value(), module_dir}));
  }
  return diagnostics;
}

bool BuiltinProviders::configured(std::string_view name) const {
  const Entry* entry = find(name);
  return entry != nullptr && entry->configured;
}

}  // namespace kc::providers
