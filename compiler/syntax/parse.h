// The parser's one entry point: text in, ast::File and syntax diagnostics (E01xx) out. The only
// user of ANTLR; a file with errors still yields a tree (with Error nodes) for later phases.
#pragma once

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"
#include "compiler/syntax/ast.h"

namespace kc::syntax {

struct ParseResult {
  ast::File file;
  diag::Diagnostics diagnostics;
};

ParseResult parse(const source::SourceManager& sources, source::FileId file);

// Renders a tree as indented text (`kc check --dump=ast`, golden tests).
std::string dump(const ast::File& file, const source::SourceManager& sources);

// The version of the ANTLR runtime the parser is linked with (`kc version`).
std::string parser_runtime_version();

}  // namespace kc::syntax
