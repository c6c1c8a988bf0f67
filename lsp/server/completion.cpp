// Textual context detection and the candidates for each context.
#include "lsp/server/completion.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "lsp/server/navigation.h"
#include "lsp/server/placeholders.h"
#include "lsp/server/text_names.h"

namespace kc::lsp {
namespace {

// LSP CompletionItemKind numbers.
constexpr int kFunction = 3, kField = 5, kVariable = 6, kClass = 7, kModule = 9, kProperty = 10,
              kEnum = 13, kKeyword = 14, kSnippet = 15, kFile = 17, kFolder = 19, kEnumMember = 20,
              kConstant = 21;

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// The identifier ending at `end` (possibly empty) and where it starts.
std::string_view ident_before(std::string_view text, uint32_t end, uint32_t* begin) {
  uint32_t b = end;
  while (b > 0 && ident_char(text[b - 1]))
    --b;
  *begin = b;
  return text.substr(b, end - b);
}

uint32_t skip_blanks_back(std::string_view text, uint32_t at) {
  while (at > 0 && (text[at - 1] == ' ' || text[at - 1] == '\t'))
    --at;
  return at;
}

// The opening brace of the innermost block still open at `offset`; npos when none.
size_t open_brace(std::string_view text, uint32_t offset) {
  std::vector<OpenBracket> open = open_brackets(text, offset);
  for (auto it = open.rbegin(); it != open.rend(); ++it) {
    if (it->bracket == '{') return it->at;
  }
  return std::string_view::npos;
}

// In a snippet, `$`, `}` and `\\` are syntax.
std::string snippet_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '$' || c == '}' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// When the cursor is inside the path of `import "...` on its line: where the path starts.
std::optional<uint32_t> import_path_begin(std::string_view text, uint32_t offset) {
  size_t line = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  uint32_t at = line == std::string_view::npos || offset == 0 ? 0 : static_cast<uint32_t>(line + 1);
  auto blanks = [&] {
    while (at < offset && (text[at] == ' ' || text[at] == '\t'))
      ++at;
  };
  blanks();
  if (text.substr(at, 6) != "import" || at + 6 >= offset) return std::nullopt;
  at += 6;
  if (text[at] != ' ' && text[at] != '\t') return std::nullopt;
  blanks();
  if (at >= offset || text[at] != '"') return std::nullopt;
  ++at;
  if (text.substr(at, offset - at).find('"') != std::string_view::npos) return std::nullopt;
  return at;
}

int item_kind(sema::SymbolKind kind) {
  switch (kind) {
    case sema::SymbolKind::Import:
      return kModule;
    case sema::SymbolKind::Fn:
      return kFunction;
    case sema::SymbolKind::Schema:
    case sema::SymbolKind::Type:
      return kClass;
    case sema::SymbolKind::Enum:
      return kEnum;
    case sema::SymbolKind::Param:
      return kConstant;
    default:
      return kVariable;
  }
}

class Completer {
 public:
  explicit Completer(const CompletionContext& context) : c_(context) {
    if (c_.analysis != nullptr) checked_ = c_.analysis->compilation->checked();
  }

  std::vector<CompletionItem> run() {
    if (std::optional<uint32_t> path_begin = import_path_begin(c_.text, c_.offset)) {
      import_paths(*path_begin);
      return std::move(items_);
    }
    uint32_t prefix_begin = 0;
    ident_before(c_.text, c_.offset, &prefix_begin);
    // `object.` or `a.b.` — members.
    if (prefix_begin > 0 && c_.text[prefix_begin - 1] == '.') {
      uint32_t object_begin = 0;
      std::vector<std::string> path = dotted_name_before(c_.text, prefix_begin - 1, &object_begin);
      if (!path.empty() && checked_ != nullptr) members_of(path);
      return std::move(items_);
    }
    // `resource ` — resource types (a type may be typed with its dot: `sim.ma`).
    uint32_t word_end = skip_blanks_back(c_.text, prefix_begin);
    uint32_t word_begin = 0;
    std::string_view word = ident_before(c_.text, word_end, &word_begin);
    if (word == "resource" && c_.schemas != nullptr) {
      for (const std::string& type : c_.schemas->resource_types()) {
        const sdk::ResourceSchema* schema = c_.schemas->find_resource(type);
        add({type, kClass, "resource type", schema ? schema->doc : "", "", false});
      }
      return std::move(items_);
    }
    size_t brace = open_brace(c_.text, c_.offset);
    if (brace != std::string_view::npos && inside_body(static_cast<uint32_t>(brace), word_end)) {
      return std::move(items_);
    }
    if (typed_declaration(word_end)) return std::move(items_);
    names_in_scope();
    keywords();
    return std::move(items_);
  }

