// The fixes diagnostics carry, and the missing-required-field fix worked out from the syntax tree
// and the checker's schemas (the diagnostic names the missing fields by their declarations).
#include "lsp/server/code_actions.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "lsp/server/diagnostics_json.h"
#include "lsp/server/navigation.h"
#include "lsp/server/placeholders.h"
#include "lsp/server/uri.h"

namespace kc::lsp {
namespace {

using nlohmann::json;

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The blanks that start the line holding byte `at`, and whether only blanks precede `at` on it.
std::string_view line_indent(std::string_view text, uint32_t at, bool* first_on_line) {
  size_t newline = at == 0 ? std::string_view::npos : text.rfind('\n', at - 1);
  size_t start = newline == std::string_view::npos ? 0 : newline + 1;
  size_t blanks = start;
  while (blanks < text.size() && (text[blanks] == ' ' || text[blanks] == '\t'))
    ++blanks;
  if (first_on_line != nullptr) *first_on_line = blanks >= at;
  return text.substr(start, std::min<size_t>(blanks, at) - start);
}

// The body whose `{` the diagnostic's head precedes: the brace itself (an untyped `{` where a
// schema is expected) or the first `{` after the head (`Pool`, `field label`, `sim.machine "a"`).
const ast::Body* body_after(const ast::File& file, std::string_view text, source::Span head) {
  uint32_t brace = head.begin;
  if (brace >= text.size() || text[brace] != '{') {
    brace = head.end;
    while (brace < text.size() && std::isspace(static_cast<unsigned char>(text[brace])) != 0)
      ++brace;
  }
  if (brace >= text.size() || text[brace] != '{') return nullptr;
  for (const ast::Body& body : file.bodies) {
    if (body.span.begin == brace) return &body;
  }
  return nullptr;
}

// `name = value` lines (or, in a body written on one line, `, name = value` items) inserted
// before the body's closing brace.
std::vector<TextEdit> insert_assignments(std::string_view text, const ast::Body& body,
                                         source::FileId file,
                                         const std::vector<std::string>& assignments) {
  uint32_t open = body.span.begin;
  uint32_t close = body.span.end - 1;  // the `}`
  if (close >= text.size() || text[close] != '}') return {};
  std::string base(line_indent(text, open, nullptr));
  std::string indent = base + "  ";
  if (!body.items.empty()) {
    bool first = false;
    std::string_view item_indent = line_indent(text, body.items.front().span.begin, &first);
    if (first) indent = std::string(item_indent);
  }
  bool close_first = false;
  line_indent(text, close, &close_first);
  bool multiline = text.substr(open, close - open).find('\n') != std::string_view::npos;
  std::string lines;
  for (const std::string& assignment : assignments)
    lines += indent + assignment + "\n";
  if (multiline && close_first) {  // before the line of the `}`
    uint32_t line_start = close;
    while (line_start > 0 && text[line_start - 1] != '\n')
      --line_start;
    return {{source::Span{file, line_start, line_start}, lines}};
  }
  if (body.items.empty()) {  // `Pool {}`: open it up
    return {{source::Span{file, open + 1, close}, "\n" + lines + base}};
  }
  std::string items;
  for (const std::string& assignment : assignments)
    items += ", " + assignment;
  return {{source::Span{file, body.items.back().span.end, close}, items + " "}};
}

// The field declared at `span` in any schema of the program.
const sema::FieldInfo* field_declared_at(const sema::CheckedProgram& checked, source::Span span) {
  for (const sema::CheckedModule& module : checked.modules) {
    for (const auto& [symbol, schema] : module.schemas) {
      for (const sema::FieldInfo& field : schema.fields) {
        if (field.span.file == span.file && field.span.begin == span.begin &&
            field.span.end == span.end) {
          return &field;
        }
      }
    }
  }
  return nullptr;
}

std::string names_title(const std::string& what, const std::vector<std::string>& names) {
  std::string title = "Add missing required " + what + (names.size() == 1 ? " " : "s ");
  for (size_t i = 0; i < names.size(); ++i)
    title += (i == 0 ? "`" : ", `") + names[i] + "`";
  return title;
}

class Fixer {
 public:
  Fixer(const Analysis& analysis, const FileRef& file)
      : file_(file),
        checked_(*analysis.compilation->checked()),
        text_(analysis.compilation->sources().file(file.ast->file).text()) {}

  // A schema instance: the diagnostic's secondary labels point at the missing fields'
  // declarations.
  std::optional<QuickFix> missing_fields(const diag::Diagnostic& d) {
    const ast::Body* body = body_after(*file_.ast, text_, d.span);
    if (body == nullptr) return std::nullopt;
    std::vector<std::string> names, assignments;
    for (const diag::Label& label : d.secondary) {
      const sema::FieldInfo* field = field_declared_at(checked_, label.span);
      if (field == nullptr) continue;
      names.push_back(field->name);
      assignments.push_back(field->name + " = " + placeholder_for(checked_, field->type));
    }
    if (names.empty()) return std::nullopt;
    return fix(names_title("field", names), {&d}, *body, assignments);
  }

