// Unit tests of the workspace's module discovery (lsp/server/workspace_modules).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lsp/server/workspace_modules.h"
#include "tests/unit/temp_dir.h"

using kc::test::write_file;

TEST_CASE(
    "lsp workspace: module directories hold .kcl files; hidden ones and a limit stop the walk") {
  kc::test::TempDir root("kc-lsp-workspace");
  write_file(root.path + "/main.kcl", "x = 1\n");
  write_file(root.path + "/lib/net.kcl", "y = 2\n");
  write_file(root.path + "/lib/deeper/more.kcl", "z = 3\n");
  write_file(root.path + "/docs/readme.md", "no modules here\n");
  write_file(root.path + "/.kc/state.kcl", "not a module\n");
  write_file(root.path + "/node_modules/pkg/x.kcl", "not ours\n");
  std::vector<std::string> dirs = kc::lsp::workspace_module_dirs({root.path});
  CHECK(dirs == std::vector<std::string>{root.path, root.path + "/lib", root.path + "/lib/deeper"});
  CHECK(kc::lsp::workspace_module_dirs({root.path}, 1).size() == 1);
  CHECK(kc::lsp::workspace_module_dirs({root.path + "/missing"}).empty());
}