 private:
  void add(CompletionItem item) {
    if (seen_.insert(item.label).second) items_.push_back(std::move(item));
  }

  const sema::CheckedModule* root() const {
    return checked_ ? &checked_->modules[checked_->program->root] : nullptr;
  }

  // The modules whose names the root module sees unqualified: its own, then the prelude.
  std::vector<uint32_t> visible_modules() const {
    std::vector<uint32_t> modules;
    if (!checked_) return modules;
    modules.push_back(checked_->program->root);
    if (checked_->program->prelude >= 0) {
      modules.push_back(static_cast<uint32_t>(checked_->program->prelude));
    }
    return modules;
  }

  // A module-level name visible in the root module: its own, then the prelude's.
  const sema::Symbol* lookup(std::string_view name, uint32_t* module) const {
    for (uint32_t m : visible_modules()) {
      if (const sema::Symbol* symbol = checked_->modules[m].find(name)) {
        *module = m;
        return symbol;
      }
    }
    return nullptr;
  }

  // The schema `Pool` or `lib.Pool` names in the root module.
  const sema::SchemaInfo* schema_named(const std::vector<std::string>& name) const {
    std::optional<DeclaredName> found = declared_name(*checked_, checked_->program->root, name);
    if (!found || found->symbol->kind != sema::SymbolKind::Schema) return nullptr;
    return checked_->schema(found->symbol->type);
  }

  void add_fields(const sema::SchemaInfo& schema, bool as_assignment) {
    for (const sema::FieldInfo& field : schema.fields) {
      std::string detail = checked_->types.to_string(field.type);
      if (field.required) detail += " (required)";
      CompletionItem item{field.name, kField, detail, field.doc, "", false};
      if (as_assignment) {
        item.insert = field.name + " = $0";
        item.snippet = true;
      }
      add(std::move(item));
    }
  }

  void add_enum(const sema::EnumInfo& info) {
    for (const std::string& member : info.members)
      add({member, kEnumMember, info.name, "", "", false});
  }

  // What a dotted name before `.` stands for: a module (an import), an enum, or a value of a type.
  struct Named {
    std::optional<uint32_t> module;
    const sema::EnumInfo* enumeration = nullptr;
    std::optional<sema::TypeId> type;
  };

  std::optional<Named> named_by(const sema::Symbol& symbol) const {
    if (symbol.kind == sema::SymbolKind::Import) {
      if (symbol.module < 0) return std::nullopt;
      return Named{static_cast<uint32_t>(symbol.module), nullptr, std::nullopt};
    }
    if (symbol.kind == sema::SymbolKind::Enum) {
      return Named{std::nullopt, checked_->enumeration(symbol.type), std::nullopt};
    }
    if (symbol.kind == sema::SymbolKind::Schema || symbol.kind == sema::SymbolKind::Type ||
        symbol.kind == sema::SymbolKind::Fn) {
      return std::nullopt;
    }
    return Named{std::nullopt, nullptr, symbol.type};
  }

  // The first part: a declaration the last analysis knows, or one being typed that the text
  // declares as a schema instance. Then each part: a name of the module, or a field or `let` of
  // the schema the value is.
  std::optional<Named> resolve(const std::vector<std::string>& path) const {
    std::optional<Named> named;
    uint32_t module = 0;
    if (const sema::Symbol* symbol = lookup(path[0], &module)) {
      named = named_by(*symbol);
    } else if (std::optional<sema::TypeId> type = instance_declared_in_text(path[0])) {
      named = Named{std::nullopt, nullptr, type};
    }
    for (size_t i = 1; i < path.size() && named; ++i) {
      if (named->module) {
        const sema::Symbol* symbol = checked_->modules[*named->module].find(path[i]);
        named = symbol != nullptr && public_symbol(*symbol) ? named_by(*symbol) : std::nullopt;
      } else if (const sema::SchemaInfo* schema =
                     named->type ? checked_->schema(checked_->types.core(*named->type)) : nullptr) {
        if (const sema::FieldInfo* field = schema->find_field(path[i])) {
          named = Named{std::nullopt, nullptr, field->type};
        } else if (const sema::SchemaLet* let = schema->find_let(path[i])) {
          named = Named{std::nullopt, nullptr, let->type};
        } else {
          named.reset();
        }
      } else {
        named.reset();
      }
    }
    return named;
  }

