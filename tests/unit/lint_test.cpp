// `kc lint`: the rule registry against its documentation and golden cases, the documented bad and
// good examples run through the real pipeline, configuration, suppression comments, label syntax,
// the data tables (releases, network plugins, addon compatibility), the rules that need a stored
// state, fixes (applied twice) and the SARIF 2.1.0 output's required properties.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "compiler/driver/compilation.h"
#include "compiler/format/format.h"
#include "compiler/lint/addon_compat.h"
#include "compiler/lint/config.h"
#include "compiler/lint/fix.h"
#include "compiler/lint/label_syntax.h"
#include "compiler/lint/lint.h"
#include "compiler/lint/network_plugins.h"
#include "compiler/lint/releases.h"
#include "compiler/lint/rule.h"
#include "compiler/lint/sarif.h"
#include "compiler/lint/suppress.h"
#include "compiler/syntax/parse.h"
#include "providers/registry/builtin_providers.h"

namespace kc {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const std::string kSource = KC_SOURCE_DIR;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The module under test from memory (below /m), the standard library from the source tree.
class LintFileSystem : public driver::FileSystem {
 public:
  std::map<std::string, std::string> files;

  std::optional<std::string> read(const std::string& path) const override {
    if (auto it = files.find(path); it != files.end()) return it->second;
    return disk_.read(path);
  }
  bool is_directory(const std::string& path) const override {
    if (path == "/m") return true;
    return disk_.is_directory(path);
  }
  bool is_file(const std::string& path) const override {
    return files.count(path) > 0 || disk_.is_file(path);
  }
  std::vector<std::string> kcl_files(const std::string& dir) const override {
    if (dir != "/m") return disk_.kcl_files(dir);
    std::vector<std::string> out;
    for (const auto& [path, text] : files)
      out.push_back(path);
    return out;
  }

 private:
  driver::DiskFileSystem disk_;
};

// The module `/m/main.kcl` holding `text`, checked and evaluated (`desired` is nullopt when that
// fails).
struct Evaluated {
  LintFileSystem fs;
  providers::BuiltinProviders providers;
  std::unique_ptr<driver::Compilation> compilation;
  std::optional<eval::DesiredState> desired;

  explicit Evaluated(const std::string& text) {
    fs.files["/m/main.kcl"] = text;
    compilation = std::make_unique<driver::Compilation>(
        driver::CompileOptions{"/m", {kSource + "/stdlib"}, std::nullopt}, providers, fs);
    compilation->check();
    if (!compilation->diagnostics().has_errors()) {
      diag::Diagnostics eval_diags;
      eval::DesiredState state = compilation->evaluate({}, eval_diags);
      compilation->diagnostics().append(eval_diags);
      if (!eval_diags.has_errors()) desired = std::move(state);
    }
  }
};

// A stored state as if `text` had been applied: each resource's attributes by address (outputs
// stay unknown; the rules read only inputs).
std::map<std::string, sdk::Value> applied_state(const std::string& text) {
  Evaluated applied(text);
  REQUIRE_MESSAGE(applied.desired, "the applied module does not evaluate");
  std::map<std::string, sdk::Value> stored;
  for (const eval::DesiredResource& resource : applied.desired->resources)
    stored.emplace(resource.address, resource.attributes);
  return stored;
}

// One lint run over `/m/main.kcl`, as `kc lint` does it.
struct LintRun : Evaluated {
  lint::LintConfig config;
  std::optional<lint::ReleaseTable> releases;
  std::optional<lint::NetworkPluginTable> plugins;
  std::optional<lint::AddonCompatibilityTable> addons;
  diag::Diagnostics result;

  explicit LintRun(const std::string& text, const std::string& config_text = "",
                   int64_t today = *lint::parse_date("2025-01-01"),
                   const std::map<std::string, sdk::Value>* stored = nullptr)
      : Evaluated(text) {
    source::SourceManager& sources = compilation->sources();
    if (!config_text.empty()) {
      config =
          lint::parse_config(sources, "/m/.kc-lint.yaml", config_text, compilation->diagnostics());
    }
    std::vector<std::string> stdlib = {kSource + "/stdlib"};
    releases = lint::load_release_table(sources, stdlib, compilation->diagnostics());
    plugins = lint::load_network_plugin_table(sources, stdlib, compilation->diagnostics());
    addons = lint::load_addon_table(sources, stdlib, compilation->diagnostics());
    lint::LintInput input;
    input.sources = &sources;
    input.checked = compilation->checked();
    input.desired = desired ? &*desired : nullptr;
    input.schemas = &providers;
    input.config = &config;
    input.releases = releases ? &*releases : nullptr;
    input.plugins = plugins ? &*plugins : nullptr;
    input.addons = addons ? &*addons : nullptr;
    input.stored = stored;
    input.today = today;
    result = lint::lint(input, compilation->diagnostics());
  }

  const diag::Diagnostic* find(std::string_view code) const {
    for (const diag::Diagnostic& d : result.all()) {
      if (d.code_string() == code) return &d;
    }
    return nullptr;
  }
  size_t count(std::string_view code) const {
    size_t n = 0;
    for (const diag::Diagnostic& d : result.all())
      n += d.code_string() == code ? 1 : 0;
    return n;
  }
  // The text a finding points at.
  std::string_view at(const diag::Diagnostic& d) const {
    return compilation->sources()
        .file(d.span.file)
        .text()
        .substr(d.span.begin, d.span.end - d.span.begin);
  }

  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const diag::Diagnostic& d : result.all())
      out.push_back(d.code_string());
    return out;
  }
  bool has(std::string_view code) const {
    for (const diag::Diagnostic& d : result.all()) {
      if (d.code_string() == code) return true;
    }
    return false;
  }
  std::string listing() const {
    std::string out;
    for (const diag::Diagnostic& d : result.all())
      out += d.code_string() + ": " + d.message + "\n";
    return out;
  }
};

