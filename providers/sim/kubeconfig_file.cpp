// Kubeconfig paths, YAML and file writes.
#include "providers/sim/kubeconfig_file.h"

#include <nlohmann/json.hpp>
#include <system_error>

#include "providers/sim/pki.h"
#include "support/files.h"

namespace kc::sim {
namespace {

namespace fs = std::filesystem;

// A YAML double-quoted scalar; JSON string syntax is a subset of it.
std::string quoted(const std::string& text) {
  return nlohmann::json(text).dump();
}

// True when `inner` is `outer` or below it (both absolute and normal).
bool is_below(const fs::path& outer, const fs::path& inner) {
  auto o = outer.begin();
  auto i = inner.begin();
  for (; o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // the trailing "" of a path ending in a separator
    if (i == inner.end() || *o != *i) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> relative_path_problem(const std::string& path) {
  if (path.empty()) return "it is empty";
  const fs::path p(path);
  if (p.is_absolute() || p.has_root_name() || p.has_root_directory()) {
    return "\"" + path + "\" is absolute; write a path relative to the module directory";
  }
  const fs::path normal = p.lexically_normal();
  if (normal.empty() || normal == "." || normal.filename().empty()) {
    return "\"" + path + "\" names a directory, not a file";
  }
  if (*normal.begin() == "..") {
    return "\"" + path + "\" leaves the module directory";
  }
  return std::nullopt;
}

std::optional<fs::path> kubeconfig_target(const std::string& module_dir, const std::string& path,
                                          std::string* error) {
  if (std::optional<std::string> problem = relative_path_problem(path)) {
    *error = "attribute `path` must stay below the module directory: " + *problem;
    return std::nullopt;
  }
  std::error_code ec;
  const fs::path root =
      fs::weakly_canonical(fs::absolute(module_dir.empty() ? "." : module_dir), ec);
  if (ec) {
    *error = "cannot resolve the module directory `" + module_dir + "`: " + ec.message();
    return std::nullopt;
  }
  const fs::path target = fs::weakly_canonical(root / fs::path(path).lexically_normal(), ec);
  if (ec) {
    *error = "cannot resolve `" + path + "`: " + ec.message();
    return std::nullopt;
  }
  if (!is_below(root, target) || target == root) {
    *error = "attribute `path` must stay below the module directory: \"" + path + "\" leads to `" +
             target.string() + "` through a symbolic link";
    return std::nullopt;
  }
  return target;
}

std::string render_kubeconfig(const KubeconfigFields& fields) {
  const std::string server = fields.endpoint.find("://") == std::string::npos
                                 ? "https://" + fields.endpoint
                                 : fields.endpoint;
  const std::string context = fields.user + "@" + fields.cluster;
  const std::string token =
      "kcsim-" +
      pki::digest_hex({"kubeconfig-token", fields.cluster, fields.user, fields.ca}).substr(0, 32);
  std::string yaml;
  yaml += "# Written by kc for sim.kubeconfig; kc rewrites it on every apply.\n";
  yaml += "apiVersion: v1\n";
  yaml += "kind: Config\n";
  yaml += "clusters:\n";
  yaml += "- name: " + quoted(fields.cluster) + "\n";
  yaml += "  cluster:\n";
  yaml += "    server: " + quoted(server) + "\n";
  yaml += "    certificate-authority-data: " + quoted(pki::base64(fields.ca)) + "\n";
  yaml += "users:\n";
  yaml += "- name: " + quoted(fields.user) + "\n";
  yaml += "  user:\n";
  yaml += "    token: " + quoted(token) + "\n";
  yaml += "contexts:\n";
  yaml += "- name: " + quoted(context) + "\n";
  yaml += "  context:\n";
  yaml += "    cluster: " + quoted(fields.cluster) + "\n";
  yaml += "    user: " + quoted(fields.user) + "\n";
  yaml += "current-context: " + quoted(context) + "\n";
  return yaml;
}

bool write_kubeconfig(const fs::path& target, const std::string& content, std::string* error) {
  if (!support::ensure_directory(target.parent_path().string(), error)) return false;
  return support::write_file_atomically(target.string(), content, 0600, error);
}

bool remove_kubeconfig(const fs::path& target, std::string* error) {
  std::error_code ec;
  fs::remove(target, ec);
  if (ec) {
    *error = "cannot remove `" + target.string() + "`: " + ec.message();
    return false;
  }
  return true;
}

}  // namespace kc::sim
