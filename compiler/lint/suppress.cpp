// Parsing of `# kc:ignore` comments and the line each one silences.
#include "compiler/lint/suppress.h"

#include <cctype>
#include <string_view>

namespace kc::lint {

namespace {

bool blank_or_comment(std::string_view line) {
  for (char c : line) {
    if (c == ' ' || c == '\t' || c == '\r') continue;
    return c == '#';
  }
  return true;
}

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

}  // namespace

std::vector<Ignore> find_ignores(const ast::File& file, const source::SourceFile& text) {
  std::vector<Ignore> out;
  for (const ast::Comment& comment : file.comments) {
    if (comment.doc) continue;
    std::string_view body = text.text().substr(comment.span.begin, comment.span.size());
    size_t at = 1;  // past `#`
    while (at < body.size() && (body[at] == ' ' || body[at] == '\t'))
      ++at;
    std::string_view rest = body.substr(at);
    bool file_wide = false;
    if (rest.rfind("kc:ignore-file", 0) == 0) {
      file_wide = true;
      at += 14;
    } else if (rest.rfind("kc:ignore", 0) == 0) {
      at += 9;
    } else {
      continue;
    }
    if (at < body.size() && body[at] != ' ' && body[at] != '\t') continue;  // `kc:ignored`

    uint32_t line = 0;
    if (!file_wide) {
      uint32_t own = text.line_col(comment.span.begin).line;
      line = own;
      if (!comment.trailing) {
        line = own + 1;
        while (line <= text.line_count() && blank_or_comment(text.line_text(line)))
          ++line;
      }
    }
    auto make = [&](uint32_t begin, uint32_t end, std::string name) {
      Ignore ignore;
      ignore.comment = comment.span;
      ignore.name_span = source::Span{comment.span.file, begin, end};
      ignore.rule_name = std::move(name);
      ignore.rule = find_rule(ignore.rule_name);
      ignore.file_wide = file_wide;
      ignore.line = line;
      ignore.trailing = comment.trailing;
      out.push_back(std::move(ignore));
    };
    size_t before = out.size();
    while (at < body.size()) {
      char c = body[at];
      if (c == ' ' || c == '\t' || c == ',') {
        ++at;
        continue;
      }
      if (body.substr(at, 2) == "--") break;  // the reason follows
      size_t start = at;
      while (at < body.size() && name_char(body[at]))
        ++at;
      if (at == start) break;  // not a rule name: the rest is prose
      make(comment.span.begin + static_cast<uint32_t>(start),
           comment.span.begin + static_cast<uint32_t>(at),
           std::string(body.substr(start, at - start)));
    }
    if (out.size() == before) {
      uint32_t directive_end =
          comment.span.begin + static_cast<uint32_t>(std::min(at, body.size()));
      make(comment.span.begin, directive_end, std::string());
    }
  }
  return out;
}

}  // namespace kc::lint
