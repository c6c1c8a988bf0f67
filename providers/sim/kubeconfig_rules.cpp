// sim.kubeconfig: writes its file on create and update, moves it when `path` changes, removes it
// on delete, and counts as gone when the file is.
#include <filesystem>
#include <string>

#include "providers/sim/kind.h"
#include "providers/sim/kubeconfig_file.h"
#include "providers/sim/sim_schema.h"

namespace kc::sim {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultUser = "admin";

class KubeconfigKind final : public SimKind {
 public:
  KubeconfigKind()
      : SimKind(kKubeconfigType, {{"content", {"cluster", "endpoint", "ca", "user"}}}) {}

  void check_inputs(const std::string& address, const sdk::Value& known,
                    diag::Diagnostics& diagnostics) const override {
    for (const char* name : {"cluster", "endpoint", "ca", "user"})
      require_not_empty(address, known, name, diagnostics);
    if (const sdk::Value* path = known.find("path")) {
      if (std::optional<std::string> problem = relative_path_problem(path->as_string())) {
        address_error(diagnostics, address,
                      "attribute `path` must stay below the module directory: " + *problem);
      }
    }
  }

  sdk::Entries outputs(SimContext& context, const std::string& id, const sdk::Value& inputs,
                       const sdk::Value& prior) const override {
    std::string error;
    const std::string path = string_attribute(inputs, "path");
    std::optional<fs::path> target = kubeconfig_target(context.module_dir, path, &error);
    if (!target) {
      context.error(error);
      return {};
    }
    if (prior.is_null() && !take_over_stale(context, id, *target)) return {};

    KubeconfigFields fields;
    fields.cluster = string_attribute(inputs, "cluster");
    fields.endpoint = string_attribute(inputs, "endpoint");
    fields.ca = string_attribute(inputs, "ca");
    fields.user = string_attribute(inputs, "user");
    if (fields.user.empty()) fields.user = kDefaultUser;
    std::string content = render_kubeconfig(fields);
    if (!write_kubeconfig(*target, content, &error)) {
      context.error(error);
      return {};
    }
    const std::string old_path = string_attribute(prior, "path");
    if (!old_path.empty() && old_path != path) {  // moved: the old file goes
      std::optional<fs::path> old_target = kubeconfig_target(context.module_dir, old_path, &error);
      if (old_target && *old_target != *target && !remove_kubeconfig(*old_target, &error)) {
        context.error(error);
      }
    }
    return {{"content", std::move(content)}};
  }

  void before_delete(SimContext& context, const SimObject& object) const override {
    std::string error;
    std::optional<fs::path> target =
        kubeconfig_target(context.module_dir, string_attribute(object.attributes, "path"), &error);
    if (target && !remove_kubeconfig(*target, &error)) context.error(error);
  }

  bool present(const SimObject& object, const std::string& module_dir) const override {
    std::string error;
    std::optional<fs::path> target =
        kubeconfig_target(module_dir, string_attribute(object.attributes, "path"), &error);
    std::error_code ec;
    return target && fs::exists(*target, ec);
  }

 private:
  // Another kubeconfig recorded at the same file: a conflict while its file exists; otherwise a
  // record whose file was deleted (so kc is writing it anew), which this one replaces.
  static bool take_over_stale(SimContext& context, const std::string& id, const fs::path& target) {
    std::vector<std::string> stale;
    for (const SimObject& other : context.world.objects(kKubeconfigType)) {
      std::string error;
      std::optional<fs::path> other_target =
          kubeconfig_target(context.module_dir, string_attribute(other.attributes, "path"), &error);
      if (other.id == id || !other_target || *other_target != target) continue;
      std::error_code ec;
      if (fs::exists(target, ec)) {
        context.error("`" + target.string() + "` is already written by kubeconfig `" + other.id +
                      "`");
        return false;
      }
      stale.push_back(other.id);
    }
    for (const std::string& other : stale)
      context.world.erase(kKubeconfigType, other);
    return true;
  }
};

}  // namespace

const SimKind& kubeconfig_kind() {
  static const KubeconfigKind kind;
  return kind;
}

}  // namespace kc::sim
