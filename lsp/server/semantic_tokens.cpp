// Lexer tokens plus the checker's name resolutions -> LSP semantic tokens.
#include "lsp/server/semantic_tokens.h"

#include <map>

#include "compiler/syntax/lexer.h"

namespace kc::lsp {
namespace {

enum TokenType : uint32_t {
  kNamespace,
  kType,
  kEnum,
  kEnumMember,
  kFunction,
  kParameter,
  kVariable,
  kProperty,
  kKeyword,
  kString,
  kNumber,
  kComment,
  kOperator,
};
constexpr uint32_t kDeclaration = 1u << 0;
constexpr uint32_t kReadonly = 1u << 1;
constexpr uint32_t kDefaultLibrary = 1u << 2;

struct Class {
  uint32_t type = kVariable;
  uint32_t modifiers = 0;
};

std::optional<uint32_t> lexical_type(syntax::TokenKind kind) {
  using K = syntax::TokenKind;
  switch (kind) {
    case K::IMPORT:
    case K::AS:
    case K::LET:
    case K::PARAM:
    case K::TYPE:
    case K::ENUM:
    case K::SCHEMA:
    case K::EXTENDS:
    case K::FN:
    case K::RESOURCE:
    case K::PROVIDER:
    case K::BACKEND:
    case K::OUTPUT:
    case K::CHECK:
    case K::FOR:
    case K::IN:
    case K::IF:
    case K::THEN:
    case K::ELSE:
    case K::TRUE_KW:
    case K::FALSE_KW:
    case K::NULL_KW:
    case K::SELF:
    case K::WITH:
      return kKeyword;
    case K::INT:
    case K::FLOAT:
    case K::DURATION:
    case K::SIZE:
    case K::PERCENT:
    case K::VERSION:
    case K::IPV4:
    case K::CIDR:
      return kNumber;
    case K::STRING:
    case K::STRING_OPEN:
    case K::STRING_MIDDLE:
    case K::STRING_CLOSE:
      return kString;
    case K::PLUS:
    case K::MINUS:
    case K::STAR:
    case K::SLASH:
    case K::PERCENT_SIGN:
    case K::BANG:
    case K::EQ:
    case K::NE:
    case K::LT:
    case K::LE:
    case K::GT:
    case K::GE:
    case K::AND:
    case K::OR:
    case K::COALESCE:
    case K::ARROW:
    case K::FAT_ARROW:
      return kOperator;
    case K::IDENT:
      return kVariable;
    default:
      return std::nullopt;
  }
}

Class symbol_class(sema::SymbolKind kind) {
  switch (kind) {
    case sema::SymbolKind::Import:
      return {kNamespace, 0};
    case sema::SymbolKind::Param:
      return {kParameter, kReadonly};
    case sema::SymbolKind::Fn:
      return {kFunction, 0};
    case sema::SymbolKind::Type:
    case sema::SymbolKind::Schema:
      return {kType, 0};
    case sema::SymbolKind::Enum:
      return {kEnum, 0};
    default:
      return {kVariable, kReadonly};
  }
}

// Classes of names by the byte offset where they start, from the checker's output.
std::map<uint32_t, Class> name_classes(const Analysis& analysis, const FileRef& at) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  std::map<uint32_t, Class> classes;
  const sema::CheckedModule& module = checked.modules[at.module];
  for (const sema::Symbol& symbol : module.symbols) {
    if (symbol.file != at.file) continue;
    Class c = symbol_class(symbol.kind);
    c.modifiers |= kDeclaration;
    classes[symbol.span.begin] = c;
  }
  for (const auto& [index, schema] : module.schemas) {
    for (const sema::FieldInfo& field : schema.fields) {
      if (field.span.file == at.ast->file) classes[field.span.begin] = {kProperty, kDeclaration};
    }
  }
  for (const ast::TypeExpr& type : at.ast->types) {
    if (type.kind == ast::TypeExpr::Kind::Named || type.kind == ast::TypeExpr::Kind::Range) {
      if (type.name.module) classes[type.name.module->span.begin] = {kNamespace, 0};
      classes[type.name.name.span.begin] = {kType, 0};
    }
  }
  if (at.file < module.names.size()) {
    for (const auto& [index, target] : module.names[at.file]) {
      const ast::Expr& expr = at.ast->exprs[index];
      const auto* member = std::get_if<ast::Member>(&expr.node);
      uint32_t begin = member ? member->member.span.begin : expr.span.begin;
      Class c;
      if (target.symbol >= 0) {
        const sema::CheckedModule& owner = checked.modules[target.module];
        c = symbol_class(owner.symbols[static_cast<size_t>(target.symbol)].kind);
        if (checked.source(target.module).name.rfind("std/", 0) == 0)
          c.modifiers |= kDefaultLibrary;
      } else if (target.symbol == sema::kLocalName) {
        c = {kParameter, kReadonly};
      } else if (target.symbol == sema::kInstanceName) {
        c = {kProperty, 0};
      } else if (target.symbol == sema::kEnumMember) {
        c = {kEnumMember, kReadonly};
      } else {
        continue;
      }
      classes[begin] = c;
    }
  }
  for (const ast::Decl& decl : at.ast->decls) {
    if (const auto* node = std::get_if<ast::Enum>(&decl.node)) {
      for (const ast::EnumMember& member : node->members)
        classes[member.name.span.begin] = {kEnumMember, kDeclaration | kReadonly};
    } else if (const auto* schema = std::get_if<ast::Schema>(&decl.node)) {
      for (const ast::SchemaItem& item : schema->items) {
        if (const auto* let = std::get_if<ast::Let>(&item.node))
          classes[let->name.span.begin] = {kProperty, kDeclaration | kReadonly};
      }
    }
  }
  // Names in types, instance heads, `extends`, static paths, instance keys and the like.
  if (at.file < module.uses.size()) {
    for (const auto& [begin, use] : module.uses[at.file]) {
      Class c;
      switch (use.kind) {
        case sema::NameUse::Kind::Symbol:
          c = symbol_class(checked.modules[use.module].symbols[use.symbol].kind);
          if (checked.source(use.module).name.rfind("std/", 0) == 0) c.modifiers |= kDefaultLibrary;
          break;
        case sema::NameUse::Kind::Field:
        case sema::NameUse::Kind::Attribute:
          c = {kProperty, 0};
          break;
        case sema::NameUse::Kind::EnumMember:
          c = {kEnumMember, kReadonly};
          break;
        case sema::NameUse::Kind::Resource:
          continue;  // `provider.kind`: two tokens, classed below
      }
      classes[begin] = c;
    }
  }
  for (const ast::Expr& expr : at.ast->exprs) {
    const auto* member = std::get_if<ast::Member>(&expr.node);
    if (member != nullptr) classes.emplace(member->member.span.begin, Class{kProperty, 0});
    if (const auto* resource = std::get_if<ast::ResourceExpr>(&expr.node)) {
      classes[resource->provider.span.begin] = {kNamespace, 0};
      classes[resource->kind.span.begin] = {kType, 0};
    }
  }
  return classes;
}

}  // namespace

