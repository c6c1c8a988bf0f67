// Offsets of an older analysis carried through the one changed region of each file.
#include "lsp/server/stale_analysis.h"

#include <algorithm>

namespace kc::lsp {

TextShift::TextShift(std::string_view old_text, std::string_view new_text) {
  size_t limit = std::min(old_text.size(), new_text.size());
  size_t prefix = 0;
  while (prefix < limit && old_text[prefix] == new_text[prefix])
    ++prefix;
  size_t suffix = 0;
  while (suffix < limit - prefix &&
         old_text[old_text.size() - 1 - suffix] == new_text[new_text.size() - 1 - suffix])
    ++suffix;
  begin_ = static_cast<uint32_t>(prefix);
  old_end_ = static_cast<uint32_t>(old_text.size() - suffix);
  new_end_ = static_cast<uint32_t>(new_text.size() - suffix);
}

std::optional<uint32_t> TextShift::to_old(uint32_t offset) const {
  if (unchanged() || offset < begin_) return offset;
  // A cursor just after a name counts as on it, so the changed region's end is part of it.
  if (offset > new_end_) return offset - new_end_ + old_end_;
  return std::nullopt;
}

std::optional<source::Span> TextShift::to_new(source::Span span) const {
  // Text that ends where the change begins, or begins where it ends, is unchanged.
  if (span.end <= begin_) return span;
  if (span.begin >= old_end_) {
    span.begin = span.begin - old_end_ + new_end_;
    span.end = span.end - old_end_ + new_end_;
    return span;
  }
  return std::nullopt;
}

StaleAnalysis::StaleAnalysis(const Analysis& analysis, TextSource current_text)
    : analysis_(analysis), current_text_(std::move(current_text)) {}

StaleAnalysis::FileNow& StaleAnalysis::file_now(source::FileId file) {
  auto it = files_.find(file);
  if (it != files_.end()) return it->second;
  FileNow now;
  const source::SourceManager& sources = analysis_.compilation->sources();
  if (file < analysis_.paths.size() && file < sources.size()) {
    now.text = current_text_(analysis_.paths[file]);
    if (now.text) now.shift.emplace(sources.file(file).text(), *now.text);
  }
  return files_.emplace(file, std::move(now)).first->second;
}

std::optional<uint32_t> StaleAnalysis::to_old(source::FileId file, uint32_t offset) {
  FileNow& now = file_now(file);
  return now.shift ? now.shift->to_old(offset) : std::nullopt;
}

std::optional<source::Span> StaleAnalysis::to_current(source::Span span) {
  if (!span.valid()) return std::nullopt;
  FileNow& now = file_now(span.file);
  return now.shift ? now.shift->to_new(span) : std::nullopt;
}

std::string_view StaleAnalysis::current_text(source::FileId file) {
  FileNow& now = file_now(file);
  return now.text ? std::string_view(*now.text) : std::string_view();
}

}  // namespace kc::lsp
