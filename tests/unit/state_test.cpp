// Unit tests for runtime/state: the model, the JSON codec and the local file backend.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "runtime/state/codec.h"
#include "runtime/state/lineage.h"
#include "runtime/state/local_backend.h"
#include "tests/unit/runtime_fakes.h"

namespace fs = std::filesystem;
using namespace kc;

namespace {

// A fresh empty directory under the system temp dir, removed at scope exit.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "kc-state-test-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(path)) {
      out.push_back(fs::relative(e.path(), path).string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

state::ResourceState machine_state(const std::string& label, int cpu) {
  state::ResourceState r;
  r.address = testing::machine(label);
  r.type = "fake.machine";
  r.provider = "fake";
  r.attributes = sdk::Value::map(
      {{"cpu", cpu}, {"memory", sdk::ByteSize{4LL << 30}}, {"zone", "a"}, {"id", "m-" + label}});
  return r;
}

state::State sample_state() {
  state::State s;
  s.lineage = "0b6f7a1e-3c2d-4e5f-8a9b-0c1d2e3f4a5b";
  s.serial = 7;
  s.upsert(machine_state("web", 2));
  auto db = machine_state("db", 4);
  db.dependencies = {testing::machine("web")};
  db.sensitive = {"zone"};
  db.prevent_destroy = true;
  s.upsert(db);
  s.outputs = {{"web_ip", "10.0.0.1"}, {"count", 2}};
  s.sensitive_outputs = {"web_ip"};
  return s;
}

}  // namespace

TEST_CASE("state keeps resources sorted and upserts/removes by address") {
  state::State s;
  s.upsert(machine_state("web", 2));
  s.upsert(machine_state("api", 1));
  s.upsert(machine_state("db", 4));
  REQUIRE(s.resources.size() == 3);
  CHECK(s.resources[0].address == testing::machine("api"));
  CHECK(s.resources[2].address == testing::machine("web"));
  s.upsert(machine_state("db", 8));
  CHECK(s.resources.size() == 3);
  CHECK(s.find(testing::machine("db"))->attributes.find("cpu")->as_int() == 8);
  CHECK(s.remove(testing::machine("api")));
  CHECK_FALSE(s.remove(testing::machine("api")));
  CHECK(s.find(testing::machine("api")) == nullptr);
  CHECK(s.resources.size() == 2);
}

TEST_CASE("state JSON round-trips through the resource schema") {
  testing::FakeProvider provider;
  testing::FakeProviders providers;
  providers.add(&provider);
  state::State s = sample_state();
  std::string text = state::encode_state(s);
  CHECK(text.find("\"format_version\": 1") != std::string::npos);
  CHECK(text.find("\"memory\": \"4Gi\"") != std::string::npos);

  diag::Diagnostics diags;
  std::optional<state::State> back = state::decode_state(text, providers, "state.json", diags);
  REQUIRE(back);
  CHECK(diags.empty());
  CHECK(back->lineage == s.lineage);
  CHECK(back->serial == 7);
  REQUIRE(back->resources.size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    CHECK(back->resources[i].address == s.resources[i].address);
    CHECK(back->resources[i].type == "fake.machine");
    CHECK(back->resources[i].provider == "fake");
    CHECK(back->resources[i].status == "ready");
    CHECK(back->resources[i].dependencies == s.resources[i].dependencies);
    CHECK(back->resources[i].sensitive == s.resources[i].sensitive);
    CHECK(back->resources[i].prevent_destroy == s.resources[i].prevent_destroy);
    CHECK(back->resources[i].attributes == s.resources[i].attributes);
  }
  // The schema turns "4Gi" back into a size, not a string.
  CHECK(back->resources[0].attributes.find("memory")->kind() == sdk::Kind::Bytes);
  REQUIRE(back->outputs.size() == 2);
  CHECK(back->outputs[0].first == "web_ip");
  CHECK(back->outputs[0].second == sdk::Value("10.0.0.1"));
  CHECK(back->outputs[1].second == sdk::Value(2));
  CHECK(back->sensitive_outputs == std::vector<std::string>{"web_ip"});
  CHECK(state::encode_state(*back) == text);
}

TEST_CASE("malformed state is E0506 naming the file") {
  testing::FakeProviders providers;
  auto decode = [&](const std::string& text) {
    diag::Diagnostics diags;
    auto s = state::decode_state(text, providers, "mod/.kc/state.json", diags);
    CHECK_FALSE(s);
    REQUIRE(diags.error_count() == 1);
    const diag::Diagnostic& d = diags.all()[0];
    CHECK(d.code == diag::Code::E0506);
    CHECK(d.message.find("mod/.kc/state.json") != std::string::npos);
    return d.message;
  };
  decode("{\"format_version\": 1, \"lineage\": ");
  decode("");
  decode("[1, 2]");
  decode(R"({"format_version": 1, "lineage": "x", "serial": "7", "resources": []})");
  decode(R"({"format_version": 1, "lineage": "x", "serial": 1, "resources": [{"address": 3}]})");
  std::string future = decode(R"({"format_version": 2, "lineage": "x", "serial": 1})");
  CHECK(future.find("newer") != std::string::npos);
  CHECK(future.find("format_version 2") != std::string::npos);
}

TEST_CASE("attributes that do not fit the schema are E0506") {
  testing::FakeProvider provider;
  testing::FakeProviders providers;
  providers.add(&provider);
  diag::Diagnostics diags;
  auto s = state::decode_state(
      R"({"format_version": 1, "lineage": "x", "serial": 1, "resources": [
           {"address": "fake.machine[\"a\"]", "type": "fake.machine", "provider": "fake",
            "attributes": {"cpu": "many"}, "dependencies": [], "status": "ready"}]})",
      providers, "s.json", diags);
  CHECK_FALSE(s);
  REQUIRE(diags.error_count() == 1);
  CHECK(diags.all()[0].code == diag::Code::E0506);
  CHECK(diags.all()[0].message.find("fake.machine[\"a\"]") != std::string::npos);
}