// The first ```kcl block after the heading `## <section>` of a markdown page.
std::optional<std::string> example(const std::string& page, const std::string& section) {
  size_t heading = page.find("\n## " + section + "\n");
  if (heading == std::string::npos) return std::nullopt;
  size_t next_heading = page.find("\n## ", heading + 4);
  size_t open = page.find("```kcl\n", heading);
  if (open == std::string::npos || (next_heading != std::string::npos && open > next_heading)) {
    return std::nullopt;
  }
  size_t close = page.find("\n```", open + 7);
  if (close == std::string::npos) return std::nullopt;
  return page.substr(open + 7, close - open - 7) + "\n";
}

// The examples are linted as of 2025-01-01 (LintRun's default day), as the kubernetes-version-eol
// page says. A page with an `## Applied` example (rules that compare with the stored state) lints
// both examples against the state that module would have stored.
TEST_CASE("every rule has a doc page whose bad example fires and whose good example does not") {
  for (const lint::RuleInfo& info : lint::all_rules()) {
    std::string name(info.name);
    CAPTURE(name);
    std::string path = kSource + "/docs/lint/" + name + ".md";
    REQUIRE_MESSAGE(fs::exists(path), "missing " << path);
    std::string page = read_text(path);
    CHECK(page.rfind("# `" + name + "`", 0) == 0);
    std::optional<std::string> bad = example(page, "Bad");
    std::optional<std::string> good = example(page, "Good");
    std::optional<std::string> applied = example(page, "Applied");
    REQUIRE_MESSAGE(bad, "no ```kcl block under `## Bad`");
    REQUIRE_MESSAGE(good, "no ```kcl block under `## Good`");
    for (const std::string* text : {&*bad, &*good, applied ? &*applied : &*good}) {
      source::SourceManager sources;
      format::FormatResult formatted = format::format_file(sources, sources.add("x.kcl", *text));
      CHECK_MESSAGE((formatted.ok && !formatted.changed),
                    "an example is not as `kc fmt` prints it");
    }
    std::optional<std::map<std::string, sdk::Value>> stored;
    if (applied) stored = applied_state(*applied);
    const std::map<std::string, sdk::Value>* state = stored ? &*stored : nullptr;
    LintRun bad_run(*bad, "", *lint::parse_date("2025-01-01"), state);
    CAPTURE(bad_run.listing());
    CHECK(!bad_run.result.has_errors());
    CHECK(bad_run.has(name));
    LintRun good_run(*good, "", *lint::parse_date("2025-01-01"), state);
    CAPTURE(good_run.listing());
    CHECK(good_run.result.empty());
  }
}

TEST_CASE("docs/lint/README.md lists every rule, and every rule has a golden case that fires") {
  std::string readme = read_text(kSource + "/docs/lint/README.md");
  std::set<std::string> fired;
  for (const auto& entry : fs::recursive_directory_iterator(kSource + "/tests/testdata/lint")) {
    if (entry.path().extension() != ".out") continue;
    std::string text = read_text(entry.path().string());
    std::regex code(R"((warning|error|info)\[([a-z0-9-]+)\])");
    for (std::sregex_iterator it(text.begin(), text.end(), code), end; it != end; ++it)
      fired.insert((*it)[2]);
  }
  for (const lint::RuleInfo& info : lint::all_rules()) {
    std::string name(info.name);
    CAPTURE(name);
    CHECK(readme.find("[`" + name + "`](" + name + ".md)") != std::string::npos);
    CHECK(fired.count(name) == 1);
  }
}

TEST_CASE("rule names are unique kebab-case and findable") {
  std::set<std::string> seen;
  for (const lint::RuleInfo& info : lint::all_rules()) {
    CHECK(std::regex_match(std::string(info.name), std::regex("[a-z0-9]+(-[a-z0-9]+)*")));
    CHECK(seen.insert(std::string(info.name)).second);
    CHECK(lint::find_rule(info.name) == info.rule);
    CHECK(&lint::rule_info(info.rule) == &info);
  }
  CHECK(!lint::find_rule("E0302"));
}

TEST_CASE("path patterns") {
  CHECK(lint::glob_match("legacy_*.kcl", "legacy_a.kcl"));
  CHECK(!lint::glob_match("legacy_*.kcl", "dir/legacy_a.kcl"));
  CHECK(!lint::glob_match("*.kcl", "dev/a.kcl"));
  CHECK(lint::glob_match("dev/**", "dev/a/b.kcl"));
  CHECK(lint::glob_match("**/staging.kcl", "staging.kcl"));
  CHECK(lint::glob_match("**/staging.kcl", "env/eu/staging.kcl"));
  CHECK(lint::glob_match("env/?/main.kcl", "env/a/main.kcl"));
  CHECK(!lint::glob_match("env/?/main.kcl", "env/ab/main.kcl"));
}

TEST_CASE("dates") {
  CHECK(lint::parse_date("1970-01-02") == 1);
  CHECK(lint::parse_date("2024-02-29").has_value());
  CHECK(!lint::parse_date("2023-02-29"));
  CHECK(!lint::parse_date("2024-1-01"));
  CHECK(lint::format_date(*lint::parse_date("2025-11-11")) == "2025-11-11");
}

