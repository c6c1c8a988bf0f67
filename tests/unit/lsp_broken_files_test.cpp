// The language server never crashes or goes silent on broken code: a module that checked, then
// each broken input of the fuzz corpus as an edit of one of its files, and every position-taking
// request at positions all over it — each request gets exactly one response with its id.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lsp/server/server.h"
#include "providers/registry/builtin_providers.h"
#include "tests/unit/temp_dir.h"

using namespace kc;
using namespace kc::lsp;
using nlohmann::json;

namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const char* kGood =
    "## A pool.\nschema Pool {\n  size: int = 3\n}\n\nlet base = 2\n"
    "fn twice(x: int) -> int = x * 2\n"
    "web = Pool { size = twice(base) }\ndb = Pool { size = web.size + 1 }\n";

}  // namespace

TEST_CASE("lsp broken files: every request on a file full of syntax errors answers") {
  test::TempDir dir("kc-lsp-broken");
  std::string path = dir.path + "/main.kcl";
  std::ofstream(path) << kGood;
  std::ofstream(dir.path + "/other.kcl") << "q = Pool { size = base }\n";
  std::string uri = "file://" + path;

  providers::BuiltinProviders providers;
  ServerOptions options;
  options.stdlib_dirs = {std::string(KC_SOURCE_DIR) + "/stdlib"};
  Server server(options, providers);
  int next_id = 0;
  auto request = [&](const std::string& method, json params) {
    int id = ++next_id;
    std::vector<json> out = server.handle_message(
        {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
    auto responses = std::count_if(out.begin(), out.end(), [&](const json& m) {
      return m.contains("id") && m["id"] == id && (m.contains("result") || m.contains("error"));
    });
    INFO(method, " ", id);
    CHECK(responses == 1);
  };
  auto notify = [&](const std::string& method, json params) {
    server.handle_message({{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
  };
  request("initialize", {{"capabilities", json::object()}});
  notify("initialized", json::object());
  notify(
      "textDocument/didOpen",
      {{"textDocument", {{"uri", uri}, {"languageId", "kcl"}, {"version", 1}, {"text", kGood}}}});
  json doc = {{"uri", uri}};

  std::vector<std::filesystem::path> corpus;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(KC_SOURCE_DIR) + "/tests/fuzz/corpus"))
    corpus.push_back(entry.path());
  std::sort(corpus.begin(), corpus.end());
  REQUIRE(corpus.size() >= 5);

  int version = 1;
  for (const auto& input : corpus) {
    // The broken text appended to the good one (the last analysis that checked is the good one's),
    // then on its own.
    for (const std::string& text : {std::string(kGood) + read_all(input), read_all(input)}) {
      INFO(input.filename().string());
      notify("textDocument/didChange", {{"textDocument", {{"uri", uri}, {"version", ++version}}},
                                        {"contentChanges", json::array({{{"text", text}}})}});
      uint32_t lines = static_cast<uint32_t>(std::count(text.begin(), text.end(), '\n')) + 2;
      for (uint32_t line = 0; line < std::min<uint32_t>(lines, 40); ++line) {
        for (uint32_t character : {0u, 3u, 8u, 21u, 200u}) {
          json at = {{"textDocument", doc},
                     {"position", {{"line", line}, {"character", character}}}};
          request("textDocument/hover", at);
          request("textDocument/definition", at);
          request("textDocument/signatureHelp", at);
          request("textDocument/completion", at);
          request("textDocument/prepareRename", at);
          json refs = at;
          refs["context"] = {{"includeDeclaration", true}};
          request("textDocument/references", refs);
          json rename = at;
          rename["newName"] = "renamed";
          request("textDocument/rename", rename);
        }
      }
      json range = {{"start", {{"line", 0}, {"character", 0}}},
                    {"end", {{"line", lines}, {"character", 0}}}};
      request("textDocument/documentSymbol", {{"textDocument", doc}});
      request("textDocument/foldingRange", {{"textDocument", doc}});
      request("textDocument/semanticTokens/full", {{"textDocument", doc}});
      request("textDocument/formatting",
              {{"textDocument", doc}, {"options", {{"tabSize", 2}, {"insertSpaces", true}}}});
      request("textDocument/inlayHint", {{"textDocument", doc}, {"range", range}});
      request("textDocument/codeLens", {{"textDocument", doc}});
      request(
          "textDocument/codeAction",
          {{"textDocument", doc}, {"range", range}, {"context", {{"diagnostics", json::array()}}}});
    }
    // Back to the good text, so the next input's stale answers come from a fresh check.
    notify("textDocument/didChange", {{"textDocument", {{"uri", uri}, {"version", ++version}}},
                                      {"contentChanges", json::array({{{"text", kGood}}})}});
  }
  request("shutdown", nullptr);
}