TEST_CASE("new_lineage gives distinct UUID v4 text") {
  std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::string a = state::new_lineage(), b = state::new_lineage();
  CHECK(std::regex_match(a, uuid));
  CHECK(std::regex_match(b, uuid));
  CHECK(a != b);
}

TEST_CASE("local backend: missing file loads empty, saves atomically with backup and mode 0600") {
  TempDir dir;
  testing::FakeProvider provider;
  testing::FakeProviders providers;
  providers.add(&provider);
  std::string path = state::LocalBackend::default_path(dir.path.string());
  CHECK(path == (dir.path / ".kc" / "state.json").string());
  state::LocalBackend backend(path);

  diag::Diagnostics diags;
  std::optional<state::State> s = backend.load(providers, diags);
  REQUIRE(s);
  CHECK(diags.empty());
  CHECK(s->serial == 0);
  CHECK(s->resources.empty());
  CHECK(s->lineage.size() == 36);
  std::string lineage = s->lineage;
  CHECK_FALSE(fs::exists(path));  // loading creates nothing

  s->upsert(machine_state("web", 2));
  diag::Diagnostics saved = backend.save(*s);
  CHECK(saved.empty());
  CHECK(s->serial == 1);
  CHECK(dir.names() == std::vector<std::string>{".kc", ".kc/state.json"});
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::string first = read_text(path);

  s->upsert(machine_state("db", 4));
  CHECK(backend.save(*s).empty());
  CHECK(s->serial == 2);
  // The previous file is kept as the backup; nothing else is left behind.
  CHECK(dir.names() == std::vector<std::string>{".kc", ".kc/state.json", ".kc/state.json.backup"});
  CHECK(read_text(backend.backup_path()) == first);
  REQUIRE(::stat(backend.backup_path().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  diag::Diagnostics diags2;
  std::optional<state::State> again = backend.load(providers, diags2);
  REQUIRE(again);
  CHECK(diags2.empty());
  CHECK(again->serial == 2);
  CHECK(again->lineage == lineage);
  CHECK(again->resources.size() == 2);
  CHECK(state::encode_state(*again) == read_text(path));
}

TEST_CASE("local backend reports a corrupt or future state file as E0506, not a crash") {
  TempDir dir;
  testing::FakeProviders providers;
  fs::path path = dir.path / ".kc" / "state.json";
  state::LocalBackend backend(path.string());

  write_text(path, "{ not json");
  diag::Diagnostics diags;
  CHECK_FALSE(backend.load(providers, diags));
  REQUIRE(diags.error_count() == 1);
  CHECK(diags.all()[0].code == diag::Code::E0506);
  CHECK(diags.all()[0].message.find(path.string()) != std::string::npos);

  write_text(path, R"({"format_version": 99, "lineage": "x", "serial": 3, "resources": []})");
  diag::Diagnostics future;
  CHECK_FALSE(backend.load(providers, future));
  REQUIRE(future.error_count() == 1);
  CHECK(future.all()[0].code == diag::Code::E0506);
  CHECK(future.all()[0].message.find("newer") != std::string::npos);
}

TEST_CASE("local backend save failure is E0505 and leaves the serial alone") {
  TempDir dir;
  fs::path blocker = dir.path / "file";
  write_text(blocker, "x");
  // The state's directory would have to be below a regular file.
  state::LocalBackend backend((blocker / "state.json").string());
  state::State s;
  s.serial = 4;
  diag::Diagnostics diags = backend.save(s);
  REQUIRE(diags.error_count() == 1);
  CHECK(diags.all()[0].code == diag::Code::E0505);
  CHECK(s.serial == 4);
}