TEST_CASE("configuration: levels, enable and disable, per-path overrides and options") {
  source::SourceManager sources;
  diag::Diagnostics diags;
  fs::path dir = fs::temp_directory_path() / "kc-lint-config-test";
  lint::LintConfig config = lint::parse_config(sources, (dir / ".kc-lint.yaml").string(), R"(
disable: [unused-param]
rules:
  unused-let: error
  etcd-even-members: { level: info }
  pod-cidr-too-small:
    node_mask_v4: 26
overrides:
  - paths: ["legacy/**"]
    rules:
      unused-let: off
    enable: [unused-param]
)",
                                               diags);
  CHECK(diags.empty());
  std::string main = (dir / "main.kcl").string();
  std::string legacy = (dir / "legacy" / "old.kcl").string();
  CHECK(config.severity(lint::Rule::UnusedLet, main) == diag::Severity::Error);
  CHECK(!config.severity(lint::Rule::UnusedLet, legacy));
  CHECK(!config.severity(lint::Rule::UnusedParam, main));
  CHECK(config.severity(lint::Rule::UnusedParam, legacy) == diag::Severity::Warning);
  CHECK(config.severity(lint::Rule::EtcdEvenMembers, main) == diag::Severity::Info);
  CHECK(config.severity(lint::Rule::CidrOverlap, main) == diag::Severity::Warning);
  CHECK(config.int_option(lint::Rule::PodCidrTooSmall, "node_mask_v4", 24) == 26);
  CHECK(config.int_option(lint::Rule::PodCidrTooSmall, "node_mask_v6", 64) == 64);

  diag::Diagnostics bad;
  lint::parse_config(sources, "/x/.kc-lint.yaml", "rules:\n  nope: warning\n  unused-let: loud\n",
                     bad);
  REQUIRE(bad.all().size() == 2);
  CHECK(bad.all()[0].code == diag::Code::E0505);
  CHECK(sources.file(bad.all()[0].span.file).line_col(bad.all()[0].span.begin).line == 2);
}

TEST_CASE("the configuration is found upward, but not past the repository root") {
  fs::path root = fs::temp_directory_path() / "kc-lint-find-test";
  fs::remove_all(root);
  fs::create_directories(root / "repo" / "clusters" / "prod");
  fs::create_directories(root / "repo" / ".git");
  std::ofstream(root / ".kc-lint.yaml") << "rules: {}\n";
  CHECK(!lint::find_config((root / "repo" / "clusters" / "prod").string()));
  std::ofstream(root / "repo" / ".kc-lint.yaml") << "rules: {}\n";
  CHECK(lint::find_config((root / "repo" / "clusters" / "prod").string()) ==
        (root / "repo" / ".kc-lint.yaml").string());
  fs::remove_all(root);
}

std::vector<lint::Ignore> ignores_of(source::SourceManager& sources, const std::string& text) {
  source::FileId id = sources.add("t.kcl", text);
  syntax::ParseResult parsed = syntax::parse(sources, id);
  REQUIRE(!parsed.diagnostics.has_errors());
  return lint::find_ignores(parsed.file, sources.file(id));
}

TEST_CASE("ignore comments: next code line, trailing, file-wide, several rules, a reason") {
  source::SourceManager sources;
  std::vector<lint::Ignore> ignores =
      ignores_of(sources, R"(# kc:ignore unused-let, secret-literal -- a fixture

# another comment
let a = 1
let b = 2  # kc:ignore unused-let
# kc:ignore-file shadowed-name
## kc:ignore unused-let (a doc comment, not a directive)
# kc:ignored unused-let
let c = 3
)");
  REQUIRE(ignores.size() == 4);
  CHECK(ignores[0].rule == lint::Rule::UnusedLet);
  CHECK(ignores[0].line == 4);
  CHECK(ignores[1].rule == lint::Rule::SecretLiteral);
  CHECK(ignores[1].line == 4);
  CHECK(ignores[2].line == 5);
  CHECK(ignores[2].trailing);
  CHECK(ignores[3].file_wide);
  CHECK(ignores[3].rule == lint::Rule::ShadowedName);
}

TEST_CASE("ignore comments silence findings; stale ones are reported with a fix") {
  LintRun run(R"(# kc:ignore unused-let
let a = 1
# kc:ignore unused-let
let b = 2
total = b
)");
  CHECK(run.codes() == std::vector<std::string>{"unused-ignore"});
  REQUIRE(run.result.all()[0].fixes.size() == 1);
  CHECK(run.result.all()[0].fixes[0].replacement.empty());
}

TEST_CASE("label syntax") {
  CHECK(!lint::label_key_problem("app"));
  CHECK(!lint::label_key_problem("app.kubernetes.io/name"));
  CHECK(!lint::label_key_problem("node-role.kubernetes.io/control-plane"));
  CHECK(!lint::label_key_problem("A_b.c-1"));
  CHECK(lint::label_key_problem("bad key"));
  CHECK(lint::label_key_problem("Example.com/name"));
  CHECK(lint::label_key_problem("a/b/c"));
  CHECK(lint::label_key_problem("/name"));
  CHECK(lint::label_key_problem("prefix/"));
  CHECK(lint::label_key_problem("-name"));
  CHECK(lint::label_key_problem(std::string(64, 'a')));
  CHECK(!lint::label_key_problem(std::string(63, 'a')));
  CHECK(lint::label_key_problem(std::string(254, 'a') + "/x"));
  CHECK(!lint::label_value_problem(""));
  CHECK(!lint::label_value_problem("v1.2_3-x"));
  CHECK(lint::label_value_problem("ends-"));
  CHECK(lint::label_value_problem("a/b"));
}

TEST_CASE("the release table") {
  source::SourceManager sources;
  diag::Diagnostics diags;
  std::optional<lint::ReleaseTable> table =
      lint::load_release_table(sources, {kSource + "/stdlib"}, diags);
  REQUIRE(table);
  CHECK(diags.empty());
  const lint::KubernetesRelease* r129 = table->find(1, 29);
  REQUIRE(r129);
  CHECK(lint::format_date(r129->end_of_life) == "2025-02-28");
  const lint::KubernetesRelease* oldest = table->oldest_supported(*lint::parse_date("2025-01-01"));
  REQUIRE(oldest);
  CHECK(oldest->minor == 29);
  CHECK(!table->find(1, 99));

  diag::Diagnostics bad;
  CHECK(!lint::parse_release_table(sources, "t.yaml", "releases:\n  - { version: \"x\" }\n", bad));
  CHECK(bad.has_errors());
}

