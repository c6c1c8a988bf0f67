// The human diagnostic form of CLI.md (rustc style): a header, the source line under a `-->` arrow
// with carets under the primary span, dashes under secondary labels, then notes and help lines.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/diag/render.h"

namespace kc::diag {

namespace {

// ANSI styles; with color off every piece is printed plain.
constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kBoldRed = "\x1b[1;31m";
constexpr std::string_view kBoldYellow = "\x1b[1;33m";
constexpr std::string_view kBoldBlue = "\x1b[1;34m";
constexpr std::string_view kBoldCyan = "\x1b[1;36m";

class Painter {
 public:
  explicit Painter(bool color) : color_(color) {}
  std::string operator()(std::string_view text, std::string_view style) const {
    if (!color_ || text.empty()) return std::string(text);
    return fmt::format("{}{}{}", style, text, kReset);
  }

 private:
  bool color_;
};

std::string_view severity_style(Severity severity) {
  switch (severity) {
    case Severity::Error:
      return kBoldRed;
    case Severity::Warning:
      return kBoldYellow;
    case Severity::Info:
      return kBoldCyan;
  }
  return kBoldRed;
}

bool printable(const source::Span& span, const source::SourceManager& sources) {
  return span.valid() && span.file < sources.size();
}

// Where a span starts, and what to draw under its first line.
struct Snippet {
  source::FileId file = source::kNoFile;
  source::LineCol at;
  std::string_view line;  // the source line, without its terminator
  std::string indent;     // blanks up to the span start, with the line's tabs kept
  uint32_t width = 1;     // code points to underline (at least one)
};

Snippet snippet_of(const source::Span& span, const source::SourceManager& sources) {
  const source::SourceFile& file = sources.file(span.file);
  Snippet out;
  out.file = span.file;
  out.at = file.line_col(span.begin);
  out.line = file.line_text(out.at.line);
  size_t line_start = static_cast<size_t>(out.line.data() - file.text().data());
  size_t begin = std::clamp<size_t>(span.begin, line_start, line_start + out.line.size());
  // A span running past its first line is underlined to the end of that line.
  size_t end = std::clamp<size_t>(span.end, begin, line_start + out.line.size());

  std::string_view prefix = out.line.substr(0, begin - line_start);
  size_t run_start = 0;
  for (size_t i = 0; i <= prefix.size(); ++i) {
    if (i == prefix.size() || prefix[i] == '\t') {
      out.indent.append(source::count_code_points(prefix.substr(run_start, i - run_start)), ' ');
      if (i < prefix.size()) out.indent += '\t';
      run_start = i + 1;
    }
  }
  out.width = std::max<uint32_t>(
      1, source::count_code_points(out.line.substr(begin - line_start, end - begin)));
  return out;
}

size_t digits(uint32_t n) {
  return std::to_string(n).size();
}

class HumanWriter {
 public:
  HumanWriter(const source::SourceManager& sources, bool color, size_t gutter)
      : sources_(sources), paint_(color), gutter_(gutter) {}

  void arrow(const Snippet& s) {
    out_ += fmt::format("{}{} {}:{}:{}\n", std::string(gutter_, ' '), paint_("-->", kBoldBlue),
                        sources_.file(s.file).path(), s.at.line, s.at.column);
    empty_gutter();
  }

  void empty_gutter() { out_ += fmt::format("{}{}\n", blank(), paint_("|", kBoldBlue)); }

  // The numbered source line and the marks under it.
  void excerpt(const Snippet& s, char mark, std::string_view style, std::string_view label) {
    std::string number = fmt::format("{:>{}} |", s.at.line, gutter_);
    out_ += paint_(number, kBoldBlue);
    if (!s.line.empty()) out_ += fmt::format(" {}", s.line);
    out_ += '\n';
    std::string marks(s.width, mark);
    if (!label.empty()) marks += fmt::format(" {}", label);
    out_ +=
        fmt::format("{}{} {}{}\n", blank(), paint_("|", kBoldBlue), s.indent, paint_(marks, style));
  }

  void footer(std::string_view kind, std::string_view text) {
    out_ +=
        fmt::format("{}{} {}: {}\n", blank(), paint_("=", kBoldBlue), paint_(kind, kBold), text);
  }

  void line(std::string text) { out_ += text + '\n'; }
  std::string take() { return std::move(out_); }

 private:
  std::string blank() const { return std::string(gutter_ + 1, ' '); }

  const source::SourceManager& sources_;
  Painter paint_;
  size_t gutter_;
  std::string out_;
};

}  // namespace

std::string render_human(const Diagnostic& diagnostic, const source::SourceManager& sources,
                         bool color) {
  Painter paint(color);
  std::string_view style = severity_style(diagnostic.severity);
  std::string header =
      paint(fmt::format("{}[{}]", severity_name(diagnostic.severity), diagnostic.code_string()),
            style) +
      paint(fmt::format(": {}", diagnostic.message), kBold);

  bool has_primary = printable(diagnostic.span, sources);
  Snippet primary;
  if (has_primary) primary = snippet_of(diagnostic.span, sources);

  // Secondary labels that point somewhere: the primary's file first, then by file and position.
  std::vector<const Label*> shown;
  std::vector<std::string> unplaced;  // labels without a span become notes
  for (const Label& label : diagnostic.secondary) {
    if (has_primary && printable(label.span, sources)) {
      shown.push_back(&label);
    } else if (!label.message.empty()) {
      unplaced.push_back(label.message);
    }
  }
  auto order = [&](const Label* l) {
    return std::make_tuple(l->span.file != primary.file, l->span.file, l->span.begin);
  };
  std::stable_sort(shown.begin(), shown.end(),
                   [&](const Label* a, const Label* b) { return order(a) < order(b); });
  std::vector<Snippet> secondary;
  for (const Label* label : shown)
    secondary.push_back(snippet_of(label->span, sources));

  // The gutter is as wide as the largest line number shown (one column when none is).
  size_t gutter = has_primary ? digits(primary.at.line) : 1;
  for (const Snippet& s : secondary)
    gutter = std::max(gutter, digits(s.at.line));

  HumanWriter writer(sources, color, gutter);
  writer.line(header);
  if (has_primary) {
    writer.arrow(primary);
    writer.excerpt(primary, '^', style, diagnostic.label);
    source::FileId last_file = primary.file;
    for (size_t i = 0; i < secondary.size(); ++i) {
      if (secondary[i].file != last_file) writer.arrow(secondary[i]);
      last_file = secondary[i].file;
      writer.excerpt(secondary[i], '-', kBoldBlue, shown[i]->message);
    }
  }
  for (const std::string& note : diagnostic.notes)
    writer.footer("note", note);
  for (const std::string& note : unplaced)
    writer.footer("note", note);
  for (const Fix& fix : diagnostic.fixes) {
    writer.footer("help", fix.message.empty() ? fmt::format("replace with `{}`", fix.replacement)
                                              : fix.message);
  }
  writer.line("");
  return writer.take();
}

}  // namespace kc::diag
