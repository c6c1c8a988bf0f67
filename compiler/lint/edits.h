// Spans for fixes that delete source: whole lines when the deleted text stands alone on them, so a
// removed import or comment leaves no blank or dangling line behind.
#pragma once

#include "compiler/source/source.h"

namespace kc::lint {

// `span` grown to cover its whole lines and the line break after them, when nothing but blanks
// (and, with `with_comment`, a trailing comment) shares those lines; otherwise `span` itself.
source::Span deletion_span(const source::SourceFile& file, source::Span span, bool with_comment);

// A trailing comment together with the blanks that separate it from the code before it.
source::Span trailing_comment_span(const source::SourceFile& file, source::Span comment);

}  // namespace kc::lint