const char* kCluster = R"(c = Cluster {
  provider   = sim
  region     = "lab"
  zones      = ["a", "b", "c"]
  kubernetes = v1.29.4
  network    { node_cidr = 10.0.0.0/16 }
  node_pool app { replicas = 3, machine = { cpu = 2, memory = 4Gi } }
}
)";

TEST_CASE("kubernetes-version-eol: judged on the given day, or the configured `as_of`") {
  CHECK(!LintRun(kCluster, "", *lint::parse_date("2025-02-28")).has("kubernetes-version-eol"));
  CHECK(LintRun(kCluster, "", *lint::parse_date("2025-03-01")).has("kubernetes-version-eol"));
  CHECK(!LintRun(kCluster, "rules:\n  kubernetes-version-eol: { as_of: 2024-01-01 }\n",
                 *lint::parse_date("2030-01-01"))
             .has("kubernetes-version-eol"));
}

TEST_CASE("kubernetes-version-eol: a release missing from the table is unknown") {
  LintRun run(kCluster);
  lint::ReleaseTable table;
  table.path = "t.yaml";
  table.releases.push_back(lint::KubernetesRelease{1, 30, 0, 100000, false, ""});
  lint::LintInput input;
  input.sources = &run.compilation->sources();
  input.checked = run.compilation->checked();
  input.desired = &*run.desired;
  input.schemas = &run.providers;
  input.config = &run.config;
  input.releases = &table;
  input.today = 1000;
  diag::Diagnostics result = lint::lint(input, run.compilation->diagnostics());
  REQUIRE(result.all().size() == 1);
  CHECK(result.all()[0].rule == "kubernetes-version-eol");
  CHECK(result.all()[0].message == "Kubernetes 1.29 is not a known release");
}

TEST_CASE("rules do not run on a module with errors") {
  LintRun run("let spare = 1\nbroken = nope\n");
  CHECK(run.codes() == std::vector<std::string>{"E0201"});
}

TEST_CASE("--fix applies the safe fixes, formats what it touched, and is a no-op the second time") {
  std::string text = R"(import "std/net"
import "std/semver"
import "std/k8s"

# kc:ignore unused-let
let  kept   =   1
schema Disk {
  @deprecated("use `size`") capacity: bytes?
  size: bytes = 10Gi
}
data = Disk { capacity = 20Gi, }
first = net.subnet(10.0.0.0/16, 8, kept)
)";
  LintRun first(text);
  std::vector<lint::FixedFile> fixed =
      lint::apply_fixes(first.result, first.compilation->sources());
  REQUIRE(fixed.size() == 1);
  CHECK(fixed[0].applied == 4);
  std::string expected = R"(import "std/net"

let  kept   =   1
schema Disk {
  @deprecated("use `size`") capacity: bytes?
  size: bytes = 10Gi
}
data = Disk { size = 20Gi }
first = net.subnet(10.0.0.0/16, 8, kept)
)";
  CHECK(fixed[0].after == expected);

  LintRun second(fixed[0].after);
  CHECK(second.result.empty());
  CHECK(lint::apply_fixes(second.result, second.compilation->sources()).empty());
}

TEST_CASE("a fix that would break the file is not applied") {
  source::SourceManager sources;
  source::FileId id = sources.add("t.kcl", "let a = 1\n");
  diag::Diagnostics diags;
  diag::Diagnostic d;
  d.rule = "unused-let";
  d.severity = diag::Severity::Warning;
  d.span = source::Span{id, 4, 5};
  d.with_fix("break it", source::Span{id, 0, 3}, "{{");
  diags.add(d);
  CHECK(lint::apply_fixes(diags, sources).empty());
}

// ---- the network plugin and addon compatibility tables ----

TEST_CASE("the network plugin table") {
  source::SourceManager sources;
  diag::Diagnostics diags;
  std::optional<lint::NetworkPluginTable> table =
      lint::load_network_plugin_table(sources, {kSource + "/stdlib"}, diags);
  REQUIRE(table);
  CHECK(diags.empty());
  // Every member of the `NetworkPlugin` enum, and whether it enforces NetworkPolicy objects.
  for (const char* name : {"calico", "cilium", "flannel", "canal", "weave"}) {
    CAPTURE(name);
    const lint::NetworkPluginInfo* plugin = table->find(name);
    REQUIRE(plugin);
    REQUIRE(plugin->features.count("network_policy") == 1);
    CHECK(plugin->features.at("network_policy") == (std::string(name) != "flannel"));
  }
  CHECK(table->supporting("network_policy") ==
        std::vector<std::string>{"calico", "cilium", "canal", "weave"});

  diag::Diagnostics bad;
  CHECK(!lint::parse_network_plugin_table(sources, "t.yaml",
                                          "plugins:\n  calico: { network_policy: maybe }\n", bad));
  REQUIRE(bad.all().size() == 1);
  CHECK(bad.all()[0].code == diag::Code::E0505);
  const source::SourceFile& file = sources.file(bad.all()[0].span.file);
  CHECK(file.line_col(bad.all()[0].span.begin).line == 2);
  CHECK(file.text().substr(bad.all()[0].span.begin, 5) == "maybe");
  diag::Diagnostics no_list;
  CHECK(!lint::parse_network_plugin_table(sources, "t.yaml", "plugin: []\n", no_list));
  CHECK(no_list.has_errors());
}