const std::vector<std::string>& semantic_token_types() {
  static const std::vector<std::string> kTypes = {
      "namespace", "type",    "enum",   "enumMember", "function", "parameter", "variable",
      "property",  "keyword", "string", "number",     "comment",  "operator"};
  return kTypes;
}

const std::vector<std::string>& semantic_token_modifiers() {
  static const std::vector<std::string> kModifiers = {"declaration", "readonly", "defaultLibrary"};
  return kModifiers;
}

std::vector<uint32_t> semantic_tokens(std::string_view text, const Analysis* analysis,
                                      std::optional<FileRef> checked, PositionEncoding encoding) {
  diag::Diagnostics scratch;
  syntax::LexResult lexed = syntax::lex(text, source::kNoFile, scratch);
  std::map<uint32_t, Class> names;
  if (analysis != nullptr && checked) names = name_classes(*analysis, *checked);

  // (begin, end, class) in source order: tokens and comments interleaved.
  std::map<uint32_t, std::pair<uint32_t, Class>> spans;
  for (const syntax::Token& token : lexed.tokens) {
    std::optional<uint32_t> type = lexical_type(token.kind);
    if (!type || token.end <= token.begin) continue;
    Class c{*type, 0};
    if (token.kind == syntax::TokenKind::IDENT) {
      auto it = names.find(token.begin);
      if (it != names.end()) c = it->second;
    }
    spans[token.begin] = {token.end, c};
  }
  for (const ast::Comment& comment : lexed.comments)
    spans[comment.span.begin] = {comment.span.end, Class{kComment, 0}};

  LineIndex index(text);
  std::vector<uint32_t> data;
  Position previous{0, 0};
  for (const auto& [begin, rest] : spans) {
    const auto& [end, c] = rest;
    Position start = index.position(begin, encoding);
    Position stop = index.position(end, encoding);
    if (stop.line != start.line) continue;  // multi-line tokens are not split
    uint32_t delta_line = start.line - previous.line;
    uint32_t delta_start = delta_line == 0 ? start.character - previous.character : start.character;
    data.insert(data.end(),
                {delta_line, delta_start, stop.character - start.character, c.type, c.modifiers});
    previous = start;
  }
  return data;
}

}  // namespace kc::lsp
