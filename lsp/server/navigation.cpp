// Finding expressions by position, and what the checker knows about them.
#include "lsp/server/navigation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "lsp/server/targets.h"
#include "providers/sdk/literal.h"

namespace kc::lsp {
namespace {

std::string_view kind_word(sema::SymbolKind kind) {
  switch (kind) {
    case sema::SymbolKind::Import:
      return "import";
    case sema::SymbolKind::Let:
      return "let";
    case sema::SymbolKind::Param:
      return "param";
    case sema::SymbolKind::Export:
      return "export";
    case sema::SymbolKind::Output:
      return "output";
    case sema::SymbolKind::Fn:
      return "fn";
    case sema::SymbolKind::Type:
      return "type";
    case sema::SymbolKind::Enum:
      return "enum";
    case sema::SymbolKind::Schema:
      return "schema";
    case sema::SymbolKind::Unchecked:
      return "declaration";
  }
  return "declaration";
}

// LSP SymbolKind numbers (3.17): Module 2, Class 5, Property 7, Field 8, Enum 10, Interface 11,
// Function 12, Variable 13, Constant 14.
int symbol_kind_number(sema::SymbolKind kind) {
  switch (kind) {
    case sema::SymbolKind::Import:
      return 2;
    case sema::SymbolKind::Let:
      return 13;
    case sema::SymbolKind::Param:
      return 14;
    case sema::SymbolKind::Export:
      return 13;
    case sema::SymbolKind::Output:
      return 7;
    case sema::SymbolKind::Fn:
      return 12;
    case sema::SymbolKind::Type:
      return 11;
    case sema::SymbolKind::Enum:
      return 10;
    case sema::SymbolKind::Schema:
      return 5;
    case sema::SymbolKind::Unchecked:
      return 13;
  }
  return 13;
}

bool holds(source::Span span, uint32_t offset) {
  return span.begin <= offset && offset <= span.end;
}

// The type of expression `expr` of file `at`, as KCL spells it; empty when unknown or an error
// (already reported).
std::string type_of(const sema::CheckedProgram& checked, const FileRef& at, ast::ExprId expr) {
  const auto& types = checked.modules[at.module].expr_types;
  if (at.file >= types.size() || expr.index >= types[at.file].size()) return {};
  sema::TypeId type = types[at.file][expr.index];
  if (checked.types.kind(type) == sema::TypeKind::Error) return {};
  return checked.types.to_string(type);
}

const sema::Symbol* name_target(const sema::CheckedProgram& checked, const FileRef& at,
                                ast::ExprId expr) {
  const auto& names = checked.modules[at.module].names;
  if (at.file >= names.size()) return nullptr;
  auto it = names[at.file].find(expr.index);
  if (it == names[at.file].end() || it->second.symbol < 0) return nullptr;
  const sema::CheckedModule& module = checked.modules[it->second.module];
  return &module.symbols[static_cast<size_t>(it->second.symbol)];
}

const std::string& declaration_doc(const sema::CheckedProgram& checked, uint32_t module,
                                   const sema::Symbol& symbol) {
  static const std::string kNone;
  const sema::SourceModule& source = checked.source(module);
  if (symbol.file >= source.files.size()) return kNone;
  const ast::File& file = *source.files[symbol.file];
  return symbol.decl < file.decls.size() ? file.decls[symbol.decl].doc : kNone;
}

// The module a symbol belongs to (symbols do not store it; find it by address).
uint32_t module_of(const sema::CheckedProgram& checked, const sema::Symbol* symbol) {
  for (uint32_t m = 0; m < checked.modules.size(); ++m) {
    const auto& symbols = checked.modules[m].symbols;
    if (!symbols.empty() && symbol >= &symbols.front() && symbol <= &symbols.back()) return m;
  }
  return 0;
}

// For `object.member`: the field of the schema the object's type names, if any.
const sema::FieldInfo* member_field(const sema::CheckedProgram& checked, const FileRef& at,
                                    const ast::Member& member) {
  const auto& types = checked.modules[at.module].expr_types;
  if (at.file >= types.size() || member.object.index >= types[at.file].size()) return nullptr;
  const sema::SchemaInfo* schema =
      checked.schema(checked.types.core(types[at.file][member.object.index]));
  return schema ? schema->find_field(member.member.text) : nullptr;
}

// For `module.name` where `module` is an import: the imported module's symbol.
const sema::Symbol* imported_symbol(const sema::CheckedProgram& checked, const FileRef& at,
                                    const ast::Member& member) {
  const sema::Symbol* import = name_target(checked, at, member.object);
  if (import == nullptr || import->kind != sema::SymbolKind::Import || import->module < 0) {
    return nullptr;
  }
  return checked.modules[static_cast<size_t>(import->module)].find(member.member.text);
}

std::string code_block(const std::string& text) {
  return "```kcl\n" + text + "\n```";
}

std::string with_doc(std::string markdown, const std::string& doc) {
  if (!doc.empty()) markdown += "\n\n" + doc;
  return markdown;
}

std::string symbol_hover(const sema::CheckedProgram& checked, const sema::Symbol& symbol) {
  std::string head = fmt::format("{} {}", kind_word(symbol.kind), symbol.name);
  if (symbol.kind != sema::SymbolKind::Import && symbol.kind != sema::SymbolKind::Schema &&
      symbol.kind != sema::SymbolKind::Enum) {
    head += ": " + checked.types.to_string(symbol.type);
  }
  return with_doc(code_block(head), declaration_doc(checked, module_of(checked, &symbol), symbol));
}

std::string field_hover(const sema::CheckedProgram& checked, const sema::FieldInfo& field) {
  std::string head = fmt::format("(field) {}: {}", field.name, checked.types.to_string(field.type));
  if (field.required) head += "  # required";
  std::string markdown = code_block(head);
  if (field.deprecated) markdown += "\n\n**Deprecated:** " + *field.deprecated;
  return with_doc(std::move(markdown), field.doc);
}

// Whether an expression's value is known from its text alone: a literal, a negated one, or a list
// of them.
bool is_constant(const ast::File& file, ast::ExprId id) {
  const ast::Expr& expr = file.expr(id);
  switch (expr.kind()) {
    case ast::ExprKind::IntLit:
    case ast::ExprKind::FloatLit:
    case ast::ExprKind::StringLit:
    case ast::ExprKind::BoolLit:
    case ast::ExprKind::NullLit:
    case ast::ExprKind::DomainLit:
      return true;
    case ast::ExprKind::Unary:
      return is_constant(file, std::get<ast::Unary>(expr.node).operand);
    case ast::ExprKind::Paren:
      return is_constant(file, std::get<ast::Paren>(expr.node).inner);
    case ast::ExprKind::ListLit:
      return std::all_of(std::get<ast::ListLit>(expr.node).items.begin(),
                         std::get<ast::ListLit>(expr.node).items.end(),
                         [&](ast::ExprId item) { return is_constant(file, item); });
    default:
      return false;
  }
}

// Values longer than this, or on several lines, are left out of hovers.
constexpr size_t kMaxValueText = 120;

std::string short_text(std::string_view text) {
  if (text.size() > kMaxValueText || text.find('\n') != std::string_view::npos) return {};
  return std::string(text);
}

// The source text of an expression of the program.
std::string expr_text(const Analysis& analysis, const sema::ExprRef& ref) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  const sema::SourceModule& source = checked.source(ref.module);
  if (ref.file >= source.files.size()) return {};
  const ast::File& file = *source.files[ref.file];
  if (!ref.expr.valid() || ref.expr.index >= file.exprs.size()) return {};
  return short_text(analysis.compilation->sources().text(file.expr(ref.expr).span));
}

// ` = value` for a declaration whose value is known: a parameter's default (the analysis runs
// without --var, so the default applies), a `let` or export written as a constant, an export or
// output of the root module as evaluated.
std::string known_value(const Analysis& analysis, uint32_t module, const sema::Symbol& symbol) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  const ast::Decl* decl = declaration_node(checked, module, symbol);
  if (decl == nullptr) return {};
  bool root = module == checked.program->root;
  if (analysis.desired && root && symbol.kind == sema::SymbolKind::Export) {
    if (const sdk::Value* value = analysis.desired->exports.find(symbol.name)) {
      std::string text = short_text(sdk::kcl_literal(*value));
      return text.empty() ? text : " = " + text;
    }
  }
  if (analysis.desired && root && symbol.kind == sema::SymbolKind::Output) {
    for (const eval::DesiredOutput& output : analysis.desired->outputs) {
      if (output.name != symbol.name) continue;
      if (output.sensitive) return " = (sensitive)";
      std::string text = short_text(sdk::kcl_literal(output.value));
      return text.empty() ? text : " = " + text;
    }
  }
  const ast::File& file = *checked.source(module).files[symbol.file];
  std::optional<ast::ExprId> value;
  bool constant_only = true;
  if (const auto* param = std::get_if<ast::Param>(&decl->node)) {
    value = param->default_value;
    constant_only = false;
  } else if (const auto* let = std::get_if<ast::Let>(&decl->node)) {
    value = let->value;
  } else if (const auto* node = std::get_if<ast::Export>(&decl->node)) {
    value = node->value;
  }
  if (!value || (constant_only && !is_constant(file, *value))) return {};
  std::string text = expr_text(analysis, sema::ExprRef{module, symbol.file, *value});
  return text.empty() ? text : " = " + text;
}

