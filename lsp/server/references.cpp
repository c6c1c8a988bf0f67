// Collecting the uses of a module-level symbol from the checker's name targets.
#include "lsp/server/references.h"

#include <algorithm>

#include "compiler/syntax/lexer.h"

namespace kc::lsp {
namespace {

bool holds(source::Span span, uint32_t offset) {
  return span.valid() && span.begin <= offset && offset <= span.end;
}

// The symbol an import-qualified member (`net.default_zone`) reaches, if `member`'s object names an
// import.
std::optional<SymbolId> imported(const sema::CheckedProgram& checked, uint32_t module,
                                 uint32_t file, const ast::Member& member) {
  const auto& names = checked.modules[module].names;
  if (file >= names.size()) return std::nullopt;
  auto it = names[file].find(member.object.index);
  if (it == names[file].end() || it->second.symbol < 0) return std::nullopt;
  const sema::Symbol& import =
      checked.modules[it->second.module].symbols[static_cast<size_t>(it->second.symbol)];
  if (import.kind != sema::SymbolKind::Import || import.module < 0) return std::nullopt;
  const sema::CheckedModule& target = checked.modules[static_cast<size_t>(import.module)];
  auto found = target.by_name.find(member.member.text);
  if (found == target.by_name.end()) return std::nullopt;
  return SymbolId{static_cast<uint32_t>(import.module), found->second};
}

// The part of a resolved expression that spells the name: the member of `a.b`, else all of it.
source::Span name_span(const ast::Expr& expr) {
  if (const auto* member = std::get_if<ast::Member>(&expr.node)) return member->member.span;
  return expr.span;
}

}  // namespace

std::optional<SymbolAt> symbol_at(const Analysis& analysis, const FileRef& at, uint32_t offset) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  // The declaration's own name.
  const sema::CheckedModule& module = checked.modules[at.module];
  for (uint32_t s = 0; s < module.symbols.size(); ++s) {
    const sema::Symbol& symbol = module.symbols[s];
    if (symbol.file == at.file && holds(symbol.span, offset)) {
      return SymbolAt{{at.module, s}, symbol.span};
    }
  }
  ast::ExprId id = expr_at(*at.ast, offset);
  if (!id.valid()) return std::nullopt;
  const ast::Expr& expr = at.ast->expr(id);
  const auto* member = std::get_if<ast::Member>(&expr.node);
  if (member != nullptr && !holds(member->member.span, offset)) return std::nullopt;
  // A name, or a call's callee (`net.host(...)`), the checker resolved.
  if (at.file < module.names.size()) {
    auto it = module.names[at.file].find(id.index);
    if (it != module.names[at.file].end() && it->second.symbol >= 0) {
      return SymbolAt{{it->second.module, static_cast<uint32_t>(it->second.symbol)},
                      name_span(expr)};
    }
  }
  if (member != nullptr) {
    if (std::optional<SymbolId> target = imported(checked, at.module, at.file, *member)) {
      return SymbolAt{*target, member->member.span};
    }
  }
  return std::nullopt;
}

std::vector<source::Span> references(const Analysis& analysis, SymbolId id,
                                     bool include_declaration) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  std::vector<source::Span> spans;
  for (uint32_t m = 0; m < checked.modules.size(); ++m) {
    const sema::CheckedModule& module = checked.modules[m];
    const auto& files = checked.source(m).files;
    for (uint32_t f = 0; f < files.size() && f < module.names.size(); ++f) {
      const ast::File& file = *files[f];
      for (const auto& [expr, target] : module.names[f]) {
        if (target.module == id.module && target.symbol == static_cast<int32_t>(id.symbol)) {
          spans.push_back(name_span(file.exprs[expr]));
        }
      }
      for (const ast::Expr& expr : file.exprs) {
        const auto* member = std::get_if<ast::Member>(&expr.node);
        if (member == nullptr) continue;
        if (imported(checked, m, f, *member) == id) spans.push_back(member->member.span);
      }
    }
  }
  std::sort(spans.begin(), spans.end(), [](const source::Span& a, const source::Span& b) {
    return std::tie(a.file, a.begin) < std::tie(b.file, b.begin);
  });
  spans.erase(std::unique(spans.begin(), spans.end()), spans.end());
  if (include_declaration) {
    spans.insert(spans.begin(), checked.modules[id.module].symbols[id.symbol].span);
  }
  return spans;
}

bool is_identifier(std::string_view name) {
  diag::Diagnostics scratch;
  syntax::LexResult lexed = syntax::lex(name, source::kNoFile, scratch);
  return !scratch.has_errors() && lexed.tokens.size() == 2 &&
         lexed.tokens[0].kind == syntax::TokenKind::IDENT && lexed.tokens[0].begin == 0 &&
         lexed.tokens[0].end == name.size();
}

const std::string& symbol_name(const Analysis& analysis, SymbolId id) {
  return analysis.compilation->checked()->modules[id.module].symbols[id.symbol].name;
}

}  // namespace kc::lsp
