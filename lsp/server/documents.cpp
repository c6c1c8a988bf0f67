// Applying text edits to open documents.
#include "lsp/server/documents.h"

#include <algorithm>

namespace kc::lsp {

void DocumentStore::open(Document document) {
  std::string path = document.path;
  documents_[path] = std::move(document);
}

bool DocumentStore::change(const std::string& path, int64_t version,
                           const std::vector<TextChange>& changes, PositionEncoding encoding) {
  auto it = documents_.find(path);
  if (it == documents_.end()) return false;
  Document& document = it->second;
  for (const TextChange& change : changes) {
    if (change.whole) {
      document.text = change.text;
      continue;
    }
    LineIndex index(document.text);
    uint32_t begin = index.offset(change.start, encoding);
    uint32_t end = index.offset(change.end, encoding);
    if (end < begin) std::swap(begin, end);
    document.text.replace(begin, end - begin, change.text);
  }
  document.version = version;
  return true;
}

void DocumentStore::close(const std::string& path) {
  documents_.erase(path);
}

const Document* DocumentStore::find(const std::string& path) const {
  auto it = documents_.find(path);
  return it == documents_.end() ? nullptr : &it->second;
}

}  // namespace kc::lsp
