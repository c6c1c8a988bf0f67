// The AST builder's interface for the parser (parse.cpp): each parsed declaration goes in as an
// opaque handle, so no ANTLR type appears outside the two .cpp files that share parse trees.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"
#include "compiler/syntax/ast.h"
#include "compiler/syntax/lexer.h"

namespace kc::syntax {

// A grammar::KclParser::DeclContext; opaque here.
struct DeclTree;

// What parse trees point into: the file's text and tokens. A parse-tree token's index in the
// parser's token stream indexes `kept`, which holds its index in `lexed->tokens`.
struct TreeTokens {
  std::string_view text;
  const LexResult* lexed = nullptr;
  const std::vector<uint32_t>* kept = nullptr;  // ends with the END token
};

// Builds ast::File nodes from parse trees (tree_to_ast.cpp). Everything a node needs is in a
// label of its context; parts missing after a syntax error become Error nodes, and declarations
// or items without a name are left out. Chains of left-associative operators are walked with a
// loop, and the tree is built no deeper than kMaxNesting. Errors found while building (a `for`
// item without a body, a record after a call, ...) are E0101, at most one per declaration.
class TreeToAst {
 public:
  TreeToAst(TreeTokens tokens, source::FileId file, ast::File& out, diag::Diagnostics& diags);
  ~TreeToAst();
  TreeToAst(const TreeToAst&) = delete;
  TreeToAst& operator=(const TreeToAst&) = delete;

  // Adds one parsed declaration to the file. `reported`: it already has a diagnostic, so errors
  // found while building it are not reported.
  void declaration(DeclTree* decl, bool reported);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kc::syntax
