// Semantic tokens: every token of a document classified for highlighting — keywords, literals,
// comments and operators from the lexer; names by what the checker resolved them to (a type, a
// function, a parameter, a field, an enum member ...) when the module checks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lsp/server/analysis.h"
#include "lsp/server/navigation.h"
#include "lsp/server/positions.h"

namespace kc::lsp {

// The legend, in the order the token type numbers count.
const std::vector<std::string>& semantic_token_types();
const std::vector<std::string>& semantic_token_modifiers();

// The LSP `data` array (five numbers per token, positions relative to the previous token) for
// `text`. `checked` is the document's file in an analysis of this very text, or nullopt (names
// are then all variables). Tokens that span lines are left out.
std::vector<uint32_t> semantic_tokens(std::string_view text, const Analysis* analysis,
                                      std::optional<FileRef> checked, PositionEncoding encoding);

}  // namespace kc::lsp