TEST_CASE("the addon compatibility table") {
  source::SourceManager sources;
  diag::Diagnostics diags;
  std::optional<lint::AddonCompatibilityTable> table =
      lint::load_addon_table(sources, {kSource + "/stdlib"}, diags);
  REQUIRE(table);
  CHECK(diags.empty());
  const lint::AddonSupport* nginx = table->find("ingress-nginx", {1, 11});
  REQUIRE(nginx);
  CHECK(nginx->range() == "1.26 to 1.30");
  CHECK(nginx->supports({1, 26}));
  CHECK(nginx->supports({1, 30}));
  CHECK(!nginx->supports({1, 31}));
  CHECK(!nginx->supports({1, 25}));
  // A block label cannot hold `-`: `metrics_server` is metrics-server. Its rows have no upper
  // bound.
  const lint::AddonSupport* metrics = table->find("metrics_server", {0, 7});
  REQUIRE(metrics);
  CHECK(metrics->range() == "1.27 and later");
  CHECK(metrics->supports({1, 35}));
  CHECK(!metrics->supports({1, 26}));
  REQUIRE(table->find("cert-manager", {1, 15}));
  CHECK(!table->find("cert-manager", {9, 9}));
  CHECK(!table->find("coredns", {1, 11}));

  std::optional<lint::AddonCompatibilityTable> parsed = lint::parse_addon_table(
      sources, "t.yaml",
      "addons:\n  a:\n    - { version: \"2.1\", kubernetes: \"1.28 - 1.30\" }\n"
      "    - { version: \"2.2\", kubernetes: \"1.29+\" }\n",
      diags);
  REQUIRE(parsed);
  CHECK(parsed->find("a", {2, 1})->kubernetes_max == lint::MinorVersion{1, 30});
  CHECK(!parsed->find("a", {2, 2})->kubernetes_max);
  for (const char* text :
       {"addons:\n  a:\n    - { version: \"2\", kubernetes: \"1.28 - 1.30\" }\n",
        "addons:\n  a:\n    - { version: \"2.1\", kubernetes: \"1.30 - 1.28\" }\n",
        "addons:\n  a:\n    - { version: \"2.1\", kubernetes: \"new\" }\n",
        "addons:\n  a:\n    - { version: \"2.1\", kubernetes: \"1.28+\" }\n"
        "    - { version: \"2.1\", kubernetes: \"1.29+\" }\n",
        "addons: [\n"}) {
    CAPTURE(text);
    diag::Diagnostics bad;
    CHECK(!lint::parse_addon_table(sources, "t.yaml", text, bad));
    REQUIRE(bad.all().size() == 1);
    CHECK(bad.all()[0].code == diag::Code::E0505);
  }
}

// ---- the rules over versions, production clusters and network plugins ----

// A cluster of three zones on `kubernetes`, with pool `app` and the `extra` lines in its body.
std::string cluster_with(const std::string& kubernetes, const std::string& extra = "") {
  return "c = Cluster {\n  provider   = sim\n  region     = \"lab\"\n  zones      = [\"a\", \"b\", "
         "\"c\"]\n  kubernetes = " +
         kubernetes +
         "\n  network    { node_cidr = 10.0.0.0/16 }\n"
         "  node_pool app { replicas = 3, machine = { cpu = 2, memory = 4Gi } }\n" +
         extra + "}\n";
}

TEST_CASE(
    "a pool's `kubernetes` sets its machines' image and join; the control plane keeps the "
    "cluster's") {
  Evaluated run(cluster_with("v1.31.2",
                             "  node_pool old {\n    replicas   = 1\n    machine    = "
                             "{ cpu = 2, memory = 4Gi }\n    kubernetes = v1.29.4\n  }\n"));
  REQUIRE(run.desired);
  auto attribute = [&](const std::string& address, std::string_view key) {
    const eval::DesiredResource* resource = run.desired->find(address);
    REQUIRE_MESSAGE(resource, address);
    const sdk::Value* value = resource->attributes.find(key);
    REQUIRE(value);
    return value->kind() == sdk::Kind::Version ? sdk::to_string(value->as_version())
                                               : value->as_string();
  };
  CHECK(attribute("c.sim.machine[\"old-0\"]", "image") == "kubernetes-v1.29.4");
  CHECK(attribute("c.sim.join[\"old-0\"]", "kubernetes") == "v1.29.4");
  CHECK(attribute("c.sim.machine[\"app-0\"]", "image") == "kubernetes-v1.31.2");
  CHECK(attribute("c.sim.join[\"app-2\"]", "kubernetes") == "v1.31.2");
  CHECK(attribute("c.sim.machine[\"cp-0\"]", "image") == "kubernetes-v1.31.2");
  CHECK(attribute("c.sim.join[\"cp-1\"]", "kubernetes") == "v1.31.2");
}

std::string pool_on(const std::string& version) {
  return "  node_pool edge {\n    replicas   = 3\n    machine    = { cpu = 2, memory = 4Gi }\n"
         "    kubernetes = " +
         version + "\n  }\n";
}