  // `name = Pool {`, `let name = lib.Pool {` or `let name: Pool =` at the start of a line of the
  // current text: the schema type it declares `name` as (for names the last analysis lacks).
  std::optional<sema::TypeId> instance_declared_in_text(std::string_view name) const {
    std::string_view text = c_.text;
    for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
      size_t line = at;
      while (line > 0 && text[line - 1] != '\n')
        --line;
      std::string_view before = text.substr(line, at - line);
      if (before != "" && before != "let " && before != "export ") continue;
      size_t i = at + name.size();
      auto blanks = [&] {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
          ++i;
      };
      blanks();
      bool typed = i < text.size() && text[i] == ':';
      if (!typed && (i >= text.size() || text[i] != '=')) continue;
      ++i;
      blanks();
      // The dotted name that follows: the declared type, or the instance's schema.
      size_t head_end = i;
      while (head_end < text.size() && (ident_char(text[head_end]) || text[head_end] == '.'))
        ++head_end;
      uint32_t head_begin = 0;
      std::vector<std::string> head =
          dotted_name_before(text, static_cast<uint32_t>(head_end), &head_begin);
      if (head.empty() || head_begin != i) continue;
      i = head_end;
      blanks();
      if (!typed && (i >= text.size() || text[i] != '{')) continue;
      std::optional<DeclaredName> schema = declared_name(*checked_, checked_->program->root, head);
      if (schema && schema->symbol->kind == sema::SymbolKind::Schema) return schema->symbol->type;
    }
    return std::nullopt;
  }

  void members_of(const std::vector<std::string>& path) {
    std::optional<Named> named = resolve(path);
    if (!named) return;
    if (named->module) {
      for (const sema::Symbol& member : checked_->modules[*named->module].symbols) {
        if (!public_symbol(member)) continue;  // private to that module
        add({member.name, item_kind(member.kind), checked_->types.to_string(member.type), "", "",
             false});
      }
      return;
    }
    if (named->enumeration != nullptr) {
      add_enum(*named->enumeration);
      return;
    }
    if (const sema::SchemaInfo* schema = checked_->schema(checked_->types.core(*named->type))) {
      add_fields(*schema, false);
      for (const sema::SchemaLet& let : schema->lets)
        add({let.name, kProperty, checked_->types.to_string(let.type), "", "", false});
    }
  }

  // Inside `{ ... }` opened at `brace`: fields of the schema or attributes of the resource the
  // block builds, or the values a field takes after `field =`. False when the block is not one of
  // those (a map literal, a comprehension ...), so the caller offers names instead.
  bool inside_body(uint32_t brace, uint32_t word_end) {
    uint32_t head_end = skip_blanks_back(c_.text, brace);
    // `resource sim.machine "web" {`: the label, then the type.
    uint32_t at = head_end;
    if (at > 0 && c_.text[at - 1] == '"') {
      size_t quote = c_.text.rfind('"', at - 2);
      if (quote == std::string_view::npos) return false;
      at = skip_blanks_back(c_.text, static_cast<uint32_t>(quote));
      uint32_t type_begin = at;
      while (type_begin > 0 &&
             (ident_char(c_.text[type_begin - 1]) || c_.text[type_begin - 1] == '.')) {
        --type_begin;
      }
      std::string type(c_.text.substr(type_begin, at - type_begin));
      if (c_.schemas == nullptr) return false;
      const sdk::ResourceSchema* resource = c_.schemas->find_resource(type);
      if (resource == nullptr) return false;
      for (const sdk::AttributeSchema& attribute : resource->attributes) {
        if (!attribute.is_input()) continue;
        std::string detail = attribute.type.to_string();
        if (attribute.presence == sdk::AttributeSchema::Presence::Required) detail += " (required)";
        add({attribute.name, kProperty, detail, attribute.doc, attribute.name + " = $0", true});
      }
      return true;
    }
    uint32_t name_begin = 0;
    std::vector<std::string> head = dotted_name_before(c_.text, head_end, &name_begin);
    if (head.empty() || checked_ == nullptr) return false;
    const sema::SchemaInfo* schema = schema_named(head);
    if (schema == nullptr) return false;
    // `field = ` in the body: the values of the field's type where they can be listed.
    if (word_end > 0 && c_.text[word_end - 1] == '=') {
      uint32_t field_end = skip_blanks_back(c_.text, word_end - 1);
      uint32_t field_begin = 0;
      std::string_view field_name = ident_before(c_.text, field_end, &field_begin);
      const sema::FieldInfo* field = schema->find_field(field_name);
      if (field == nullptr) return false;
      return values_of(field->type);  // false for any expression: names in scope
    }
    add_fields(*schema, true);
    return true;
  }