std::string symbol_value_hover(const Analysis& analysis, uint32_t module,
                               const sema::Symbol& symbol) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  std::string head = fmt::format("{} {}", kind_word(symbol.kind), symbol.name);
  if (symbol.kind != sema::SymbolKind::Import && symbol.kind != sema::SymbolKind::Schema &&
      symbol.kind != sema::SymbolKind::Enum) {
    head += ": " + checked.types.to_string(symbol.type);
  }
  head += known_value(analysis, module, symbol);
  return with_doc(code_block(head), declaration_doc(checked, module, symbol));
}

// A schema's field or `let`, as the schema it was reached through sees it.
std::optional<std::string> member_hover(const Analysis& analysis, const Target& target) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  const std::string& schema = checked.modules[target.module].symbols[target.symbol].name;
  if (const sema::FieldInfo* field = find_field(checked, target)) {
    std::string head =
        fmt::format("(field) {}.{}: {}", schema, field->name, checked.types.to_string(field->type));
    std::string text = field->default_value ? expr_text(analysis, *field->default_value) : "";
    if (!text.empty()) head += " = " + text;
    std::vector<std::string> notes;
    if (field->key) notes.push_back("@key");
    if (field->secret) notes.push_back("@secret");
    if (field->required) notes.push_back("required");
    if (!notes.empty()) {
      head += "  #";
      for (const std::string& note : notes)
        head += " " + note;
    }
    std::string markdown = code_block(head);
    if (field->default_value && text.empty()) markdown += "\n\nHas a default.";
    if (field->deprecated) markdown += "\n\n**Deprecated:** " + *field->deprecated;
    return with_doc(std::move(markdown), field->doc);
  }
  if (const sema::SchemaLet* let = find_let(checked, target)) {
    std::string head = fmt::format("(let) {}.{}", schema, let->name);
    if (checked.types.kind(let->type) != sema::TypeKind::Error) {
      head += ": " + checked.types.to_string(let->type);
    }
    std::string text = expr_text(analysis, let->value);
    if (!text.empty()) head += " = " + text;
    // The `let`'s doc comment is on its schema item.
    std::string doc;
    for (const auto& [m, s] : field_family(checked, target.module, target.symbol, target.member)) {
      const sema::Symbol& symbol = checked.modules[m].symbols[s];
      const ast::Decl* decl = declaration_node(checked, m, symbol);
      const auto* node = decl ? std::get_if<ast::Schema>(&decl->node) : nullptr;
      for (size_t i = 0; node != nullptr && i < node->items.size(); ++i) {
        const auto* item = std::get_if<ast::Let>(&node->items[i].node);
        if (item != nullptr && item->name.span == let->span) doc = node->items[i].doc;
      }
    }
    return with_doc(code_block(head), doc);
  }
  return std::nullopt;
}