TEST_CASE("kubelet-version-skew: 3 minor versions behind from 1.28 on, 2 before, never ahead") {
  CHECK(!LintRun(cluster_with("v1.31.2", pool_on("v1.28.9"))).has("kubelet-version-skew"));
  CHECK(!LintRun(cluster_with("v1.31.2", pool_on("v1.31.0"))).has("kubelet-version-skew"));
  LintRun behind(cluster_with("v1.31.2", pool_on("v1.27.16")));
  const diag::Diagnostic* lag = behind.find("kubelet-version-skew");
  REQUIRE(lag);
  CHECK(lag->message ==
        "pool `edge` runs kubelet 1.27, 4 minor versions behind the control plane's 1.31");
  CHECK(behind.at(*lag) == "kubernetes = v1.27.16");
  LintRun ahead(cluster_with("v1.30.2", pool_on("v1.31.0")));
  const diag::Diagnostic* newer = ahead.find("kubelet-version-skew");
  REQUIRE(newer);
  CHECK(newer->message == "pool `edge` runs kubelet 1.31, newer than the control plane's 1.30");
  // Before 1.28 a kubelet may lag 2 minor versions.
  CHECK(!LintRun(cluster_with("v1.27.3", pool_on("v1.25.0"))).has("kubelet-version-skew"));
  CHECK(LintRun(cluster_with("v1.27.3", pool_on("v1.24.0"))).has("kubelet-version-skew"));
}

TEST_CASE("upgrade-skips-minor: compares the desired versions with the stored state") {
  std::map<std::string, sdk::Value> applied = applied_state(cluster_with("v1.29.4"));
  // Without a state (nothing applied yet) the rule has nothing to compare with.
  CHECK(!LintRun(cluster_with("v1.31.2")).has("upgrade-skips-minor"));
  CHECK(!LintRun(cluster_with("v1.29.9"), "", *lint::parse_date("2025-01-01"), &applied)
             .has("upgrade-skips-minor"));
  CHECK(!LintRun(cluster_with("v1.30.6"), "", *lint::parse_date("2025-01-01"), &applied)
             .has("upgrade-skips-minor"));

  LintRun skip(cluster_with("v1.31.2"), "", *lint::parse_date("2025-01-01"), &applied);
  REQUIRE(skip.count("upgrade-skips-minor") == 1);  // once per cluster, not once per resource
  const diag::Diagnostic* d = skip.find("upgrade-skips-minor");
  CHECK(d->message == "upgrading Kubernetes from v1.29.4 to v1.31.2 skips a minor version");
  CHECK(skip.at(*d) == "kubernetes = v1.31.2");
  REQUIRE(d->notes.size() == 1);
  CHECK(d->notes[0].find("upgrade to 1.30 first") != std::string::npos);

  std::map<std::string, sdk::Value> newer = applied_state(cluster_with("v1.31.2"));
  LintRun down(cluster_with("v1.30.6"), "", *lint::parse_date("2025-01-01"), &newer);
  REQUIRE(down.count("upgrade-skips-minor") == 1);
  CHECK(down.find("upgrade-skips-minor")->message ==
        "changing Kubernetes from v1.31.2 to v1.30.6 downgrades a minor version");

  // A pool that follows its own version is reported at the pool.
  std::map<std::string, sdk::Value> with_pool =
      applied_state(cluster_with("v1.29.4", pool_on("v1.29.4")));
  LintRun pool(cluster_with("v1.30.6", pool_on("v1.31.1")), "", *lint::parse_date("2025-01-01"),
               &with_pool);
  REQUIRE(pool.count("upgrade-skips-minor") == 1);
  CHECK(pool.at(*pool.find("upgrade-skips-minor")) == "kubernetes = v1.31.1");
}

TEST_CASE("prevent-destroy-production: the lowering protects the control plane and etcd") {
  std::string prod = "  production = true\n";
  LintRun open(cluster_with("v1.31.2", prod));
  const diag::Diagnostic* d = open.find("prevent-destroy-production");
  REQUIRE(d);
  CHECK(open.at(*d) == "production = true");
  REQUIRE(d->notes.size() == 1);
  // 3 control-plane machines and the 3 etcd members stacked on them.
  CHECK(d->notes[0].rfind("6 of its resources", 0) == 0);

  LintRun guarded(cluster_with("v1.31.2", prod + "  prevent_destroy = true\n"));
  CHECK(!guarded.has("prevent-destroy-production"));
  REQUIRE(guarded.desired);
  for (const eval::DesiredResource& resource : guarded.desired->resources) {
    bool machine = resource.type == "sim.machine";
    bool protects = resource.type == "sim.etcd_member" ||
                    (machine && resource.address.find("[\"cp-") != std::string::npos);
    CAPTURE(resource.address);
    CHECK(resource.lifecycle.prevent_destroy == protects);
  }
  // Dedicated etcd machines too.
  LintRun dedicated(cluster_with("v1.31.2", prod + "  etcd { topology = external }\n"));
  REQUIRE(dedicated.find("prevent-destroy-production"));
  CHECK(dedicated.find("prevent-destroy-production")->notes[0].rfind("9 of its resources", 0) == 0);
  CHECK(!LintRun(cluster_with("v1.31.2")).has("prevent-destroy-production"));
}

