// The parser's one entry point: text in, ast::File and syntax diagnostics (E01xx) out. The only
// user of ANTLR; a file with errors still yields a tree (with Error nodes) for later phases.
#pragma once

#include <string>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"
#include "compiler/syntax/ast.h"

namespace kc::syntax {

// Brackets (`(`, `[`, `{`, `${`) may nest this deep, and so may the nodes of the tree (operands,
// members, bodies, types); deeper input is reported (E0101 "nesting deeper than 256 levels"), not
// parsed, so neither the parser nor the recursive phases after it can run out of stack.
inline constexpr int kMaxNesting = 256;

struct ParseResult {
  ast::File file;
  diag::Diagnostics diagnostics;
};

struct ParseOptions {
  // Predict with ANTLR's full-context LL instead of SLL. The grammar is built so that both give
  // the same tree (parse_test checks it); LL is only slower.
  bool full_ll = false;
};

ParseResult parse(const source::SourceManager& sources, source::FileId file,
                  const ParseOptions& options = {});

struct DumpOptions {
  // `@line:column` after each node. Off, two files that differ only in layout dump the same (the
  // formatter's safety check).
  bool positions = true;
};

// Renders a tree as indented text, one node per line, with every field of the AST (names, values,
// docs, annotations): `kc check --dump=ast`, golden tests, and the formatter's safety check.
std::string dump(const ast::File& file, const source::SourceManager& sources,
                 const DumpOptions& options = {});

// The version of the ANTLR runtime the parser is linked with (`kc version`).
std::string parser_runtime_version();

}  // namespace kc::syntax