std::optional<std::string> enum_member_hover(const sema::CheckedProgram& checked,
                                             const Target& target) {
  const sema::Symbol& symbol = checked.modules[target.module].symbols[target.symbol];
  const ast::Decl* decl = declaration_node(checked, target.module, symbol);
  const auto* node = decl ? std::get_if<ast::Enum>(&decl->node) : nullptr;
  if (node == nullptr) return std::nullopt;
  for (const ast::EnumMember& member : node->members) {
    if (member.name.text != target.member) continue;
    std::string markdown =
        code_block(fmt::format("(enum member) {}.{}", symbol.name, member.name.text));
    return with_doc(std::move(markdown), member.doc);
  }
  return std::nullopt;
}

std::string presence_word(sdk::AttributeSchema::Presence presence) {
  switch (presence) {
    case sdk::AttributeSchema::Presence::Required:
      return "required";
    case sdk::AttributeSchema::Presence::Optional:
      return "optional";
    case sdk::AttributeSchema::Presence::Computed:
      return "computed";
  }
  return "optional";
}

std::optional<std::string> resource_hover(const sema::CheckedProgram& checked,
                                          const Target& target) {
  if (checked.resource_schemas == nullptr) return std::nullopt;
  const sdk::ResourceSchema* schema = checked.resource_schemas->find_resource(target.resource);
  if (schema == nullptr) return std::nullopt;
  if (target.kind == Target::Kind::Resource) {
    return with_doc(code_block("resource " + schema->type), schema->doc);
  }
  const sdk::AttributeSchema* attribute = schema->find(target.member);
  if (attribute == nullptr) return std::nullopt;
  std::string markdown =
      code_block(fmt::format("(attribute) {}.{}: {}  # {}", schema->type, attribute->name,
                             attribute->type.to_string(), presence_word(attribute->presence)));
  if (attribute->presence == sdk::AttributeSchema::Presence::Computed) {
    markdown += "\n\nSet by the provider.";
  }
  if (attribute->force_new) markdown += "\n\nChanging it replaces the resource.";
  if (attribute->sensitive) markdown += "\n\nSensitive: redacted in every output.";
  return with_doc(std::move(markdown), attribute->doc);
}