  // The values of `type` where they can be listed (an enum's members, `true` and `false`).
  bool values_of(sema::TypeId declared) {
    sema::TypeId type = checked_->types.core(declared);
    if (const sema::EnumInfo* info = checked_->enumeration(type)) {
      add_enum(*info);
      return true;
    }
    if (checked_->types.kind(type) == sema::TypeKind::Bool) {
      add({"true", kKeyword, "bool", "", "", false});
      add({"false", kKeyword, "bool", "", "", false});
      return true;
    }
    return false;
  }

  // `let x: Tier = ` or `param p: Tier = ` with only the value's first word typed: the values of a
  // type named in the root module or the prelude, when they can be listed.
  bool typed_declaration(uint32_t word_end) {
    if (checked_ == nullptr || word_end == 0 || c_.text[word_end - 1] != '=') return false;
    uint32_t at = skip_blanks_back(c_.text, word_end - 1);
    if (at > 0 && c_.text[at - 1] == '?') --at;  // `Tier?`
    uint32_t type_begin = 0;
    std::string_view type_name = ident_before(c_.text, at, &type_begin);
    at = skip_blanks_back(c_.text, type_begin);
    if (type_name.empty() || at == 0 || c_.text[at - 1] != ':') return false;
    uint32_t name_begin = 0;
    ident_before(c_.text, skip_blanks_back(c_.text, at - 1), &name_begin);
    uint32_t keyword_begin = 0;
    std::string_view keyword =
        ident_before(c_.text, skip_blanks_back(c_.text, name_begin), &keyword_begin);
    if (keyword != "let" && keyword != "param") return false;
    uint32_t module = 0;
    const sema::Symbol* symbol = lookup(type_name, &module);
    if (type_name == "bool") {
      add({"true", kKeyword, "bool", "", "", false});
      add({"false", kKeyword, "bool", "", "", false});
      return true;
    }
    if (symbol == nullptr ||
        (symbol->kind != sema::SymbolKind::Enum && symbol->kind != sema::SymbolKind::Type)) {
      return false;
    }
    return values_of(symbol->type);
  }

  void names_in_scope() {
    for (uint32_t m : visible_modules()) {
      for (const sema::Symbol& symbol : checked_->modules[m].symbols) {
        if (m != checked_->program->root &&
            (symbol.kind == sema::SymbolKind::Let || symbol.kind == sema::SymbolKind::Import)) {
          continue;
        }
        std::string detail = symbol.kind == sema::SymbolKind::Schema ? "schema"
                             : symbol.kind == sema::SymbolKind::Enum ? "enum"
                             : symbol.kind == sema::SymbolKind::Import
                                 ? "import"
                                 : checked_->types.to_string(symbol.type);
        add({symbol.name, item_kind(symbol.kind), detail, "", "", false});
        if (symbol.kind == sema::SymbolKind::Schema && c_.snippets) instance_snippet(symbol);
      }
    }
  }

  // `Pool { ... }` with a tab stop for each required field, its placeholder value selected.
  void instance_snippet(const sema::Symbol& symbol) {
    const sema::SchemaInfo* schema = checked_->schema(symbol.type);
    if (schema == nullptr) return;
    std::string body;
    int stop = 1;
    for (const sema::FieldInfo& field : schema->fields) {
      if (!field.required) continue;
      body += "\n  " + field.name + " = ${" + std::to_string(stop++) + ":" +
              snippet_escape(placeholder_for(*checked_, field.type)) + "}";
    }
    std::string insert = symbol.name + " {" + (body.empty() ? " $0 }" : body + "\n}$0");
    CompletionItem item{symbol.name + " {…}", kSnippet, "instance with its required fields", "",
                        std::move(insert),    true};
    item.filter = symbol.name;
    add(std::move(item));
  }

