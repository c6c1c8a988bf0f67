// ParseCache: parsed files kept from one compilation for the next. The language server compiles a
// module again after every edit, and only the edited file's text differs; a Compilation given a
// cache parses a file only when the cache has no parse of that exact file.
//
// Spans carry FileIds, and a compilation numbers its files in load order (the root module's files,
// then its imports depth-first, then the prelude). An entry is therefore keyed by the file's
// canonical path *and* the FileId it was parsed as, and reused only when the display path and the
// text are also the same: then every span of the cached tree and of its syntax diagnostics points
// into the same file of the new compilation's SourceManager. An edit that changes the set or order
// of the files loaded before a file (a new import, a new file) gives it another FileId, and it is
// parsed again once. Not thread-safe: one compilation at a time.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"
#include "compiler/syntax/ast.h"

namespace kc::driver {

// One file's parse: the tree (shared by every compilation that uses it; never modified) and the
// parser's diagnostics.
struct ParsedFile {
  std::shared_ptr<const ast::File> file;
  diag::Diagnostics diagnostics;
};

class ParseCache {
 public:
  // The parse of `text` read from `key` (a canonical path) and loaded as `id` under
  // `display_path`; null when the cache has none.
  const ParsedFile* find(const std::string& key, source::FileId id, std::string_view display_path,
                         std::string_view text);
  // Keeps `parsed`, replacing what was kept for (`key`, `id`).
  void store(const std::string& key, source::FileId id, std::string display_path, std::string text,
             ParsedFile parsed);

  // Lookups answered from the cache and lookups that had to parse, since construction.
  size_t hits() const { return hits_; }
  size_t misses() const { return misses_; }
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string display_path;
    std::string text;
    ParsedFile parsed;
  };
  std::map<std::pair<std::string, source::FileId>, Entry> entries_;
  size_t hits_ = 0;
  size_t misses_ = 0;
};

}  // namespace kc::driver
