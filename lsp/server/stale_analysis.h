// Answering from an analysis of older text: while a module has syntax errors it does not check, and
// requests are answered from its last analysis that checked. That analysis's offsets are in the
// text it compiled; StaleAnalysis carries them to the current text and back. Each file's text then
// and now differ in one region (between their common prefix and common suffix); offsets outside it
// move by the region's change in length, offsets in it have no counterpart and map to nothing, so
// an answer is either at the right place in the current text or absent — never misplaced.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/source/source.h"
#include "lsp/server/analysis.h"

namespace kc::lsp {

// How one file's text changed: [begin, old_end) of the old text became [begin, new_end) of the new.
class TextShift {
 public:
  TextShift(std::string_view old_text, std::string_view new_text);
  // The old offset of a cursor at `offset` in the new text; nullopt inside the changed region
  // (its edges included, unless nothing changed).
  std::optional<uint32_t> to_old(uint32_t offset) const;
  // The new span of an old one; nullopt when it overlaps the changed region.
  std::optional<source::Span> to_new(source::Span span) const;
  bool unchanged() const { return old_end_ == begin_ && new_end_ == begin_; }

 private:
  uint32_t begin_ = 0, old_end_ = 0, new_end_ = 0;
};

class StaleAnalysis {
 public:
  // `current_text` gives a file's text now (open document or disk) by absolute path, nullopt when
  // it is gone.
  using TextSource = std::function<std::optional<std::string>(const std::string& path)>;
  StaleAnalysis(const Analysis& analysis, TextSource current_text);

  // A cursor in the current text of the analysis's file `file` → offset in the analysis's text.
  std::optional<uint32_t> to_old(source::FileId file, uint32_t offset);
  // A span of the analysis → the same text in the current text of its file.
  std::optional<source::Span> to_current(source::Span span);
  // The current text of the analysis's file `file` (empty when it is gone).
  std::string_view current_text(source::FileId file);

 private:
  struct FileNow {
    std::optional<std::string> text;
    std::optional<TextShift> shift;  // none when the file is gone
  };
  FileNow& file_now(source::FileId file);

  const Analysis& analysis_;
  TextSource current_text_;
  std::map<source::FileId, FileNow> files_;
};

}  // namespace kc::lsp
