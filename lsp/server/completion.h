// Completion: what may be written at the cursor, worked out from the text before it (so that it
// works while the line is unfinished and the module does not parse) and from the last analysis of
// the module that checked: members after `name.`, fields inside `Schema { ... }`, enum members
// after `field =` where an enum is expected, resource types after `resource`, resource attributes
// inside a resource body, module paths inside `import "..."`, and otherwise the names in scope,
// keywords and declaration snippets (with schema instances and their required fields when the
// client takes snippets).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/driver/file_system.h"
#include "lsp/server/analysis.h"
#include "providers/sdk/schema.h"

namespace kc::lsp {

struct CompletionItem {
  CompletionItem() = default;
  CompletionItem(std::string label_, int kind_, std::string detail_, std::string doc_ = "",
                 std::string insert_ = "", bool snippet_ = false)
      : label(std::move(label_)),
        kind(kind_),
        detail(std::move(detail_)),
        doc(std::move(doc_)),
        insert(std::move(insert_)),
        snippet(snippet_) {}

  std::string label;
  int kind = 6;        // LSP CompletionItemKind (6 Variable)
  std::string detail;  // a type, or what the item is
  std::string doc;     // markdown
  std::string insert;  // a snippet when `snippet`, else plain text; empty: the label
  bool snippet = false;
  std::string filter;  // what the client matches the typed text against; empty: the label
  // Set: the item replaces the text from this byte offset to the cursor (a `textEdit`), for items
  // whose text is not one identifier (import paths).
  std::optional<uint32_t> replace_begin;
};

struct CompletionContext {
  std::string_view text;  // the document as the editor has it
  uint32_t offset = 0;    // the cursor
  // The module's last analysis that checked (the current text may not); null when there was none.
  const Analysis* analysis = nullptr;
  const sdk::SchemaSource* schemas = nullptr;
  // For import paths: the document's absolute path, the files as the editor has them (null: no
  // import paths) and the directories holding `std/...`.
  std::string path;
  const driver::FileSystem* fs = nullptr;
  const std::vector<std::string>* stdlib_dirs = nullptr;
  bool snippets = false;  // the client expands snippets with placeholders (`${1:x}`)
};

std::vector<CompletionItem> complete(const CompletionContext& context);

}  // namespace kc::lsp