std::optional<std::string> target_hover(const Analysis& analysis, const Target& target) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  switch (target.kind) {
    case Target::Kind::Symbol:
      return symbol_value_hover(analysis, target.module,
                                checked.modules[target.module].symbols[target.symbol]);
    case Target::Kind::Field:
      return member_hover(analysis, target);
    case Target::Kind::EnumMember:
      return enum_member_hover(checked, target);
    case Target::Kind::Attribute:
    case Target::Kind::Resource:
      return resource_hover(checked, target);
  }
  return std::nullopt;
}

}  // namespace

std::optional<FileRef> find_file(const Analysis& analysis, const std::string& path) {
  const sema::CheckedProgram* checked = analysis.compilation->checked();
  if (checked == nullptr) return std::nullopt;
  for (uint32_t m = 0; m < checked->program->modules.size(); ++m) {
    const auto& files = checked->program->modules[m].files;
    for (uint32_t f = 0; f < files.size(); ++f) {
      source::FileId id = files[f]->file;
      if (id < analysis.paths.size() && analysis.paths[id] == path) return FileRef{m, f, files[f]};
    }
  }
  return std::nullopt;
}

ast::ExprId expr_at(const ast::File& file, uint32_t offset) {
  ast::ExprId best;
  uint32_t best_size = UINT32_MAX;
  for (uint32_t i = 0; i < file.exprs.size(); ++i) {
    const source::Span& span = file.exprs[i].span;
    if (!span.valid() || !holds(span, offset) || span.size() >= best_size) continue;
    best = ast::ExprId{i};
    best_size = span.size();
  }
  return best;
}

std::optional<HoverInfo> hover(const Analysis& analysis, const FileRef& at, uint32_t offset) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  if (std::optional<TargetAt> found = target_at(analysis, at, offset)) {
    if (std::optional<std::string> text = target_hover(analysis, found->target)) {
      return HoverInfo{std::move(*text), found->name};
    }
  }
  ast::ExprId id = expr_at(*at.ast, offset);
  if (!id.valid()) return std::nullopt;
  const ast::Expr& expr = at.ast->expr(id);
  const auto* member = std::get_if<ast::Member>(&expr.node);
  if (const sema::Symbol* symbol = name_target(checked, at, id)) {
    return HoverInfo{symbol_hover(checked, *symbol), member ? member->member.span : expr.span};
  }
  if (member != nullptr && holds(member->member.span, offset)) {
    if (const sema::FieldInfo* field = member_field(checked, at, *member)) {
      return HoverInfo{field_hover(checked, *field), member->member.span};
    }
    if (const sema::Symbol* symbol = imported_symbol(checked, at, *member)) {
      return HoverInfo{symbol_hover(checked, *symbol), member->member.span};
    }
  }
  std::string type = type_of(checked, at, id);
  if (type.empty()) return std::nullopt;
  return HoverInfo{code_block(type), expr.span};
}

