// Applying fixes and formatting what they touched.
#include "compiler/lint/fix.h"

#include <algorithm>
#include <map>

#include "compiler/format/diff.h"
#include "compiler/format/format.h"

namespace kc::lint {

std::string apply_edits(std::string_view text, const std::vector<TextEdit>& edits) {
  std::string out;
  uint32_t at = 0;
  for (const TextEdit& edit : edits) {
    out.append(text.substr(at, edit.begin - at));
    out += edit.replacement;
    at = edit.end;
  }
  out.append(text.substr(at));
  return out;
}

namespace {

uint32_t line_of(std::string_view text, size_t offset) {
  return static_cast<uint32_t>(
             std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n')) +
         1;
}

}  // namespace

std::optional<std::string> format_touched(const std::string& path, const std::string& fixed,
                                          const Touched& touched) {
  source::SourceManager scratch;
  source::FileId id = scratch.add(path, fixed);
  format::FormatResult formatted = format::format_file(scratch, id);
  if (!formatted.ok) {
    // Syntax errors mean the fixes broke the file; anything else is the formatter declining.
    for (const diag::Diagnostic& d : formatted.diagnostics.all()) {
      if (d.severity == diag::Severity::Error && diag::code_name(d.code).substr(0, 3) == "E01") {
        return std::nullopt;
      }
    }
    return fixed;
  }
  if (!formatted.changed) return fixed;
  std::vector<std::string_view> before = format::split_lines(fixed);
  std::vector<std::string_view> after = format::split_lines(formatted.text);
  std::vector<format::Edit> script = format::diff_lines(before, after);

  auto edited = [&](size_t line) {  // 1-based line of `fixed`
    for (const auto& [first, last] : touched.lines) {
      if (line >= first && line <= last) return true;
    }
    return false;
  };
  auto near_removal = [&](size_t line) {
    for (uint32_t at : touched.removals) {
      if (line + 1 >= at && line <= at + 1) return true;
    }
    return false;
  };
  auto blank = [](std::string_view line) {
    return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
  };
  // Walk the script in hunks: runs of deletes and inserts between keeps. The formatter's hunk is
  // taken when it changes a line an edit wrote, or only adds or drops blank lines where lines were
  // removed; elsewhere the lines stay as they were.
  std::string out;
  size_t i = 0;
  while (i < script.size()) {
    if (script[i].kind == format::Edit::Kind::Keep) {
      out.append(before[script[i].before]);
      ++i;
      continue;
    }
    size_t j = i;
    std::vector<size_t> deleted, inserted;
    while (j < script.size() && script[j].kind != format::Edit::Kind::Keep) {
      if (script[j].kind == format::Edit::Kind::Delete) {
        deleted.push_back(script[j].before);
      } else {
        inserted.push_back(script[j].after);
      }
      ++j;
    }
    // The lines of `fixed` the hunk sits at: its deleted lines, or the keeps around an insertion.
    size_t anchor = i > 0 ? script[i - 1].before + 1 : 0;
    std::vector<size_t> at;
    for (size_t line : deleted)
      at.push_back(line + 1);
    if (deleted.empty()) at = {anchor, anchor + 1};
    bool only_blanks = true;
    for (size_t line : deleted)
      only_blanks = only_blanks && blank(before[line]);
    for (size_t line : inserted)
      only_blanks = only_blanks && blank(after[line]);
    bool take = false;
    for (size_t line : at) {
      if (edited(line) || (only_blanks && near_removal(line))) take = true;
    }
    if (take) {
      for (size_t line : inserted)
        out.append(after[line]);
    } else {
      for (size_t line : deleted)
        out.append(before[line]);
    }
    i = j;
  }
  // Taking only some hunks could in principle leave text that does not parse; keep the plain fix
  // then.
  source::FileId check = scratch.add(path, out);
  format::FormatResult verify = format::format_file(scratch, check);
  return verify.ok ? out : fixed;
}

std::vector<FixedFile> apply_fixes(const diag::Diagnostics& diagnostics,
                                   const source::SourceManager& sources) {
  std::map<source::FileId, std::vector<TextEdit>> by_file;
  for (const diag::Diagnostic& d : diagnostics.all()) {
    if (d.rule.empty()) continue;  // compile diagnostics carry suggestions, not safe fixes
    for (const diag::Fix& fix : d.fixes) {
      if (!fix.span.valid() || fix.span.file >= sources.size()) continue;
      by_file[fix.span.file].push_back(TextEdit{fix.span.begin, fix.span.end, fix.replacement});
    }
  }
  std::vector<FixedFile> out;
  for (auto& [file, edits] : by_file) {
    std::stable_sort(edits.begin(), edits.end(), [](const TextEdit& a, const TextEdit& b) {
      return std::tie(a.begin, a.end) < std::tie(b.begin, b.end);
    });
    std::vector<TextEdit> kept;
    for (const TextEdit& edit : edits) {
      if (!kept.empty() && edit.begin < kept.back().end) continue;  // overlaps: next run
      if (!kept.empty() && edit.begin == kept.back().begin && edit.end == kept.back().end) continue;
      kept.push_back(edit);
    }
    std::string_view text = sources.file(file).text();
    std::string fixed = apply_edits(text, kept);
    // Where each edit landed in `fixed`: the lines it wrote, or for a removal of whole lines,
    // the line after the gap.
    Touched touched;
    int64_t shift = 0;
    for (const TextEdit& edit : kept) {
      size_t begin = static_cast<size_t>(static_cast<int64_t>(edit.begin) + shift);
      bool whole_lines = edit.replacement.empty() && edit.end > edit.begin &&
                         (begin == 0 || fixed[begin - 1] == '\n') && text[edit.end - 1] == '\n';
      if (whole_lines) {
        touched.removals.push_back(line_of(fixed, begin));
      } else {
        touched.lines.emplace_back(line_of(fixed, begin),
                                   line_of(fixed, begin + edit.replacement.size()));
      }
      shift += static_cast<int64_t>(edit.replacement.size()) -
               static_cast<int64_t>(edit.end - edit.begin);
    }
    const std::string& path = sources.file(file).path();
    std::optional<std::string> after = format_touched(path, fixed, touched);
    if (!after || *after == text) continue;
    out.push_back(FixedFile{file, path, std::string(text), std::move(*after), kept.size()});
  }
  return out;
}

}  // namespace kc::lint