  // A resource: one diagnostic per missing attribute, all on the type and label; one fix adds
  // every attribute they name.
  std::optional<QuickFix> missing_attributes(const std::vector<const diag::Diagnostic*>& all) {
    source::Span head = all.front()->span;
    const ast::Body* body = body_after(*file_.ast, text_, head);
    const ast::ResourceExpr* resource = resource_with(body);
    if (resource == nullptr || checked_.resource_schemas == nullptr) return std::nullopt;
    const sdk::ResourceSchema* schema = checked_.resource_schemas->find_resource(
        resource->provider.text + "." + resource->kind.text);
    if (schema == nullptr) return std::nullopt;
    std::vector<std::string> names, assignments;
    for (const sdk::AttributeSchema& attribute : schema->attributes) {
      bool named = false;
      for (const diag::Diagnostic* d : all)
        named = named || d->message.find("`" + attribute.name + "`") != std::string::npos;
      if (!named || attribute.presence != sdk::AttributeSchema::Presence::Required) continue;
      names.push_back(attribute.name);
      assignments.push_back(attribute.name + " = " + placeholder_for(attribute.type));
    }
    if (names.empty()) return std::nullopt;
    return fix(names_title("attribute", names), all, *body, assignments);
  }

 private:
  const ast::ResourceExpr* resource_with(const ast::Body* body) const {
    if (body == nullptr) return nullptr;
    for (const ast::Expr& expr : file_.ast->exprs) {
      const auto* resource = std::get_if<ast::ResourceExpr>(&expr.node);
      if (resource != nullptr && file_.ast->body(resource->body).span.begin == body->span.begin) {
        return resource;
      }
    }
    return nullptr;
  }

  std::optional<QuickFix> fix(std::string title, std::vector<const diag::Diagnostic*> diagnostics,
                              const ast::Body& body, const std::vector<std::string>& assignments) {
    QuickFix fix{std::move(title), std::move(diagnostics),
                 insert_assignments(text_, body, file_.ast->file, assignments), true};
    if (fix.edits.empty()) return std::nullopt;
    return fix;
  }

  const FileRef& file_;
  const sema::CheckedProgram& checked_;
  std::string_view text_;
};

// The file at `path`, and in `checked` its place in the checked program. A module with syntax
// errors is not checked, yet the lexer's fixes still apply: its file is then found among all the
// files the compilation read.
source::FileId file_of(const Analysis& analysis, const std::string& path,
                       std::optional<FileRef>* checked) {
  *checked = find_file(analysis, path);
  if (*checked) return (*checked)->ast->file;
  for (source::FileId id = 0; id < analysis.paths.size(); ++id) {
    if (analysis.paths[id] == path) return id;
  }
  return source::kNoFile;
}

}  // namespace

std::vector<QuickFix> quick_fixes(const Analysis& analysis, const std::string& path, uint32_t begin,
                                  uint32_t end) {
  std::vector<QuickFix> fixes;
  std::optional<FileRef> checked_file;
  source::FileId file = file_of(analysis, path, &checked_file);
  if (file == source::kNoFile) return fixes;
  std::map<std::pair<uint32_t, uint32_t>, std::vector<const diag::Diagnostic*>> resources;
  for (const diag::Diagnostic& d : analysis.diagnostics.all()) {
    if (d.span.file != file || d.span.end < begin || d.span.begin > end) continue;
    for (const diag::Fix& carried : d.fixes) {
      fixes.push_back(
          {carried.message, {&d}, {{carried.span, carried.replacement}}, d.fixes.size() == 1});
    }
    if (d.code != diag::Code::E0303 || !checked_file) continue;
    if (starts_with(d.message, "missing required field")) {
      if (auto fix = Fixer(analysis, *checked_file).missing_fields(d)) fixes.push_back(*fix);
    } else if (starts_with(d.message, "missing required attribute")) {
      resources[{d.span.begin, d.span.end}].push_back(&d);
    }
  }
  for (const auto& [span, diagnostics] : resources) {
    if (auto fix = Fixer(analysis, *checked_file).missing_attributes(diagnostics)) {
      fixes.push_back(*fix);
    }
  }
  return fixes;
}

json code_actions_json(const Analysis& analysis, const std::string& path, Position start,
                       Position end, PositionEncoding encoding) {
  json actions = json::array();
  std::optional<FileRef> checked_file;
  source::FileId file = file_of(analysis, path, &checked_file);
  if (file == source::kNoFile) return actions;
  LineIndex index(analysis.compilation->sources().file(file).text());
  LspConverter convert(analysis, encoding);
  for (const QuickFix& fix :
       quick_fixes(analysis, path, index.offset(start, encoding), index.offset(end, encoding))) {
    json edits = json::array();
    for (const TextEdit& edit : fix.edits)
      edits.push_back({{"range", convert.range(edit.span)}, {"newText", edit.text}});
    json diagnostics = json::array();
    for (const diag::Diagnostic* d : fix.diagnostics)
      diagnostics.push_back(convert.diagnostic(*d));
    actions.push_back({{"title", fix.title},
                       {"kind", "quickfix"},
                       {"diagnostics", std::move(diagnostics)},
                       {"isPreferred", fix.preferred},
                       {"edit", {{"changes", {{path_to_uri(path), std::move(edits)}}}}}});
  }
  return actions;
}

}  // namespace kc::lsp
