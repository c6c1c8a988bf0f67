// Navigation by the names the checker records beyond NameRef expressions (CheckedModule::uses):
// schema names in types, instance heads and `extends`, static paths, enum members, schema fields
// at instance keys, member accesses and inside the schema; definition, references, rename (and its
// refusals), hover and semantic tokens built on them (lsp/server/targets.h).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "compiler/driver/file_system.h"
#include "lsp/server/analysis.h"
#include "lsp/server/navigation.h"
#include "lsp/server/references.h"
#include "lsp/server/semantic_tokens.h"
#include "lsp/server/targets.h"
#include "providers/registry/builtin_providers.h"
#include "tests/unit/module_fixture.h"

using namespace kc;
using namespace kc::lsp;
using kc::test::write_file;

namespace {

const char* const kLib = R"(## A subnet.
schema Subnet {
  ## Its range.
  cidr: cidr
}
)";

const char* const kMain = R"(import "./lib" as net

## How pods talk.
enum Cni {
  ## The default one.
  calico
  cilium
}

## A group of machines.
schema Pool {
  ## How many machines.
  size: int = 3
  cni: Cni = Cni.calico
  subnet: net.Subnet? = null
  let double = size * 2
}

schema GpuPool extends Pool {
  gpus: int = 1
}

param replicas: int = 2
let pools: [Pool] = [Pool { size = 5, cni = cilium }]
big = GpuPool {
  "size" = 8
  subnet = net.Subnet { cidr = 10.0.0.0/24 }
}
total = big.size
mode = Cni.calico
std_size = MachineSize { cpu = 2, memory = 1Gi }
web = resource sim.machine web {
  cpu = replicas
  memory = 4Gi
  zone = "a"
}
bigger = big with { size = 9 }
)";

struct Workspace : test::ModuleFixture {
  Analysis analysis;
  FileRef main;
  std::string text = kMain;

  Workspace() : ModuleFixture("kc-lsp-names") {
    write_file(dir.path + "/lib/net.kcl", kLib);
    write_file(dir.path + "/main.kcl", kMain);
    analysis = analyze_module(dir.path, inputs());
    std::string path = std::filesystem::canonical(dir.path + "/main.kcl").string();
    std::optional<FileRef> file = find_file(analysis, path);
    if (!file) file = find_file(analysis, dir.path + "/main.kcl");
    REQUIRE(file);
    main = *file;
  }
  // The byte offset of the `nth` occurrence of `needle` (0-based), plus `plus`.
  uint32_t at(const std::string& needle, int nth = 0, uint32_t plus = 1) const {
    size_t pos = text.find(needle);
    for (int i = 0; i < nth && pos != std::string::npos; ++i)
      pos = text.find(needle, pos + 1);
    REQUIRE(pos != std::string::npos);
    return static_cast<uint32_t>(pos) + plus;
  }
  std::string text_of(source::Span span) {
    return std::string(analysis.compilation->sources().text(span));
  }
  int line_of(source::Span span) {
    std::string_view all = analysis.compilation->sources().file(span.file).text();
    return static_cast<int>(std::count(all.begin(), all.begin() + span.begin, '\n'));
  }
};

}  // namespace

TEST_CASE("lsp names: schema names in heads, types and extends, static paths, enum members") {
  Workspace w;
  REQUIRE(w.analysis.compilation->checked() != nullptr);
  // `Pool` in an instance head, in a list type, after `extends`: the schema's declaration.
  for (uint32_t offset : {w.at("Pool {", 0), w.at("[Pool]"), w.at("extends Pool", 0, 9)}) {
    std::optional<source::Span> target = definition(w.analysis, w.main, offset);
    REQUIRE(target);
    CHECK(w.text_of(*target) == "Pool");
    CHECK(w.line_of(*target) == 10);
  }
  // `net` and `Subnet` in `net.Subnet?`; `Cni` and `calico` in `Cni.calico`.
  std::optional<source::Span> import = definition(w.analysis, w.main, w.at("net.Subnet?"));
  REQUIRE(import);
  CHECK(w.line_of(*import) == 0);
  std::optional<source::Span> subnet = definition(w.analysis, w.main, w.at("net.Subnet?", 0, 5));
  REQUIRE(subnet);
  CHECK(w.text_of(*subnet) == "Subnet");
  CHECK(w.analysis.paths[subnet->file].find("lib") != std::string::npos);
  std::optional<TargetAt> cni = target_at(w.analysis, w.main, w.at("Cni.calico", 1));
  REQUIRE(cni);
  CHECK(cni->target.kind == Target::Kind::Symbol);
  std::optional<TargetAt> calico = target_at(w.analysis, w.main, w.at("Cni.calico", 1, 5));
  REQUIRE(calico);
  CHECK(calico->target.kind == Target::Kind::EnumMember);
  CHECK(calico->target.member == "calico");
  std::optional<source::Span> member = definition(w.analysis, w.main, w.at("Cni.calico", 1, 5));
  REQUIRE(member);
  CHECK(w.line_of(*member) == 5);
  // A bare member where the enum is expected knows its enum too.
  std::optional<TargetAt> bare = target_at(w.analysis, w.main, w.at("= cilium", 0, 3));
  REQUIRE(bare);
  CHECK(bare->target.kind == Target::Kind::EnumMember);
  CHECK(bare->target.member == "cilium");
  CHECK(bare->target.symbol == cni->target.symbol);
}

