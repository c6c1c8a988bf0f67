// Textual context detection and the candidates for each context.
#include "lsp/server/completion.h"

#include <cctype>
#include <set>

#include "lsp/server/navigation.h"

namespace kc::lsp {
namespace {

// LSP CompletionItemKind numbers.
constexpr int kFunction = 3, kField = 5, kVariable = 6, kClass = 7, kModule = 9, kProperty = 10,
              kEnum = 13, kKeyword = 14, kSnippet = 15, kConstant = 21, kEnumMember = 20;

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

// The opening brace of the innermost block still open at `offset`, skipping strings and comments
// only roughly (enough for what people type); npos when none.
size_t open_brace(std::string_view text, uint32_t offset) {
  std::vector<size_t> stack;
  bool in_string = false;
  for (uint32_t i = 0; i < offset; ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"' || c == '\n')
        in_string = false;
      continue;
    }
    if (c == '#') {
      while (i < offset && text[i] != '\n')
        ++i;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      stack.push_back(i);
    } else if (c == '}' && !stack.empty()) {
      stack.pop_back();
    }
  }
  return stack.empty() ? std::string_view::npos : stack.back();
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
    uint32_t prefix_begin = 0;
    ident_before(c_.text, c_.offset, &prefix_begin);
    // `object.` — members.
    if (prefix_begin > 0 && c_.text[prefix_begin - 1] == '.') {
      uint32_t object_begin = 0;
      std::string_view object = ident_before(c_.text, prefix_begin - 1, &object_begin);
      if (!object.empty()) members_of(object);
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

  // A module-level name visible in the root module: its own, then the prelude's.
  const sema::Symbol* lookup(std::string_view name, uint32_t* module) const {
    if (!checked_) return nullptr;
    std::vector<uint32_t> modules = {checked_->program->root};
    if (checked_->program->prelude >= 0) {
      modules.push_back(static_cast<uint32_t>(checked_->program->prelude));
    }
    for (uint32_t m : modules) {
      if (const sema::Symbol* symbol = checked_->modules[m].find(name)) {
        *module = m;
        return symbol;
      }
    }
    return nullptr;
  }

  const sema::SchemaInfo* schema_named(std::string_view name) const {
    uint32_t module = 0;
    const sema::Symbol* symbol = lookup(name, &module);
    if (symbol == nullptr || symbol->kind != sema::SymbolKind::Schema) return nullptr;
    return checked_->schema(symbol->type);
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

  void members_of(std::string_view object) {
    uint32_t module = 0;
    const sema::Symbol* symbol = lookup(object, &module);
    if (symbol == nullptr) return;
    if (symbol->kind == sema::SymbolKind::Import && symbol->module >= 0) {
      const sema::CheckedModule& target = checked_->modules[static_cast<size_t>(symbol->module)];
      for (const sema::Symbol& member : target.symbols) {
        if (member.kind == sema::SymbolKind::Let || member.kind == sema::SymbolKind::Import) {
          continue;  // private to that module
        }
        add({member.name, item_kind(member.kind), checked_->types.to_string(member.type), "", "",
             false});
      }
      return;
    }
    if (symbol->kind == sema::SymbolKind::Enum) {
      if (const sema::EnumInfo* info = checked_->enumeration(symbol->type)) add_enum(*info);
      return;
    }
    if (const sema::SchemaInfo* schema = checked_->schema(checked_->types.core(symbol->type))) {
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
    std::string_view head = ident_before(c_.text, head_end, &name_begin);
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
      sema::TypeId type = checked_->types.core(field->type);
      if (const sema::EnumInfo* info = checked_->enumeration(type)) {
        add_enum(*info);
        return true;
      }
      if (checked_->types.kind(type) == sema::TypeKind::Bool) {
        add({"true", kKeyword, "bool", "", "", false});
        add({"false", kKeyword, "bool", "", "", false});
        return true;
      }
      return false;  // any expression: names in scope
    }
    add_fields(*schema, true);
    return true;
  }

  void names_in_scope() {
    if (checked_ == nullptr) return;
    std::vector<uint32_t> modules = {checked_->program->root};
    if (checked_->program->prelude >= 0) {
      modules.push_back(static_cast<uint32_t>(checked_->program->prelude));
    }
    for (uint32_t m : modules) {
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
      }
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
