// The language server's building blocks: framing, position encodings, file URIs, incremental
// document edits, and the overlay file system.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lsp/server/documents.h"
#include "lsp/server/overlay_file_system.h"
#include "lsp/server/positions.h"
#include "lsp/server/server.h"
#include "lsp/server/transport.h"
#include "lsp/server/uri.h"
#include "providers/registry/builtin_providers.h"

using namespace kc::lsp;

TEST_CASE("lsp framing: messages in a row, tolerant headers, clean end, broken frames") {
  std::istringstream in(
      "Content-Length: 2\r\n\r\n{}"
      "content-length:  7 \r\nContent-Type: application/vscode-jsonrpc; "
      "charset=utf-8\r\n\r\n[1,2,3]"
      "Content-Length: 3\n\n\"a\"");
  ReadResult a = read_message(in);
  REQUIRE(a.status == ReadStatus::Message);
  CHECK(a.body == "{}");
  ReadResult b = read_message(in);
  REQUIRE(b.status == ReadStatus::Message);
  CHECK(b.body == "[1,2,3]");
  ReadResult c = read_message(in);  // bare LF line ends
  REQUIRE(c.status == ReadStatus::Message);
  CHECK(c.body == "\"a\"");
  CHECK(read_message(in).status == ReadStatus::End);

  std::istringstream no_length("Content-Type: x\r\n\r\n{}");
  CHECK(read_message(no_length).status == ReadStatus::Malformed);
  std::istringstream short_body("Content-Length: 10\r\n\r\n{}");
  ReadResult cut = read_message(short_body);
  CHECK(cut.status == ReadStatus::Malformed);
  CHECK(cut.error.find("ended inside a message body") != std::string::npos);
  std::istringstream huge("Content-Length: 99999999999\r\n\r\n");
  CHECK(read_message(huge).status == ReadStatus::Malformed);
  std::istringstream garbage("Content-Length: 1x\r\n\r\n{");
  CHECK(read_message(garbage).status == ReadStatus::Malformed);

  std::ostringstream out;
  write_message(out, "{\"é\":1}");
  CHECK(out.str() == "Content-Length: 8\r\n\r\n{\"é\":1}");  // é is two bytes
}

TEST_CASE("lsp threaded mode: the reader never flushes the output the worker writes") {
  // std::cin is tied to std::cout: left tied, every read on the reader thread would flush the
  // stream the worker writes, and under load responses came out garbled or stranded.
  std::ostringstream out;
  std::string input;
  for (const char* body : {R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})",
                           R"({"jsonrpc":"2.0","id":2,"method":"shutdown"})"}) {
    input += "Content-Length: " + std::to_string(std::string_view(body).size()) + "\r\n\r\n";
    input += body;
  }
  std::istringstream in(input);  // ends without `exit`: the reader thread is done when it returns
  in.tie(&out);
  kc::providers::BuiltinProviders providers;
  Server server(ServerOptions{}, providers);
  run_server(server, in, out, /*synchronous=*/false);
  CHECK(in.tie() == nullptr);
  std::istringstream written(out.str());
  std::vector<int> ids;
  for (ReadResult r = read_message(written); r.status == ReadStatus::Message;
       r = read_message(written)) {
    ids.push_back(nlohmann::json::parse(r.body).at("id").get<int>());
  }
  CHECK(ids == std::vector<int>{1, 2});
}

