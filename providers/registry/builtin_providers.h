// BuiltinProviders: the providers compiled into kc (only `sim` for now), one instance each, and the
// SchemaSource the compiler types resources with.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/provider.h"

namespace kc::providers {

// Owns one instance of every built-in provider for one run. Schema lookups are const and safe from
// any thread; configure() is called from one thread before any other provider call.
class BuiltinProviders final : public sdk::Providers {
 public:
  BuiltinProviders();
  ~BuiltinProviders() override;

  // nullptr for a name that is not a built-in provider.
  sdk::Provider* get(std::string_view name) override;
  const sdk::ResourceSchema* find_resource(std::string_view type) const override;
  const sdk::ProviderSchema* find_provider(std::string_view name) const override;
  std::vector<std::string> resource_types() const override;  // sorted
  std::vector<std::string> names() const;                    // sorted

  // Configures provider `name` (config is the block's map, or null) with the module directory it
  // keeps local data under. An unknown name is an E0504 diagnostic.
  diag::Diagnostics configure(std::string_view name, const sdk::Value& config,
                              const std::string& module_dir);
  // Configures with a null config every provider configure() has not been called for, so a
  // module may use a provider without a `provider` block.
  diag::Diagnostics configure_defaults(const std::string& module_dir);
  bool configured(std::string_view name) const;

 private:
  struct Entry {
    std::unique_ptr<sdk::Provider> provider;
    bool configured = false;
  };
  Entry* find(std::string_view name);
  const Entry* find(std::string_view name) const;

  std::vector<Entry> entries_;  // sorted by provider name
};

}  // namespace kc::providers
