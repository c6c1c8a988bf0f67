// Completion: what may be written at the cursor, worked out from the text before it (so that it
// works while the line is unfinished and the module does not parse) and from the last analysis of
// the module that checked: members after `name.`, fields inside `Schema { ... }`, enum members
// after `field =` where an enum is expected, resource types after `resource`, resource attributes
// inside a resource body, and otherwise the names in scope, keywords and declaration snippets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lsp/server/analysis.h"
#include "providers/sdk/schema.h"

namespace kc::lsp {

struct CompletionItem {
  std::string label;
  int kind = 6;        // LSP CompletionItemKind (6 Variable)
  std::string detail;  // a type, or what the item is
  std::string doc;     // markdown
  std::string insert;  // a snippet when `snippet`, else plain text; empty: the label
  bool snippet = false;
};

struct CompletionContext {
  std::string_view text;  // the document as the editor has it
  uint32_t offset = 0;    // the cursor
  // The module's last analysis that checked (the current text may not); null when there was none.
  const Analysis* analysis = nullptr;
  const sdk::SchemaSource* schemas = nullptr;
};

std::vector<CompletionItem> complete(const CompletionContext& context);

}  // namespace kc::lsp
