// The lint data table cache (compiler/lint/data_table_cache.h): a table is parsed once while its
// file's text stays the same, again when it changes, and a malformed one is reported every time.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "compiler/lint/data_table_cache.h"
#include "tests/unit/temp_dir.h"

using namespace kc;
using kc::test::write_file;

namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("lint data table cache: parsed once per text; problems reported every time") {
  test::TempDir dir("kc-lint-tables");
  std::string stdlib = std::string(KC_SOURCE_DIR) + "/stdlib";
  for (const char* table :
       {lint::kReleaseTablePath, lint::kNetworkPluginTablePath, lint::kAddonTablePath}) {
    write_file(dir.path + "/" + table, read_text(stdlib + "/" + table));
  }
  std::vector<std::string> dirs = {dir.path};
  lint::DataTableCache cache;

  // Three lints: the first parses the three tables, the others none; each lint's sources get the
  // files all the same, and the tables are those a plain load gives.
  for (int lint = 0; lint < 3; ++lint) {
    source::SourceManager sources;
    diag::Diagnostics diags;
    auto releases = cache.releases(sources, dirs, diags);
    auto plugins = cache.plugins(sources, dirs, diags);
    auto addons = cache.addons(sources, dirs, diags);
    CHECK(diags.empty());
    CHECK(sources.size() == 3);
    REQUIRE(releases);
    REQUIRE(plugins);
    REQUIRE(addons);
    source::SourceManager plain_sources;
    auto plain = lint::load_release_table(plain_sources, dirs, diags);
    REQUIRE(plain);
    CHECK(releases->releases.size() == plain->releases.size());
    CHECK(releases->releases.back().final_patch == plain->releases.back().final_patch);
  }
  CHECK(cache.parses() == 3);

  // A changed file is parsed again.
  std::string release_file = dir.path + "/" + lint::kReleaseTablePath;
  write_file(release_file, read_text(release_file) + "# edited\n");
  source::SourceManager sources;
  diag::Diagnostics diags;
  CHECK(cache.releases(sources, dirs, diags));
  CHECK(cache.parses() == 4);
  CHECK(cache.releases(sources, dirs, diags));
  CHECK(cache.parses() == 4);

  // A malformed one: E0505 in every lint, never kept.
  write_file(release_file, "releases: [\n");
  for (int lint = 0; lint < 2; ++lint) {
    source::SourceManager broken_sources;
    diag::Diagnostics broken;
    CHECK_FALSE(cache.releases(broken_sources, dirs, broken));
    REQUIRE(broken.error_count() == 1);
    CHECK(broken.all()[0].code == diag::Code::E0505);
  }
  CHECK(cache.parses() == 6);
}
