// Collecting the uses of a module-level symbol from the checker's name targets.
#include "lsp/server/references.h"

#include <algorithm>

#include "compiler/syntax/lexer.h"

namespace kc::lsp {
namespace {

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
  std::optional<TargetAt> found = target_at(analysis, at, offset);
  if (!found || found->target.kind != Target::Kind::Symbol) return std::nullopt;
  return SymbolAt{{found->target.module, found->target.symbol}, found->name};
}

std::vector<source::Span> references(const Analysis& analysis, SymbolId id,
                                     bool include_declaration) {
  return references(analysis, Target{Target::Kind::Symbol, id.module, id.symbol},
                    include_declaration);
}

std::vector<source::Span> references(const Analysis& analysis, const Target& target,
                                     bool include_declaration) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  std::vector<std::pair<uint32_t, uint32_t>> family;
  if (target.kind == Target::Kind::Field) {
    family = field_family(checked, target.module, target.symbol, target.member);
  }
  auto matches = [&](const sema::NameUse& use) {
    if (use.kind != target.kind) return false;
    switch (target.kind) {
      case Target::Kind::Symbol:
        return use.module == target.module && use.symbol == target.symbol;
      case Target::Kind::Field:
        return use.member == target.member &&
               std::find(family.begin(), family.end(), std::pair{use.module, use.symbol}) !=
                   family.end();
      case Target::Kind::EnumMember:
        return use.module == target.module && use.symbol == target.symbol &&
               use.member == target.member;
      case Target::Kind::Attribute:
        return use.resource == target.resource && use.member == target.member;
      case Target::Kind::Resource:
        return use.resource == target.resource;
    }
    return false;
  };
  std::vector<source::Span> spans;
  for (uint32_t m = 0; m < checked.modules.size(); ++m) {
    const sema::CheckedModule& module = checked.modules[m];
    const auto& files = checked.source(m).files;
    for (uint32_t f = 0; f < files.size(); ++f) {
      const ast::File& file = *files[f];
      if (f < module.uses.size()) {
        for (const auto& [begin, use] : module.uses[f]) {
          if (matches(use)) spans.push_back(use.span);
        }
      }
      if (target.kind != Target::Kind::Symbol || f >= module.names.size()) continue;
      SymbolId id{target.module, target.symbol};
      for (const auto& [expr, name] : module.names[f]) {
        if (name.module == id.module && name.symbol == static_cast<int32_t>(id.symbol)) {
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
  std::vector<source::Span> declarations = declarations_of(checked, target);
  std::erase_if(spans, [&](const source::Span& span) {
    return std::find(declarations.begin(), declarations.end(), span) != declarations.end();
  });
  std::sort(spans.begin(), spans.end(), [](const source::Span& a, const source::Span& b) {
    return std::tie(a.file, a.begin) < std::tie(b.file, b.begin);
  });
  spans.erase(std::unique(spans.begin(), spans.end()), spans.end());
  if (include_declaration) spans.insert(spans.begin(), declarations.begin(), declarations.end());
  return spans;
}

Renamable renamable(const Analysis& analysis, const FileRef& at, uint32_t offset) {
  Renamable result;
  std::optional<TargetAt> found = target_at(analysis, at, offset);
  if (!found) {
    result.refusal = "there is no name to rename here";
    return result;
  }
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  const Target& target = found->target;
  auto std_module = [&](uint32_t module) -> const std::string* {
    const std::string& name = checked.source(module).name;
    return name.rfind("std/", 0) == 0 ? &name : nullptr;
  };
  switch (target.kind) {
    case Target::Kind::Symbol: {
      const sema::Symbol& declared = checked.modules[target.module].symbols[target.symbol];
      if (const std::string* module = std_module(target.module)) {
        result.refusal = "`" + declared.name + "` belongs to the standard library (" + *module +
                         ") and cannot be renamed";
        return result;
      }
      if (analysis.compilation->sources().text(declared.span) != declared.name) {
        result.refusal =
            "`" + declared.name + "` is named by its import path; add `as NAME` to rename it";
        return result;
      }
      result.placeholder = declared.name;
      break;
    }
    case Target::Kind::Field:
      for (const auto& [m, s] :
           field_family(checked, target.module, target.symbol, target.member)) {
        if (const std::string* module = std_module(m)) {
          result.refusal = "`" + target.member + "` is a field of `" +
                           checked.modules[m].symbols[s].name +
                           "`, which belongs to the standard "
                           "library (" +
                           *module + "), and cannot be renamed";
          return result;
        }
      }
      result.placeholder = target.member;
      break;
    case Target::Kind::EnumMember:
      if (const std::string* module = std_module(target.module)) {
        result.refusal = "`" + target.member + "` is a member of `" +
                         checked.modules[target.module].symbols[target.symbol].name +
                         "`, which belongs to the standard library (" + *module +
                         "), and cannot be renamed";
        return result;
      }
      result.placeholder = target.member;
      break;
    case Target::Kind::Attribute:
      result.refusal = "`" + target.member + "` is an attribute of `" + target.resource +
                       "`, declared by its provider, and cannot be renamed";
      return result;
    case Target::Kind::Resource:
      result.refusal =
          "`" + target.resource + "` is a resource type of a provider and cannot be renamed";
      return result;
  }
  result.target = found;
  return result;
}

RenameEdits rename_edits(const Analysis& analysis, const Target& target,
                         const std::string& new_name) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  RenameEdits result;
  switch (target.kind) {
    case Target::Kind::Symbol: {
      const sema::CheckedModule& module = checked.modules[target.module];
      auto taken = module.by_name.find(new_name);
      if (taken != module.by_name.end() && taken->second != target.symbol) {
        result.refusal = "`" + new_name + "` is already declared in module `" +
                         checked.source(target.module).name + "`";
        return result;
      }
      break;
    }
    case Target::Kind::Field:
      for (const auto& [m, s] :
           field_family(checked, target.module, target.symbol, target.member)) {
        const sema::SchemaInfo& info = checked.modules[m].schemas.at(s);
        if (new_name != target.member &&
            (info.find_field(new_name) != nullptr || info.find_let(new_name) != nullptr)) {
          result.refusal =
              "`" + info.name + "` already has a field or `let` named `" + new_name + "`";
          return result;
        }
      }
      break;
    case Target::Kind::EnumMember: {
      const sema::EnumInfo& info = checked.modules[target.module].enums.at(target.symbol);
      if (new_name != target.member && info.has(new_name)) {
        result.refusal = "enum `" + info.name + "` already has a member `" + new_name + "`";
        return result;
      }
      break;
    }
    case Target::Kind::Attribute:
    case Target::Kind::Resource:
      result.refusal = "provider schemas cannot be renamed";
      return result;
  }
  for (const source::Span& span : references(analysis, target, true)) {
    std::string_view text = analysis.compilation->sources().text(span);
    bool quoted = !text.empty() && text.front() == '"';
    result.edits.push_back(RenameEdit{span, quoted ? "\"" + new_name + "\"" : new_name});
  }
  return result;
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