std::optional<source::Span> definition(const Analysis& analysis, const FileRef& at,
                                       uint32_t offset) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  if (std::optional<TargetAt> found = target_at(analysis, at, offset)) {
    return declaration_of(checked, found->target);
  }
  ast::ExprId id = expr_at(*at.ast, offset);
  if (!id.valid()) return std::nullopt;
  const ast::Expr& expr = at.ast->expr(id);
  if (const sema::Symbol* symbol = name_target(checked, at, id)) return symbol->span;
  if (const auto* member = std::get_if<ast::Member>(&expr.node);
      member != nullptr && holds(member->member.span, offset)) {
    if (const sema::FieldInfo* field = member_field(checked, at, *member)) return field->span;
    if (const sema::Symbol* symbol = imported_symbol(checked, at, *member)) return symbol->span;
  }
  return std::nullopt;
}

std::optional<SignatureInfo> signature_help(const Analysis& analysis, const FileRef& at,
                                            uint32_t offset) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  const source::SourceManager& sources = analysis.compilation->sources();
  // The innermost call whose argument list holds the cursor.
  const ast::Call* call = nullptr;
  uint32_t call_size = UINT32_MAX;
  ast::ExprId call_id;
  for (uint32_t i = 0; i < at.ast->exprs.size(); ++i) {
    const ast::Expr& expr = at.ast->exprs[i];
    const auto* candidate = std::get_if<ast::Call>(&expr.node);
    if (candidate == nullptr || !expr.span.valid() || expr.span.size() >= call_size) continue;
    uint32_t open = at.ast->expr(candidate->callee).span.end;  // just before `(`
    if (offset <= open || offset >= expr.span.end) continue;
    call = candidate;
    call_size = expr.span.size();
    call_id = candidate->callee;
  }
  if (call == nullptr) return std::nullopt;
  const sema::Symbol* fn = name_target(checked, at, call_id);
  if (fn == nullptr) return std::nullopt;
  std::optional<SignatureInfo> info =
      function_signature(checked, sources, module_of(checked, fn), *fn);
  if (!info) return std::nullopt;
  for (ast::ExprId arg : call->args) {
    if (at.ast->expr(arg).span.end < offset) ++info->active;
  }
  if (!info->parameters.empty()) {
    info->active =
        std::min<uint32_t>(info->active, static_cast<uint32_t>(info->parameters.size()) - 1);
  }
  return info;
}

std::vector<TypeHint> type_hints(const Analysis& analysis, const FileRef& at, uint32_t begin,
                                 uint32_t end) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  std::vector<TypeHint> hints;
  for (const sema::Symbol& symbol : checked.modules[at.module].symbols) {
    if (symbol.file != at.file || symbol.kind != sema::SymbolKind::Let) continue;
    if (symbol.span.end < begin || symbol.span.begin > end) continue;
    const auto* let = std::get_if<ast::Let>(&at.ast->decls[symbol.decl].node);
    if (let == nullptr || let->type || checked.types.kind(symbol.type) == sema::TypeKind::Error) {
      continue;
    }
    hints.push_back(TypeHint{symbol.span.end, ": " + checked.types.to_string(symbol.type)});
  }
  return hints;
}

namespace {

// The field names a body sets, in any branch of its `if`s and `for`s.
void collect_set_fields(const ast::File& file, ast::BodyId id, std::set<std::string>& set) {
  for (const ast::BodyItem& item : file.body(id).items) {
    if (const auto* assign = std::get_if<ast::FieldAssign>(&item.node)) {
      if (auto name = ast::static_label(file, assign->key)) set.insert(name->text);
    } else if (const auto* block = std::get_if<ast::LabelledBlock>(&item.node)) {
      set.insert(block->field.text);
    } else if (const auto* branches = std::get_if<ast::IfItem>(&item.node)) {
      for (const ast::IfBranch& branch : branches->branches)
        collect_set_fields(file, branch.body, set);
      if (branches->else_body) collect_set_fields(file, *branches->else_body, set);
    } else if (const auto* loop = std::get_if<ast::ForItem>(&item.node)) {
      collect_set_fields(file, loop->body, set);
    }
  }
}

constexpr size_t kMaxDefaultsShown = 4;

}  // namespace

