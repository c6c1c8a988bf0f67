// The file side of `sim.kubeconfig`: where a module-relative path may point, the kubeconfig YAML,
// and writing and removing it. The only place the sim provider touches files outside .kc/sim.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace kc::sim {

// Nullopt when `path` may name a kubeconfig: relative, not empty, and staying below the module
// directory after `.` and `..` are resolved; otherwise the reason, as a sentence fragment.
std::optional<std::string> relative_path_problem(const std::string& path);

// The file `path` names below `module_dir`; nullopt with `error` set when relative_path_problem
// finds one, or when a symbolic link below `module_dir` leads out of it.
std::optional<std::filesystem::path> kubeconfig_target(const std::string& module_dir,
                                                       const std::string& path, std::string* error);

struct KubeconfigFields {
  std::string cluster;
  std::string endpoint;  // `https://` is added when it has no scheme
  std::string ca;        // CA certificate text
  std::string user;
};
// The kubeconfig YAML: one cluster, one user with a token derived from the fields, one context
// that is current.
std::string render_kubeconfig(const KubeconfigFields& fields);

// Writes `content` to `target` (mode 0600, creating directories) atomically.
bool write_kubeconfig(const std::filesystem::path& target, const std::string& content,
                      std::string* error);
// Removes `target`; a file that is already gone is fine.
bool remove_kubeconfig(const std::filesystem::path& target, std::string* error);

}  // namespace kc::sim