TEST_CASE("lsp positions: UTF-16, UTF-8 and UTF-32 columns, CR LF, clamping") {
  // "a→🌍b\r\nxy": → is 3 bytes / 1 UTF-16 unit, 🌍 is 4 bytes / 2 units.
  std::string text =
      "a\xE2\x86\x92\xF0\x9F\x8C\x8D"
      "b\r\nxy";
  LineIndex index(text);
  CHECK(index.line_count() == 2);
  uint32_t b = 8;  // the byte offset of `b`
  CHECK(index.position(b, PositionEncoding::Utf16) == Position{0, 4});
  CHECK(index.position(b, PositionEncoding::Utf8) == Position{0, 8});
  CHECK(index.position(b, PositionEncoding::Utf32) == Position{0, 3});
  CHECK(index.offset({0, 4}, PositionEncoding::Utf16) == b);
  CHECK(index.offset({0, 8}, PositionEncoding::Utf8) == b);
  CHECK(index.offset({0, 3}, PositionEncoding::Utf32) == b);
  // Inside the surrogate pair, or inside a UTF-8 sequence: the character's start.
  CHECK(index.offset({0, 3}, PositionEncoding::Utf16) == 4);
  CHECK(index.position(6, PositionEncoding::Utf16) == Position{0, 2});
  // Past the end of a line: the line's end, before CR LF. Past the last line: the text's end.
  CHECK(index.offset({0, 99}, PositionEncoding::Utf16) == 9);
  CHECK(index.offset({1, 1}, PositionEncoding::Utf16) == 12);
  CHECK(index.offset({7, 0}, PositionEncoding::Utf16) == text.size());
  CHECK(index.position(999, PositionEncoding::Utf16) == Position{1, 2});
  // Invalid bytes count one each, so every offset stays reachable.
  std::string bad = "\xFF\xC3x";
  LineIndex bad_index(bad);
  CHECK(bad_index.position(2, PositionEncoding::Utf16) == Position{0, 2});
  CHECK(bad_index.offset({0, 2}, PositionEncoding::Utf16) == 2);
}

TEST_CASE("lsp URIs: percent-decoding, other schemes refused, round trip") {
  CHECK(uri_to_path("file:///home/a%20b/x.kcl") == "/home/a b/x.kcl");
  CHECK(uri_to_path("file://localhost/etc/x.kcl") == "/etc/x.kcl");
  CHECK(uri_to_path("file:///c%C3%A9/x.kcl") == "/c\xC3\xA9/x.kcl");
  CHECK_FALSE(uri_to_path("http://example.com/x.kcl"));
  CHECK_FALSE(uri_to_path("file://server/share/x.kcl"));
  CHECK_FALSE(uri_to_path("file:///bad%2"));
  CHECK_FALSE(uri_to_path("file:///bad%zz"));
  std::string path = "/w/a b#c/\xC3\xA9.kcl";
  CHECK(path_to_uri(path) == "file:///w/a%20b%23c/%C3%A9.kcl");
  CHECK(uri_to_path(path_to_uri(path)) == path);
}

TEST_CASE("lsp documents: incremental edits apply in order; unknown documents are refused") {
  DocumentStore store;
  store.open({"/w/main.kcl", "file:///w/main.kcl", 1, "x = 1\ny = 2\n"});
  std::vector<TextChange> changes;
  changes.push_back({false, {0, 4}, {0, 5}, "10"});     // x = 10
  changes.push_back({false, {1, 0}, {1, 0}, "# c\n"});  // a line inserted before y
  changes.push_back({false, {2, 4}, {2, 5}, "20"});     // y = 20, in the text after the insert
  REQUIRE(store.change("/w/main.kcl", 2, changes, PositionEncoding::Utf16));
  CHECK(store.find("/w/main.kcl")->text == "x = 10\n# c\ny = 20\n");
  CHECK(store.find("/w/main.kcl")->version == 2);
  REQUIRE(store.change("/w/main.kcl", 3, {TextChange{true, {}, {}, "z = 3\n"}},
                       PositionEncoding::Utf16));
  CHECK(store.find("/w/main.kcl")->text == "z = 3\n");
  CHECK_FALSE(store.change("/w/other.kcl", 1, changes, PositionEncoding::Utf16));
  store.close("/w/main.kcl");
  CHECK(store.find("/w/main.kcl") == nullptr);
}

TEST_CASE("lsp overlay file system: open documents shadow and extend the disk") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "kc-lsp-overlay-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  { std::ofstream(dir / "a.kcl") << "x = 1\n"; }
  DocumentStore store;
  OverlayFileSystem overlay(store);
  std::string a = (dir / "a.kcl").string();
  std::string b = (dir / "b.kcl").string();
  CHECK(overlay.read(a) == "x = 1\n");
  CHECK(overlay.kcl_files(dir.string()) == std::vector<std::string>{a});
  store.open({a, "", 1, "x = 2\n"});
  store.open({b, "", 1, "y = 1\n"});  // new, unsaved
  CHECK(overlay.read(a) == "x = 2\n");
  CHECK(overlay.is_file(b));
  CHECK(overlay.kcl_files(dir.string()) == std::vector<std::string>{a, b});
  fs::remove_all(dir);
}
