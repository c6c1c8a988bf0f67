// The documents the editor has open: their text as the editor has it (unsaved edits included),
// kept up to date from didOpen / didChange (full or incremental) / didClose.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lsp/server/positions.h"

namespace kc::lsp {

struct Document {
  std::string path;  // absolute, from the URI
  std::string uri;
  int64_t version = 0;
  std::string text;
};

// One entry of didChange's contentChanges: a whole new text, or a replacement of `range`.
struct TextChange {
  bool whole = true;
  Position start, end;  // when !whole
  std::string text;
};

class DocumentStore {
 public:
  void open(Document document);
  // Applies `changes` in order (each range is in the text the previous change left). False when the
  // document is not open; the text is then untouched.
  bool change(const std::string& path, int64_t version, const std::vector<TextChange>& changes,
              PositionEncoding encoding);
  void close(const std::string& path);

  const Document* find(const std::string& path) const;
  const std::map<std::string, Document>& all() const { return documents_; }  // by path

 private:
  std::map<std::string, Document> documents_;
};

}  // namespace kc::lsp