  // Inside `import "`: the typed path up to its last `/` names a directory (below a standard
  // library directory for `std/`, else relative to the document's); its `.kcl` files (without the
  // extension) and its subdirectories that hold `.kcl` files are offered, each as the whole path.
  // An empty path starts with the standard library's modules and `./`, `../`.
  void import_paths(uint32_t path_begin) {
    if (c_.fs == nullptr || c_.path.empty()) return;
    namespace fs = std::filesystem;
    std::string typed(c_.text.substr(path_begin, c_.offset - path_begin));
    std::string dir_part = typed.substr(0, typed.rfind('/') + 1);  // "" when there is no '/'
    fs::path document_dir = fs::path(c_.path).parent_path();
    auto add_path = [&](std::string path, int kind, std::string detail) {
      CompletionItem item{path, kind, std::move(detail), "", "", false};
      item.replace_begin = path_begin;
      add(std::move(item));
    };
    // The modules in `dir`, offered as `prefix` + name.
    auto list = [&](const fs::path& dir, const std::string& prefix) {
      std::error_code ec;
      if (!fs::is_directory(dir, ec)) return;
      // Normalized without a trailing separator, so `dir/./` and `dir` compare equal.
      auto normal = [](const fs::path& p) { return (p / "_").lexically_normal().parent_path(); };
      bool own_dir = normal(dir) == normal(document_dir);
      if (!own_dir) {  // the document's own files are its module, not imports
        for (const std::string& file : c_.fs->kcl_files(dir.string())) {
          fs::path name = fs::path(file).filename();
          add_path(prefix + name.stem().string(), kFile, "module file " + name.string());
        }
      }
      std::vector<std::string> subdirs;
      for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_directory(ec) && !c_.fs->kcl_files(it->path().string()).empty()) {
          subdirs.push_back(it->path().filename().string());
        }
      }
      std::sort(subdirs.begin(), subdirs.end());
      for (const std::string& sub : subdirs)
        add_path(prefix + sub, kFolder, "module directory");
    };
    if (dir_part.empty() || dir_part.rfind("std/", 0) == 0) {
      std::string below = dir_part.empty() ? "std/" : dir_part;
      if (c_.stdlib_dirs != nullptr) {
        for (const std::string& base : *c_.stdlib_dirs)
          list(fs::path(base) / below, below);
      }
    }
    if (dir_part.empty()) {
      add_path("./", kFolder, "beside this file");
      add_path("../", kFolder, "the parent directory");
      list(document_dir, "./");
    } else if (dir_part.rfind("./", 0) == 0 || dir_part.rfind("../", 0) == 0) {
      list(document_dir / dir_part, dir_part);
    }
  }

  void keywords() {
    struct Snippet {
      const char* label;
      const char* body;
    };
    static const Snippet kSnippets[] = {
        {"schema", "schema ${1:Name} {\n  ${2:field}: ${3:string}\n}"},
        {"resource", "resource ${1:type} \"${2:name}\" {\n  $0\n}"},
        {"let", "let ${1:name} = $0"},
        {"param", "param ${1:name}: ${2:string} = $0"},
        {"output", "output ${1:name} = $0"},
        {"import", "import \"${1:std/net}\" as ${2:net}"},
        {"enum", "enum ${1:Name} { ${2:a}, ${3:b} }"},
        {"fn", "fn ${1:name}(${2:x}: ${3:int}) -> ${4:int} = $0"},
        {"for", "for ${1:x} in ${2:items}"},
        {"if", "if ${1:condition} then ${2:a} else ${3:b}"},
    };
    for (const Snippet& s : kSnippets)
      add({s.label, kSnippet, "snippet", "", s.body, true});
    for (const char* word : {"true", "false", "null", "self", "with", "check", "extends", "in"})
      add({word, kKeyword, "keyword", "", "", false});
  }

  const CompletionContext& c_;
  const sema::CheckedProgram* checked_ = nullptr;
  std::vector<CompletionItem> items_;
  std::set<std::string> seen_;
};

}  // namespace

std::vector<CompletionItem> complete(const CompletionContext& context) {
  return Completer(context).run();
}

}  // namespace kc::lsp
