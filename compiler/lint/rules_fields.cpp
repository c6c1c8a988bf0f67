// Fields: deprecated fields that are set (the checker's E0306 warnings, taken over so that the
// lint configuration governs them, with a rename fix when the deprecation names a replacement of
// the same type), and secrets written as literals.
#include <fmt/format.h>

#include <cctype>

#include "compiler/lint/bodies.h"
#include "compiler/sema/types.h"

namespace kc::lint {

namespace {

// `use `machine`` -> "machine": the field a deprecation message names as the replacement.
std::optional<std::string> replacement_named(std::string_view why) {
  size_t use = why.find("use `");
  if (use == std::string_view::npos) return std::nullopt;
  size_t begin = use + 5;
  size_t end = why.find('`', begin);
  if (end == std::string_view::npos || end == begin) return std::nullopt;
  std::string name(why.substr(begin, end - begin));
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return std::nullopt;
  }
  return name;
}

bool body_sets(const ast::File& file, const ast::Body& body, std::string_view field) {
  for (const ast::BodyItem& item : body.items) {
    if (const auto* assign = std::get_if<ast::FieldAssign>(&item.node)) {
      std::optional<ast::Name> key = ast::static_label(file, assign->key);
      if (!key || key->text == field) return true;  // a computed key may be anything
    } else if (const auto* block = std::get_if<ast::LabelledBlock>(&item.node)) {
      if (block->field.text == field) return true;
    } else {
      return true;  // generators may set it
    }
  }
  return false;
}

// Whether every value the deprecated field takes here fits the replacement: its type (without
// the optional around it) is the replacement's or narrower, and the value is not a literal null.
bool holds_for(const Context& context, const sema::FieldInfo& field, const sema::FieldInfo& target,
               const ast::File& file, ast::ExprId value) {
  if (std::holds_alternative<ast::NullLit>(file.expr(value).node)) return false;
  const sema::TypeTable& types = context.checked().types;
  sema::TypeId from = field.type;
  if (types.kind(from) == sema::TypeKind::Optional) from = types.get(from).element;
  return from == target.type || sema::narrower_or_same(types, from, target.type);
}

// The rename fix for a deprecated field set at `key_span`, when it is safe: the replacement exists,
// is not deprecated itself, has the same type, and the body does not set it already.
void rename_fix(const Context& context, source::Span key_span, diag::Diagnostic& finding) {
  for (uint32_t m : context.modules()) {
    const auto& files = context.checked().source(m).files;
    for (uint32_t f = 0; f < files.size(); ++f) {
      const ast::File& file = *files[f];
      if (file.file != key_span.file) continue;
      std::vector<BodyKind> kinds = classify_bodies(context, m, f);
      for (size_t b = 0; b < file.bodies.size(); ++b) {
        const sema::SchemaInfo* schema = kinds[b].schema;
        if (schema == nullptr) continue;
        for (const ast::BodyItem& item : file.bodies[b].items) {
          const auto* assign = std::get_if<ast::FieldAssign>(&item.node);
          if (assign == nullptr || !(assign->key.span == key_span)) continue;
          std::optional<ast::Name> key = ast::static_label(file, assign->key);
          const sema::FieldInfo* field = key ? schema->find_field(key->text) : nullptr;
          if (field == nullptr || !field->deprecated) return;
          std::optional<std::string> name = replacement_named(*field->deprecated);
          const sema::FieldInfo* target = name ? schema->find_field(*name) : nullptr;
          if (target == nullptr || target->deprecated || body_sets(file, file.bodies[b], *name) ||
              !holds_for(context, *field, *target, file, assign->value)) {
            return;
          }
          finding.with_fix(fmt::format("rename to `{}`", *name), key_span, *name);
          return;
        }
      }
    }
  }
}

void deprecated(const Context& context, Reporter& out) {
  for (const diag::Diagnostic& warning : context.compile().all()) {
    if (!warning.rule.empty() || warning.code != diag::Code::E0306) continue;
    diag::Diagnostic& finding = out.report(Rule::DeprecatedField, warning.span, warning.message);
    finding.label = warning.label;
    finding.secondary = warning.secondary;
    finding.notes = warning.notes;
    rename_fix(context, warning.span, finding);
  }
}

// ---- secret-literal ----

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Whether a name says it holds a secret: its last `_`-separated word is one of the words below,
// or its last two are `api_key`, `access_key`, `secret_key`, `private_key`.
bool secret_name(std::string_view name) {
  std::string text = lower(name);
  for (char& c : text) {
    if (c == '-' || c == '.') c = '_';
  }
  size_t last = text.rfind('_');
  std::string word = last == std::string::npos ? text : text.substr(last + 1);
  for (const char* secret :
       {"password", "passwd", "passphrase", "secret", "token", "credential", "credentials"}) {
    if (word == secret) return true;
  }
  if (word == "key" && last != std::string::npos) {
    size_t before = text.rfind('_', last - 1);
    std::string previous = text.substr(before == std::string::npos ? 0 : before + 1,
                                       last - (before == std::string::npos ? 0 : before + 1));
    for (const char* kind : {"api", "access", "secret", "private"}) {
      if (previous == kind) return true;
    }
  }
  return word == "apikey";
}

// A non-empty string written out in the source (no interpolation, no call).
bool literal(const ast::File& file, ast::ExprId id) {
  if (!id.valid()) return false;
  const ast::Expr& expr = file.expr(id);
  if (const auto* paren = std::get_if<ast::Paren>(&expr.node)) return literal(file, paren->inner);
  const auto* text = std::get_if<ast::StringLit>(&expr.node);
  if (text == nullptr) return false;
  for (char c : text->value) {
    if (c != ' ' && c != '\t' && c != '\n') return true;
  }
  return false;
}

// `why` says what makes the value a secret: "`credentials` is marked @secret".
void report_secret(Reporter& out, const ast::File& file, ast::ExprId value, std::string_view name,
                   std::string_view why) {
  out.report(Rule::SecretLiteral, file.expr(value).span,
             fmt::format("`{}` is set from a literal, but {}", name, why))
      .with_label("this secret is in the source")
      .with_note(
          "read it from a param (`--var`, `KC_VAR_...`) or with `file()` from a file kept "
          "out of version control");
}

void secrets(const Context& context, Reporter& out) {
  for (uint32_t m : context.modules()) {
    const auto& files = context.checked().source(m).files;
    for (uint32_t f = 0; f < files.size(); ++f) {
      const ast::File& file = *files[f];
      std::vector<BodyKind> kinds = classify_bodies(context, m, f);
      for_each_assignment(
          file, kinds,
          [&](const ast::BodyItem&, const ast::FieldAssign& assign, const BodyKind& kind) {
            std::optional<ast::Name> key = ast::static_label(file, assign.key);
            if (!key || !literal(file, assign.value)) return;
            if (kind.schema != nullptr) {
              const sema::FieldInfo* field = kind.schema->find_field(key->text);
              if (field != nullptr && field->secret) {
                report_secret(out, file, assign.value, key->text, "it is marked @secret");
                return;
              }
            }
            if (kind.resource != nullptr) {
              const sdk::AttributeSchema* attribute = kind.resource->find(key->text);
              if (attribute != nullptr && attribute->sensitive) {
                report_secret(out, file, assign.value, key->text,
                              "the provider marks it sensitive");
                return;
              }
            }
            if (kind.provider != nullptr) {
              for (const sdk::AttributeSchema& attribute : kind.provider->config) {
                if (attribute.name == key->text && attribute.sensitive) {
                  report_secret(out, file, assign.value, key->text,
                                "the provider marks it sensitive");
                  return;
                }
              }
            }
            if (secret_name(key->text))
              report_secret(out, file, assign.value, key->text, "its name says it is a secret");
          });
      for (const ast::Decl& decl : file.decls) {
        if (const auto* let = std::get_if<ast::Let>(&decl.node)) {
          if (secret_name(let->name.text) && literal(file, let->value)) {
            report_secret(out, file, let->value, let->name.text, "its name says it is a secret");
          }
        } else if (const auto* exported = std::get_if<ast::Export>(&decl.node)) {
          if (secret_name(exported->name.text) && literal(file, exported->value)) {
            report_secret(out, file, exported->value, exported->name.text,
                          "its name says it is a secret");
          }
        } else if (const auto* param = std::get_if<ast::Param>(&decl.node)) {
          if (param->default_value && secret_name(param->name.text) &&
              literal(file, *param->default_value)) {
            report_secret(out, file, *param->default_value, param->name.text,
                          "its name says it is a secret");
          }
        } else if (const auto* schema = std::get_if<ast::Schema>(&decl.node)) {
          for (const ast::SchemaItem& item : schema->items) {
            const auto* field = std::get_if<ast::FieldDecl>(&item.node);
            if (field == nullptr || !field->default_value) continue;
            bool marked = false;
            for (const ast::Annotation& annotation : field->annotations) {
              if (annotation.name.text == "secret") marked = true;
            }
            if ((marked || secret_name(field->name.text)) && literal(file, *field->default_value)) {
              report_secret(out, file, *field->default_value, field->name.text,
                            "it holds a secret");
            }
          }
        }
      }
    }
  }
}

}  // namespace

void field_rules(const Context& context, Reporter& out) {
  deprecated(context, out);
  secrets(context, out);
}

}  // namespace kc::lint
