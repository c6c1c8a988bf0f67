// Parser benchmark: lexes and parses one file several times and prints, as one JSON object, the
// input size, the median seconds of the lexer alone and of the whole parse (lexer, ANTLR parser,
// AST), the throughput, and the memory the first parse needed at its peak (the rise of the
// process's peak RSS over the RSS before it), per byte of input. bench/parse.py drives it.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/syntax/lexer.h"
#include "compiler/syntax/parse.h"

namespace {

long current_rss_kib() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0;
  long resident = 0;
  statm >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

template <typename F>
double median_seconds(int repeat, F&& run) {
  std::vector<double> times;
  for (int i = 0; i < repeat; ++i) {
    auto start = std::chrono::steady_clock::now();
    run();
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: kc_bench_parse FILE [REPEAT]\n");
    return 2;
  }
  int repeat = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  std::ifstream in(argv[1], std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  kc::source::SourceManager sources;
  kc::source::FileId id = sources.add(argv[1], buffer.str());
  std::string_view text = sources.file(id).text();

  long rss_before = current_rss_kib();
  size_t diagnostics = 0;
  size_t nodes = 0;
  {
    kc::syntax::ParseResult first = kc::syntax::parse(sources, id);
    diagnostics = first.diagnostics.all().size();
    nodes = first.file.exprs.size();
  }
  long peak = peak_rss_kib();

  size_t tokens = 0;
  double lex = median_seconds(repeat, [&] {
    kc::diag::Diagnostics diags;
    tokens = kc::syntax::lex(text, id, diags).tokens.size();
  });
  double parse = median_seconds(repeat, [&] { kc::syntax::parse(sources, id); });
  double mb = static_cast<double>(text.size()) / 1e6;
  std::printf(
      "{\"bytes\": %zu, \"tokens\": %zu, \"expressions\": %zu, \"diagnostics\": %zu, "
      "\"lex_seconds\": %.4f, \"parse_seconds\": %.4f, \"lex_mb_per_s\": %.1f, "
      "\"parse_mb_per_s\": %.1f, \"peak_memory_bytes\": %ld, \"memory_per_input_byte\": %.1f}\n",
      text.size(), tokens, nodes, diagnostics, lex, parse, mb / lex, mb / parse,
      (peak - rss_before) * 1024, static_cast<double>(peak - rss_before) * 1024 / text.size());
  return 0;
}
