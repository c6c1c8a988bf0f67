// Hints: what makes an error say how to fix it — a misspelt or unqualified enum member, a string
// written for an enum member, a parent instance where a child is expected, `any` stored untyped,
// a built-in hidden by a declaration.
#include "compiler/sema/checker.h"
#include "compiler/sema/suggest.h"

namespace kc::sema {
namespace {

bool is_domain_kind(TypeKind kind) {
  return kind >= TypeKind::Duration && kind <= TypeKind::Cidr;
}

}  // namespace

// `any` is read, not assigned: say which conversion makes it the expected type.
void Checker::hint_any(TypeId expected, diag::Diagnostic& d) {
  TypeKind want = types_.kind(types_.core(expected));
  bool convertible = want == TypeKind::Int || want == TypeKind::Float || want == TypeKind::String ||
                     is_domain_kind(want);
  if (convertible) {
    std::string name = types_.to_string(types_.core(expected));
    d.with_note(
        fmt::format("`any` holds untyped data: convert it first: {}", ticked(name + "(...)")));
  } else {
    d.with_note("`any` holds untyped data: it can be read, but not stored as a typed value");
  }
}

// A parent instance where a child is expected: only the other way round works.
void Checker::hint_parent_schema(TypeId actual, TypeId expected, diag::Diagnostic& d) {
  TypeId want = types_.core(expected);
  if (types_.kind(actual) != TypeKind::Schema || types_.kind(want) != TypeKind::Schema) return;
  for (std::optional<TypeId> p = types_.parent(want); p; p = types_.parent(*p)) {
    if (*p != actual) continue;
    d.with_note(
        fmt::format("{} extends {}: a child is accepted where its parent is expected, "
                    "not a parent where a child is",
                    quoted_type(want), quoted_type(actual)));
    return;
  }
}

// `tier = "app"` where an enum is expected: the member is written without quotes.
void Checker::hint_enum_string(uint32_t m, uint32_t f, ExprId expr, TypeId expected,
                               diag::Diagnostic& d) {
  const EnumInfo* info = out_.enumeration(types_.core(expected));
  const auto* text = std::get_if<ast::StringLit>(&file(m, f).expr(expr).node);
  if (info == nullptr || text == nullptr || !info->has(text->value)) return;
  d.with_fix(fmt::format("write the member without quotes: {}", ticked(text->value)),
             file(m, f).expr(expr).span, text->value);
}

// A declaration or variable named like a built-in function hides it where it is in scope.
void Checker::hint_hidden_builtin(const std::string& name, diag::Diagnostic& d) {
  d.with_note(
      fmt::format("this name hides the built-in function {}: rename the declaration or "
                  "variable",
                  ticked(name)));
}

// An unknown bare name where an enum is expected is a misspelt member; one that is a member of
// an enum nobody expects here needs the enum's name (LANGUAGE.md 3). False when neither applies.
bool Checker::unknown_enum_name(uint32_t m, const ast::Name& name, std::optional<TypeId> expected) {
  TypeId want = expected ? types_.core(*expected) : types_.error();
  if (const EnumInfo* info = out_.enumeration(want)) {
    auto& d = diags_.error(
        Code::E0201, name.span,
        fmt::format("{} is not a member of enum {}", ticked(name.text), ticked(info->name)));
    if (auto best = closest(name.text, info->members)) {
      d.with_label(fmt::format("did you mean {}?", ticked(*best)))
          .with_fix(fmt::format("replace with {}", ticked(*best)), name.span, *best);
    } else {
      d.with_label(fmt::format("{} is expected here", ticked(info->name)));
    }
    d.with_note(fmt::format("the members of {} are {}", ticked(info->name), joined(info->members)));
    return true;
  }
  const EnumInfo* owner = nullptr;
  for (const std::string& visible : visible_names(m)) {
    std::optional<Declared> d = lookup(m, visible);
    if (!d || symbol(*d).kind != SymbolKind::Enum) continue;
    const EnumInfo& info = out_.modules[d->module].enums[d->symbol];
    if (info.has(name.text)) {
      owner = &info;
      break;
    }
  }
  if (owner == nullptr) return false;
  std::string qualified = owner->name + "." + name.text;
  diags_.error(Code::E0201, name.span, fmt::format("unknown name {}", ticked(name.text)))
      .with_label(fmt::format("{} is a member of enum {}, which is not expected here",
                              ticked(name.text), ticked(owner->name)))
      .with_note("a bare member name works only where its enum is expected; elsewhere qualify it")
      .with_fix(fmt::format("write {}", ticked(qualified)), name.span, qualified);
  return true;
}

}  // namespace kc::sema
