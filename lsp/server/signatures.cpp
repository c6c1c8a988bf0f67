// Function signatures for signature help, and finding the open call in unparsed text.
#include "lsp/server/signatures.h"

#include <algorithm>

#include "lsp/server/text_names.h"

namespace kc::lsp {

std::optional<SignatureInfo> function_signature(const sema::CheckedProgram& checked,
                                                const source::SourceManager& sources,
                                                uint32_t module, const sema::Symbol& fn) {
  if (fn.kind != sema::SymbolKind::Fn) return std::nullopt;
  const sema::SourceModule& source = checked.source(module);
  if (fn.file >= source.files.size()) return std::nullopt;
  const ast::File& file = *source.files[fn.file];
  const auto* decl = std::get_if<ast::Fn>(&file.decls[fn.decl].node);
  if (decl == nullptr) return std::nullopt;
  const auto& signatures = checked.modules[module].functions;
  auto typed = signatures.find(static_cast<uint32_t>(&fn - &checked.modules[module].symbols[0]));

  SignatureInfo info;
  info.label = "fn " + fn.name + "(";
  for (size_t p = 0; p < decl->params.size(); ++p) {
    const ast::FnParam& param = decl->params[p];
    if (p > 0) info.label += ", ";
    auto begin = static_cast<uint32_t>(info.label.size());
    info.label += param.name.text;
    if (typed != signatures.end() && p < typed->second.params.size()) {
      info.label += ": " + checked.types.to_string(typed->second.params[p]);
    }
    if (param.default_value) {
      info.label += " = " + std::string(sources.text(file.expr(*param.default_value).span));
    }
    info.parameters.emplace_back(begin, static_cast<uint32_t>(info.label.size()));
  }
  info.label += ")";
  if (typed != signatures.end())
    info.label += " -> " + checked.types.to_string(typed->second.result);
  info.doc = file.decls[fn.decl].doc;
  return info;
}

std::optional<SignatureInfo> signature_in_text(const sema::CheckedProgram& checked,
                                               const source::SourceManager& sources,
                                               std::string_view text, uint32_t offset) {
  std::vector<OpenBracket> open = open_brackets(text, offset);
  if (open.empty() || open.back().bracket != '(') return std::nullopt;
  uint32_t callee_end = open.back().at;
  while (callee_end > 0 && (text[callee_end - 1] == ' ' || text[callee_end - 1] == '\t'))
    --callee_end;
  uint32_t callee_begin = 0;
  std::vector<std::string> callee = dotted_name_before(text, callee_end, &callee_begin);
  std::optional<DeclaredName> fn = declared_name(checked, checked.program->root, callee);
  if (!fn) return std::nullopt;
  std::optional<SignatureInfo> info = function_signature(checked, sources, fn->module, *fn->symbol);
  if (!info) return std::nullopt;
  info->active = open.back().commas;
  if (!info->parameters.empty()) {
    info->active =
        std::min<uint32_t>(info->active, static_cast<uint32_t>(info->parameters.size()) - 1);
  }
  return info;
}

}  // namespace kc::lsp