TEST_CASE("network-plugin-feature and addon-incompatible read their tables") {
  std::string text = R"(c = Cluster {
  provider   = sim
  region     = "lab"
  zones      = ["a", "b", "c"]
  kubernetes = v1.31.2
  network {
    node_cidr      = 10.0.0.0/16
    plugin         = flannel
    network_policy = true
  }
  node_pool app { replicas = 3, machine = { cpu = 2, memory = 4Gi } }
  addon "ingress-nginx" { version = v1.11.3 }
  addon metrics_server { version = v0.7.1 }
  addon coredns { version = v1.11.1 }
}
)";
  LintRun run(text);
  const diag::Diagnostic* plugin = run.find("network-plugin-feature");
  REQUIRE(plugin);
  CHECK(plugin->message == "network plugin `flannel` does not enforce NetworkPolicy objects");
  CHECK(run.at(*plugin) == "network_policy = true");
  REQUIRE(run.count("addon-incompatible") == 1);
  const diag::Diagnostic* addon = run.find("addon-incompatible");
  CHECK(addon->message == "ingress-nginx 1.11 does not support Kubernetes 1.31");
  CHECK(run.at(*addon) == "version = v1.11.3");
  REQUIRE(addon->notes.size() == 1);
  CHECK(addon->notes[0].rfind("ingress-nginx versions that support Kubernetes 1.31: 1.12", 0) == 0);
  // Without the tables (or a state) the rules are skipped, and ignores of them are not stale.
  std::string ignored = R"(c = Cluster {
  provider   = sim
  region     = "lab"
  zones      = ["a", "b", "c"]
  # kc:ignore upgrade-skips-minor, kubernetes-version-eol
  kubernetes = v1.31.2
  network    { node_cidr = 10.0.0.0/16 }
  node_pool app { replicas = 3, machine = { cpu = 2, memory = 4Gi } }
  # kc:ignore addon-incompatible
  addon metrics_server { version = v0.7.1 }
}
)";
  Evaluated bare(ignored);
  REQUIRE(bare.desired);
  lint::LintConfig defaults;
  lint::LintInput input;
  input.sources = &bare.compilation->sources();
  input.checked = bare.compilation->checked();
  input.desired = &*bare.desired;
  input.schemas = &bare.providers;
  input.config = &defaults;
  CHECK(lint::lint(input, bare.compilation->diagnostics()).empty());
  std::map<std::string, sdk::Value> applied = applied_state(cluster_with("v1.30.2"));
  LintRun with_tables(ignored, "", *lint::parse_date("2025-01-01"), &applied);
  CHECK(with_tables.count("unused-ignore") == 3);
}

// ---- SARIF 2.1.0: the properties the specification (and its JSON schema) requires ----

bool absolute_uri(const std::string& text) {
  return std::regex_match(text, std::regex("[A-Za-z][A-Za-z0-9+.-]*:.+"));
}

class SarifChecker {
 public:
  std::vector<std::string> problems;

  void log(const Json& log) {
    expect(log.is_object(), "the log is an object");
    expect(log.value("version", "") == "2.1.0", "log.version is \"2.1.0\"");
    if (log.contains("$schema")) {
      expect(log["$schema"].is_string() && absolute_uri(log["$schema"]), "$schema is a URI");
    }
    expect(log.contains("runs") && log["runs"].is_array(), "log.runs is an array");
    if (!log.contains("runs") || !log["runs"].is_array()) return;
    for (const Json& r : log["runs"])
      run(r);
  }

 private:
  void expect(bool ok, const std::string& what) {
    if (!ok) problems.push_back(what);
  }

  void message(const Json& m, const std::string& where) {
    expect(m.is_object() && ((m.contains("text") && m["text"].is_string()) ||
                             (m.contains("id") && m["id"].is_string())),
           where + ": a message has `text` or `id`");
  }

  void multiformat(const Json& m, const std::string& where) {
    expect(m.is_object() && m.contains("text") && m["text"].is_string(),
           where + ": a multiformatMessageString has `text`");
  }

  void level(const Json& l, const std::string& where) {
    static const std::set<std::string> levels{"none", "note", "warning", "error"};
    expect(l.is_string() && levels.count(l.get<std::string>()), where + ": level is an enum value");
  }

  void region(const Json& r, const std::string& where) {
    expect(r.is_object(), where + ": region is an object");
    for (const char* key : {"startLine", "startColumn", "endLine", "endColumn"}) {
      if (r.contains(key)) {
        expect(r[key].is_number_integer() && r[key].get<int64_t>() >= 1,
               where + ": region." + key + " is an integer >= 1");
      }
    }
    expect(r.contains("startLine"), where + ": a text region has startLine");
    if (r.contains("endLine") && r.contains("startLine")) {
      expect(r["endLine"] >= r["startLine"], where + ": endLine >= startLine");
    }
  }

  void artifact_location(const Json& a, const std::string& where) {
    expect(a.is_object() && a.contains("uri") && a["uri"].is_string() &&
               !a["uri"].get<std::string>().empty(),
           where + ": artifactLocation has a uri");
    if (a.contains("uriBaseId")) expect(a["uriBaseId"].is_string(), where + ": uriBaseId");
  }

  void physical(const Json& p, const std::string& where) {
    expect(p.is_object() && (p.contains("artifactLocation") || p.contains("address")),
           where + ": physicalLocation has artifactLocation or address");
    if (p.contains("artifactLocation")) artifact_location(p["artifactLocation"], where);
    if (p.contains("region")) region(p["region"], where);
  }

  void location(const Json& l, const std::string& where) {
    expect(l.is_object(), where + ": location is an object");
    if (l.contains("id")) {
      expect(l["id"].is_number_integer() && l["id"].get<int64_t>() >= -1,
             where + ": location.id >= -1");
    }
    if (l.contains("physicalLocation")) physical(l["physicalLocation"], where);
    if (l.contains("message")) message(l["message"], where);
  }

  void descriptor(const Json& d, const std::string& where) {
    expect(d.is_object() && d.contains("id") && d["id"].is_string(), where + ": rule has an id");
    for (const char* key : {"shortDescription", "fullDescription", "help"}) {
      if (d.contains(key)) multiformat(d[key], where + "." + key);
    }
    if (d.contains("helpUri")) {
      expect(d["helpUri"].is_string() && absolute_uri(d["helpUri"]),
             where + ": helpUri is an absolute URI");
    }
    if (d.contains("defaultConfiguration")) {
      level(d["defaultConfiguration"].value("level", Json("warning")), where);
    }
  }

