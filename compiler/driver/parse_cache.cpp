// Parsed files by (canonical path, FileId), reused while the text is the same.
#include "compiler/driver/parse_cache.h"

namespace kc::driver {

const ParsedFile* ParseCache::find(const std::string& key, source::FileId id,
                                   std::string_view display_path, std::string_view text) {
  auto it = entries_.find({key, id});
  if (it == entries_.end() || it->second.display_path != display_path || it->second.text != text) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  return &it->second.parsed;
}

void ParseCache::store(const std::string& key, source::FileId id, std::string display_path,
                       std::string text, ParsedFile parsed) {
  entries_[{key, id}] = Entry{std::move(display_path), std::move(text), std::move(parsed)};
}

}  // namespace kc::driver