std::vector<DefaultsHint> defaults_hints(const Analysis& analysis, const FileRef& at,
                                         uint32_t begin, uint32_t end) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  const auto& types = checked.modules[at.module].expr_types;
  std::vector<DefaultsHint> hints;
  if (at.file >= types.size()) return hints;
  const ast::File& file = *at.ast;
  for (uint32_t i = 0; i < file.exprs.size() && i < types[at.file].size(); ++i) {
    const auto* record = std::get_if<ast::RecordLit>(&file.exprs[i].node);
    if (record == nullptr) continue;
    const ast::Body& body = file.body(record->body);
    if (body.span.begin < begin || body.span.begin > end) continue;
    const sema::SchemaInfo* schema = checked.schema(types[at.file][i]);
    if (schema == nullptr) continue;
    std::set<std::string> set;
    collect_set_fields(file, record->body, set);
    std::vector<std::string> shown;
    size_t more = 0;
    for (const sema::FieldInfo& field : schema->fields) {
      if (!field.default_value || field.key || set.count(field.name) > 0) continue;
      if (shown.size() == kMaxDefaultsShown) {
        ++more;
        continue;
      }
      std::string value = expr_text(analysis, *field.default_value);
      shown.push_back(field.name + " = " + (value.empty() ? "…" : value));
    }
    if (shown.empty()) continue;
    std::string label;
    for (const std::string& text : shown)
      label += (label.empty() ? "" : ", ") + text;
    if (more > 0) label += fmt::format(", +{} more", more);
    hints.push_back(DefaultsHint{body.span.begin + 1, std::move(label)});
  }
  return hints;
}

std::vector<NamedSymbol> find_symbols(const Analysis& analysis, std::string_view query) {
  auto lower = [](std::string_view text) {
    std::string out(text);
    for (char& c : out)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  std::string needle = lower(query);
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  std::vector<NamedSymbol> found;
  for (uint32_t m = 0; m < checked.modules.size(); ++m) {
    const std::string& module = checked.source(m).name;
    if (module.rfind("std/", 0) == 0) continue;
    for (const sema::Symbol& symbol : checked.modules[m].symbols) {
      if (lower(symbol.name).find(needle) == std::string::npos) continue;
      found.push_back(
          NamedSymbol{symbol.name, module, symbol_kind_number(symbol.kind), symbol.span});
    }
  }
  return found;
}

std::vector<ResourceLens> resource_lenses(const Analysis& analysis, const FileRef& at) {
  std::vector<ResourceLens> lenses;
  if (!analysis.desired || at.module != analysis.compilation->checked()->program->root) {
    return lenses;
  }
  // Resources by the first segment of their address.
  std::map<std::string, std::map<std::string, size_t>, std::less<>> owned;
  for (const eval::DesiredResource& resource : analysis.desired->resources) {
    size_t dot = resource.address.find('.');
    if (dot == std::string::npos) continue;
    ++owned[resource.address.substr(0, dot)][resource.type];
  }
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  for (const sema::Symbol& symbol : checked.modules[at.module].symbols) {
    if (symbol.file != at.file) continue;
    auto it = owned.find(symbol.name);
    if (it == owned.end()) continue;
    ResourceLens lens;
    lens.name = symbol.span;
    for (const auto& [type, count] : it->second) {
      lens.by_type.emplace_back(type, count);
      lens.total += count;
    }
    std::stable_sort(lens.by_type.begin(), lens.by_type.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    lenses.push_back(std::move(lens));
  }
  return lenses;
}

std::vector<OutlineItem> outline(const Analysis& analysis, const FileRef& at) {
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  const sema::CheckedModule& module = checked.modules[at.module];
  std::vector<OutlineItem> items;
  for (uint32_t s = 0; s < module.symbols.size(); ++s) {
    const sema::Symbol& symbol = module.symbols[s];
    if (symbol.file != at.file || symbol.decl >= at.ast->decls.size()) continue;
    OutlineItem item;
    item.name = symbol.name;
    item.kind = symbol_kind_number(symbol.kind);
    item.span = at.ast->decls[symbol.decl].span;
    item.name_span = symbol.span;
    item.detail = symbol.kind == sema::SymbolKind::Schema ||
                          symbol.kind == sema::SymbolKind::Enum ||
                          symbol.kind == sema::SymbolKind::Import
                      ? std::string(kind_word(symbol.kind))
                      : checked.types.to_string(symbol.type);
    if (auto schema = module.schemas.find(s); schema != module.schemas.end()) {
      for (const sema::FieldInfo& field : schema->second.fields) {
        if (field.span.file != item.span.file || !holds(item.span, field.span.begin)) continue;
        item.children.push_back(OutlineItem{
            field.name, checked.types.to_string(field.type), 8, field.span, field.span, {}});
      }
    }
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace kc::lsp