  void run(const Json& r) {
    expect(r.contains("tool") && r["tool"].contains("driver"), "run.tool.driver is present");
    const Json& driver = r["tool"]["driver"];
    expect(driver.contains("name") && driver["name"].is_string(), "driver.name is present");
    std::vector<std::string> rule_ids;
    if (driver.contains("rules")) {
      for (size_t i = 0; i < driver["rules"].size(); ++i) {
        descriptor(driver["rules"][i], "rules[" + std::to_string(i) + "]");
        rule_ids.push_back(driver["rules"][i].value("id", ""));
      }
    }
    if (r.contains("columnKind")) {
      expect(r["columnKind"] == "utf16CodeUnits" || r["columnKind"] == "unicodeCodePoints",
             "columnKind is an enum value");
    }
    if (r.contains("invocations")) {
      for (const Json& invocation : r["invocations"]) {
        expect(invocation.contains("executionSuccessful") &&
                   invocation["executionSuccessful"].is_boolean(),
               "invocation.executionSuccessful is a boolean");
        for (const Json& note : invocation.value("toolExecutionNotifications", Json::array())) {
          message(note.value("message", Json()), "notification");
        }
      }
    }
    for (size_t i = 0; i < r.value("results", Json::array()).size(); ++i)
      result(r["results"][i], "results[" + std::to_string(i) + "]", rule_ids);
  }

  void result(const Json& res, const std::string& where, const std::vector<std::string>& rules) {
    expect(res.contains("message"), where + ": a result has a message");
    if (res.contains("message")) message(res["message"], where);
    if (res.contains("level")) level(res["level"], where);
    // GitHub code scanning needs a rule id and a location on every result.
    expect(res.contains("ruleId") && res["ruleId"].is_string(), where + ": ruleId");
    expect(res.contains("locations") && !res["locations"].empty(), where + ": a location");
    if (res.contains("ruleIndex")) {
      int64_t index = res["ruleIndex"].get<int64_t>();
      expect(index >= -1, where + ": ruleIndex >= -1");
      expect(index >= 0 && static_cast<size_t>(index) < rules.size() &&
                 rules[static_cast<size_t>(index)] == res.value("ruleId", ""),
             where + ": ruleIndex names the rule of ruleId");
    }
    for (const Json& l : res.value("locations", Json::array()))
      location(l, where);
    for (const Json& l : res.value("relatedLocations", Json::array()))
      location(l, where + ".related");
    if (res.contains("partialFingerprints")) {
      for (const auto& [key, value] : res["partialFingerprints"].items()) {
        expect(value.is_string(), where + ": partialFingerprints values are strings");
      }
    }
    for (const Json& fix : res.value("fixes", Json::array())) {
      expect(fix.contains("artifactChanges") && !fix["artifactChanges"].empty(),
             where + ": a fix has artifactChanges");
      for (const Json& change : fix.value("artifactChanges", Json::array())) {
        expect(change.contains("artifactLocation") && change.contains("replacements") &&
                   !change["replacements"].empty(),
               where + ": an artifactChange has artifactLocation and replacements");
        if (change.contains("artifactLocation")) {
          artifact_location(change["artifactLocation"], where);
        }
        for (const Json& replacement : change.value("replacements", Json::array())) {
          expect(replacement.contains("deletedRegion"),
                 where + ": a replacement has deletedRegion");
          if (replacement.contains("deletedRegion")) region(replacement["deletedRegion"], where);
        }
      }
    }
  }
};

TEST_CASE("SARIF output has every property SARIF 2.1.0 requires, as GitHub reads it") {
  LintRun run(R"(import "std/semver"

let zone = "a"
fn pick(zone: string) -> string = zone
where = pick(zone)
)" + std::string(kCluster),
              "", *lint::parse_date("2030-01-01"));
  REQUIRE(run.has("unused-import"));
  REQUIRE(run.has("shadowed-name"));
  REQUIRE(run.has("kubernetes-version-eol"));
  diag::Diagnostics with_placeless = run.result;
  with_placeless.error(diag::Code::E0505, source::Span{}, "cannot read the lint configuration");
  lint::SarifOptions options;
  options.tool_version = "0.1.0";
  Json log =
      Json::parse(lint::sarif_log(with_placeless, run.compilation->sources(), options).dump());
  SarifChecker checker;
  checker.log(log);
  CAPTURE(log.dump(2));
  CHECK(checker.problems.empty());
  for (const std::string& problem : checker.problems)
    MESSAGE(problem);

  const Json& results = log["runs"][0]["results"];
  CHECK(results.size() == run.result.all().size());
  // The placeless error is a notification, not a result.
  CHECK(log["runs"][0]["invocations"][0]["toolExecutionNotifications"].size() == 1);
  std::set<std::string> fingerprints;
  for (const Json& r : results)
    fingerprints.insert(r["partialFingerprints"]["kcFindingHash/v1"].get<std::string>());
  CHECK(fingerprints.size() == results.size());
}

TEST_CASE("SARIF fingerprints survive lines added above a finding") {
  LintRun before("let spare = 1\n");
  LintRun after("# a new comment\n\nlet spare = 1\n");
  lint::SarifOptions options;
  Json a = lint::sarif_log(before.result, before.compilation->sources(), options);
  Json b = lint::sarif_log(after.result, after.compilation->sources(), options);
  REQUIRE(a["runs"][0]["results"].size() == 1);
  REQUIRE(b["runs"][0]["results"].size() == 1);
  CHECK(a["runs"][0]["results"][0]["partialFingerprints"] ==
        b["runs"][0]["results"][0]["partialFingerprints"]);
  CHECK(a["runs"][0]["results"][0]["locations"] != b["runs"][0]["results"][0]["locations"]);
}

TEST_CASE("SARIF URIs are percent-encoded references") {
  CHECK(lint::path_uri("clusters/prod.kcl") == "clusters/prod.kcl");
  CHECK(lint::path_uri("my dir/a#b.kcl") == "my%20dir/a%23b.kcl");
  CHECK(lint::path_uri("/abs/x.kcl") == "file:///abs/x.kcl");
}

}  // namespace
}  // namespace kc
