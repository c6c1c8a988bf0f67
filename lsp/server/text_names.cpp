// Dotted names in unparsed text, and the declarations they name.
#include "lsp/server/text_names.h"

#include <algorithm>
#include <cctype>

namespace kc::lsp {
namespace {

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

}  // namespace

std::vector<std::string> dotted_name_before(std::string_view text, uint32_t end, uint32_t* begin) {
  std::vector<std::string> parts;
  uint32_t at = end;
  while (true) {
    uint32_t b = at;
    while (b > 0 && ident_char(text[b - 1]))
      --b;
    if (b == at || std::isdigit(static_cast<unsigned char>(text[b])) != 0) break;
    parts.insert(parts.begin(), std::string(text.substr(b, at - b)));
    *begin = b;
    if (b == 0 || text[b - 1] != '.') break;
    at = b - 1;
  }
  return parts;
}

std::vector<OpenBracket> open_brackets(std::string_view text, uint32_t offset) {
  std::vector<OpenBracket> open;
  bool in_string = false;
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text.size()));
  for (uint32_t i = 0; i < offset; ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"' || c == '\n')
        in_string = false;
      continue;
    }
    if (c == '#') {
      while (i < offset && text[i] != '\n')
        ++i;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '(' || c == '[' || c == '{') {
      open.push_back({c, i, 0});
    } else if ((c == ')' || c == ']' || c == '}') && !open.empty()) {
      open.pop_back();
    } else if (c == ',' && !open.empty()) {
      ++open.back().commas;
    }
  }
  return open;
}

bool mentions_identifier(std::string_view text, std::string_view name) {
  if (name.empty()) return false;
  for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
    bool starts = at == 0 || !ident_char(text[at - 1]);
    bool ends = at + name.size() == text.size() || !ident_char(text[at + name.size()]);
    if (starts && ends) return true;
  }
  return false;
}

bool public_symbol(const sema::Symbol& symbol) {
  return sema::public_kind(symbol.kind);
}

std::optional<DeclaredName> declared_name(const sema::CheckedProgram& checked, uint32_t module,
                                          const std::vector<std::string>& parts) {
  if (parts.empty() || module >= checked.modules.size()) return std::nullopt;
  DeclaredName found{module, checked.modules[module].find(parts[0])};
  int32_t prelude = checked.program->prelude;
  if (found.symbol == nullptr && prelude >= 0) {
    found.module = static_cast<uint32_t>(prelude);
    found.symbol = checked.modules[found.module].find(parts[0]);
    if (found.symbol != nullptr && !public_symbol(*found.symbol)) found.symbol = nullptr;
  }
  for (size_t i = 1; i < parts.size() && found.symbol != nullptr; ++i) {
    if (found.symbol->kind != sema::SymbolKind::Import || found.symbol->module < 0) {
      return std::nullopt;
    }
    found.module = static_cast<uint32_t>(found.symbol->module);
    found.symbol = checked.modules[found.module].find(parts[i]);
    if (found.symbol != nullptr && !public_symbol(*found.symbol)) found.symbol = nullptr;
  }
  if (found.symbol == nullptr) return std::nullopt;
  return found;
}

}  // namespace kc::lsp