TEST_CASE("lsp names: a schema field's references and rename across instances and schemas") {
  Workspace w;
  // From the key in `Pool { size = 5 }`: the declaration, the let's bare use, the key, the child
  // GpuPool's quoted key, `big.size` and the key of `big with { ... }`.
  std::optional<TargetAt> size = target_at(w.analysis, w.main, w.at("size = 5"));
  REQUIRE(size);
  CHECK(size->target.kind == Target::Kind::Field);
  std::vector<source::Span> spans = references(w.analysis, size->target, true);
  std::vector<std::string> texts;
  for (const source::Span& span : spans)
    texts.push_back(w.text_of(span));
  CHECK(texts == std::vector<std::string>{"size", "size", "size", "\"size\"", "size", "size"});
  CHECK(w.line_of(spans[0]) == 12);
  // A nested instance of a schema of another module.
  std::optional<source::Span> cidr = definition(w.analysis, w.main, w.at("cidr = "));
  REQUIRE(cidr);
  CHECK(w.text_of(*cidr) == "cidr");

  RenameEdits renamed = rename_edits(w.analysis, size->target, "count");
  CHECK(renamed.refusal.empty());
  REQUIRE(renamed.edits.size() == 6);
  CHECK(renamed.edits[3].text == "\"count\"");
  CHECK(renamed.edits[4].text == "count");
  // The child schema already has `gpus`: renaming would merge two fields.
  RenameEdits taken = rename_edits(w.analysis, size->target, "gpus");
  CHECK(taken.edits.empty());
  CHECK(taken.refusal.find("`GpuPool` already has") != std::string::npos);

  // Renaming the schema renames its heads, types and `extends`.
  Renamable pool = renamable(w.analysis, w.main, w.at("Pool {", 0));
  REQUIRE(pool.target);
  RenameEdits schema = rename_edits(w.analysis, pool.target->target, "Group");
  REQUIRE(schema.edits.size() == 4);  // the declaration, `extends`, `[Pool]`, the head
  CHECK(w.text_of(schema.edits[1].span) == "Pool");
  CHECK(w.line_of(schema.edits[1].span) == 18);
  // Fields of the standard library's schemas and provider attributes are refused with a reason.
  Renamable std_field = renamable(w.analysis, w.main, w.at("cpu = 2"));
  CHECK_FALSE(std_field.target);
  CHECK(std_field.refusal.find("standard library") != std::string::npos);
  Renamable attribute = renamable(w.analysis, w.main, w.at("cpu = replicas"));
  CHECK_FALSE(attribute.target);
  CHECK(attribute.refusal.find("sim.machine") != std::string::npos);
}

TEST_CASE("lsp names: hover on enum members, fields, params and resource attributes") {
  Workspace w;
  auto hover_text = [&](uint32_t offset) {
    std::optional<HoverInfo> info = hover(w.analysis, w.main, offset);
    REQUIRE(info);
    return info->markdown;
  };
  std::string member = hover_text(w.at("Cni.calico", 1, 5));
  CHECK(member.find("(enum member) Cni.calico") != std::string::npos);
  CHECK(member.find("The default one.") != std::string::npos);
  std::string field = hover_text(w.at("size = 5"));
  CHECK(field.find("(field) Pool.size: int = 3") != std::string::npos);
  CHECK(field.find("How many machines.") != std::string::npos);
  std::string inherited = hover_text(w.at("big.size", 0, 5));
  CHECK(inherited.find("(field) GpuPool.size: int = 3") != std::string::npos);
  CHECK(hover_text(w.at("cpu = replicas", 0, 7)).find("param replicas: int = 2") !=
        std::string::npos);
  std::string attribute = hover_text(w.at("cpu = replicas"));
  CHECK(attribute.find("(attribute) sim.machine.cpu: int  # required") != std::string::npos);
  // An export of the evaluated root module shows its value.
  CHECK(hover_text(w.at("total =")).find("export total: int = 8") != std::string::npos);
}

TEST_CASE("lsp names: semantic tokens class names in types, heads, paths and keys") {
  Workspace w;
  std::vector<uint32_t> data = semantic_tokens(w.text, &w.analysis, w.main, PositionEncoding::Utf8);
  // Absolute (line, column) -> token type.
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> types;
  uint32_t line = 0, column = 0;
  for (size_t i = 0; i + 4 < data.size(); i += 5) {
    if (data[i] != 0) column = 0;
    line += data[i];
    column += data[i + 1];
    types[{line, column}] = data[i + 3];
  }
  auto type_at = [&](uint32_t offset) {
    uint32_t l = static_cast<uint32_t>(std::count(w.text.begin(), w.text.begin() + offset, '\n'));
    uint32_t c = offset - static_cast<uint32_t>(w.text.rfind('\n', offset - 1) + 1);
    auto it = types.find({l, c});
    return it == types.end() ? UINT32_MAX : it->second;
  };
  const std::vector<std::string>& legend = semantic_token_types();
  auto index = [&](const std::string& name) {
    return static_cast<uint32_t>(std::find(legend.begin(), legend.end(), name) - legend.begin());
  };
  CHECK(type_at(w.at("Pool {", 0, 0)) == index("type"));
  CHECK(type_at(w.at("net.Subnet?", 0, 0)) == index("namespace"));
  CHECK(type_at(w.at("Cni.calico", 1, 0)) == index("enum"));
  CHECK(type_at(w.at("Cni.calico", 1, 4)) == index("enumMember"));
  CHECK(type_at(w.at("cilium }", 0, 0)) == index("enumMember"));
  CHECK(type_at(w.at("size = 5", 0, 0)) == index("property"));
  CHECK(type_at(w.at("size * 2", 0, 0)) == index("property"));
}
