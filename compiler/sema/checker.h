// The checker's state and its methods, shared by the files that implement it (check*.cpp). Internal
// to compiler/sema: the rest of the compiler calls sema::check() (check.h). Single-threaded.
#pragma once

#include <fmt/format.h>

#include <functional>
#include <tuple>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/check.h"
#include "compiler/sema/checked.h"
#include "compiler/sema/operators.h"
#include "compiler/sema/program.h"
#include "providers/sdk/schema.h"

namespace kc::sema {

using ast::ExprId;
using diag::Code;
using source::Span;

inline std::string ticked(std::string_view text) {
  return fmt::format("`{}`", text);
}

// `a`, `b`, `c`: names ticked and joined with commas.
inline std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names)
    out += (out.empty() ? "" : ", ") + ticked(name);
  return out;
}

std::string_view kind_word(SymbolKind kind);
// The kind with its article, for messages: "an export", "a `let`".
std::string a_kind(SymbolKind kind);

class Checker {
 public:
  Checker(const Program& program, const sdk::SchemaSource& schemas, diag::Diagnostics& diags,
          CheckedProgram& out, const PriorCheck* prior)
      : program_(program),
        schemas_(schemas),
        diags_(diags),
        out_(out),
        types_(out.types),
        prior_(prior) {}

  void run();

 private:
  enum class State : uint8_t { Unvisited, InProgress, Done };
  // A declaration: a module and the index of its symbol.
  struct Declared {
    uint32_t module = 0;
    uint32_t symbol = 0;
  };

  const ast::File& file(uint32_t m, uint32_t f) const { return *program_.modules[m].files[f]; }

  void declare(uint32_t m);
  // Takes the modules `prior_` lends: copied with their types, marked typed, and their
  // diagnostics reported again. Sets carried_.
  void carry_prior();
  // Per module, the modules whose declarations its code can meet: itself, its imports, the
  // prelude, and theirs.
  void find_visible_modules();

  void report_duplicate(std::string_view what, const std::string& name, Span at, Span first);

  TypeId symbol_type(uint32_t m, uint32_t s);
  void report_alias_cycle(uint32_t m, uint32_t s);

  // Types a function: its parameters (defaults against their types, with no parameter in scope),
  // then its body with the parameters in scope, against the declared result type if any.
  TypeId function(uint32_t m, uint32_t f, uint32_t s, const ast::Fn& fn);

  // Types `expr` with `expected` pushed down and reports E0301 when the result does not fit;
  // `declared` (when valid) is where the expectation comes from, shown as a secondary label.
  void check_against(uint32_t m, uint32_t f, ExprId expr, TypeId expected, Span declared = {},
                     std::string_view declared_what = {});

  // ---- declarations (check_decls.cpp) ----
  TypeId resolve_type(uint32_t m, uint32_t f, ast::TypeExprId id);
  TypeId named_type(uint32_t m, const ast::QualifiedName& name);
  TypeId range_type(uint32_t m, uint32_t f, const ast::TypeExpr& t);
  // A range bound: a literal, possibly negated, of the refined type's kind.
  std::optional<sdk::Value> bound_value(uint32_t m, uint32_t f, ExprId id, TypeId base);
  TypeId alias_type(uint32_t m, uint32_t f, uint32_t s, const ast::TypeAlias& alias);
  void declare_enum(uint32_t m, uint32_t s, const ast::Enum& node);
  // Fields, lets (untyped yet) and checks of a schema, its parent's first. Idempotent.
  const SchemaInfo& schema_fields(uint32_t m, uint32_t s);
  const SchemaInfo& schema_of(TypeId schema) {
    const Type& t = types_.get(schema);
    return schema_fields(t.module_index, t.symbol);
  }
  // Types the defaults, lets and checks a schema declares itself (its parent does its own).
  void schema_bodies(uint32_t m, uint32_t s);
  // The type of a schema's `let`, inferred on first use with the instance's names in scope.
  TypeId schema_let_type(uint32_t m, uint32_t s, size_t index);
  void check_lines(uint32_t m, uint32_t f, const ast::CheckBlock& block,
                   std::vector<SchemaCheck>& out);
  void runtime_blocks(uint32_t m);
  void check_provider(uint32_t m, uint32_t f, const ast::Provider& provider);
  void check_backend(uint32_t m, uint32_t f, const ast::Backend& backend);
  // Checks the static `key = value` items of a config body against `attributes`.
  void check_config(uint32_t m, uint32_t f, ast::BodyId body,
                    const std::vector<sdk::AttributeSchema>& attributes, std::string_view what);

  TypeId infer(uint32_t m, uint32_t f, ExprId id, std::optional<TypeId> expected);

  TypeId infer_uncached(uint32_t m, uint32_t f, ExprId id, std::optional<TypeId> expected);

  std::string quoted_type(TypeId type) const { return ticked(types_.to_string(type)); }

  TypeId unary(uint32_t m, uint32_t f, const ast::Unary& node);

  TypeId binary(uint32_t m, uint32_t f, const ast::Binary& node, std::optional<TypeId> expected);
  // Whether an enum that module `m` can meet has a member called `name`.
  bool names_enum_member(uint32_t m, std::string_view name) const;
  void hint_parent_schema(TypeId actual, TypeId expected, diag::Diagnostic& d);
  void hint_any(TypeId expected, diag::Diagnostic& d);
  void hint_enum_string(uint32_t m, uint32_t f, ExprId expr, TypeId expected, diag::Diagnostic& d);

  TypeId if_else(uint32_t m, uint32_t f, const ast::IfElse& node, std::optional<TypeId> expected);

  TypeId index(uint32_t m, uint32_t f, const ast::Index& node);
  TypeId record_index(uint32_t m, uint32_t f, const ast::Index& node, TypeId object);

  // Binds the names of a comprehension's clauses, in order, as locals_ (the caller pops them).
  void clauses(uint32_t m, uint32_t f, const std::vector<ast::CompClause>& clauses);

  // `object with { ... }`: an untyped record (a map by LANGUAGE.md 3) or a map with entries
  // replaced or added; the result's type follows the new values.
  TypeId with(uint32_t m, uint32_t f, const ast::With& node);

  // The type `expected` asks of its elements (values, for a map) when it is of `kind`.
  std::optional<TypeId> expected_element(std::optional<TypeId> expected, TypeKind kind) const;

  size_t clause_names(const std::vector<ast::CompClause>& clauses) const;

  TypeId list_comp(uint32_t m, uint32_t f, const ast::ListComp& node,
                   std::optional<TypeId> expected);

  TypeId map_comp(uint32_t m, uint32_t f, const ast::MapComp& node, std::optional<TypeId> expected);

  // A call of a built-in function; calls of anything else are reported by report_unchecked.
  TypeId call(uint32_t m, uint32_t f, Span span, const ast::Call& node);

  TypeId function_call(uint32_t m, uint32_t f, const ast::Call& node, const ast::Name& name,
                       Declared fn);
  std::string signature_text(Declared fn) const;
  void hint_hidden_builtin(const std::string& name, diag::Diagnostic& d);

  TypeId interpolated(uint32_t m, uint32_t f, const ast::InterpolatedString& node);

  // A string literal where a domain type is expected is that type, parsed at check time
  // (LANGUAGE.md 2): `pod_cidr = "fd00:10::/56"`.
  TypeId string_literal(const ast::StringLit& lit, Span span, std::optional<TypeId> expected);

  TypeId common_type(TypeId a, TypeId b) { return sema::common_type(types_, a, b); }

  TypeId list_literal(uint32_t m, uint32_t f, const ast::ListLit& list,
                      std::optional<TypeId> expected);

  // ---- bodies (check_bodies.cpp) ----
  void check_keyed_value(uint32_t m, uint32_t f, ExprId value, std::optional<TypeId> want,
                         TypeId* type);
  TypeId record_literal(uint32_t m, uint32_t f, ExprId id, const ast::RecordLit& record,
                        std::optional<TypeId> expected);
  // Calls `on_item` for every field assignment, labelled block and resource item of a body,
  // including those that `for` and `if` generators produce (with their variables in scope);
  // `generated` says whether the item stands inside a generator.
  using ItemHandler = std::function<void(const ast::BodyItem&, bool generated)>;
  void walk_body(uint32_t m, uint32_t f, ast::BodyId id, const ItemHandler& on_item,
                 bool generated = false);
  // The key and value types a `for` over `iterable` binds.
  std::pair<TypeId, TypeId> iteration_types(uint32_t m, uint32_t f, ExprId iterable, bool has_key);
  // What an instance body has set so far. The schema is re-read through the module on each use:
  // typing values may add schemas to the map that holds it.
  struct InstanceScan {
    uint32_t module = 0;
    uint32_t symbol = 0;
    std::set<std::string> assigned;
    std::map<std::string, Span> seen;                           // fields set by `=`
    std::map<std::string, std::map<std::string, Span>> labels;  // per map field, static labels
    std::map<std::string, Span> first_block;  // per map field, its first labelled block
    const SchemaInfo& info(const CheckedProgram& program) const {
      return program.modules[module].schemas.at(symbol);
    }
  };
  void instance_assign(uint32_t m, uint32_t f, const ast::FieldAssign& assign, bool generated,
                       InstanceScan& scan);
  void instance_block(uint32_t m, uint32_t f, const ast::LabelledBlock& block, bool generated,
                      InstanceScan& scan);
  void report_missing_fields(const InstanceScan& scan, Span at);
  // A body as an instance of `schema`; `key_given` when a map key or block label fills @key.
  TypeId instance_body(uint32_t m, uint32_t f, ast::BodyId id, TypeId schema, bool key_given,
                       Span at);
  TypeId map_body(uint32_t m, uint32_t f, ast::BodyId id, TypeId element);
  TypeId untyped_body(uint32_t m, uint32_t f, ast::BodyId id);
  // A label or key written as a string: checks its interpolations; nullopt when not static.
  std::optional<ast::Name> label_text(uint32_t m, uint32_t f, const ast::Label& label);
  // Whether values of `type` are schema instances with a @key field.
  bool keyed_schema(TypeId type);
  void reject_item(uint32_t m, uint32_t f, const ast::BodyItem& item, std::string_view where);
  void unknown_field(const ast::Name& name, const SchemaInfo& info);
  void set_both_ways(const std::string& field, Span at, Span first);
  void derived_not_settable(const ast::Name& name, const SchemaInfo& info, const SchemaLet& let);

  // A `key = value` item of a body whose key is known without evaluation.
  struct Field {
    ast::Name name;
    ExprId value;
  };

  // The checked items of a body; report_unchecked has reported the others.
  std::vector<Field> fields(uint32_t m, uint32_t f, ast::BodyId id) const;

  // Records a field as set; reports E0305 and returns false when it was set before.
  bool note_field(std::map<std::string, Span>& seen, const Field& item, std::string_view what);

  // ---- names (check_names.cpp) ----
  // A module-level name seen from module `m`: its own declarations, then the prelude's.
  std::optional<Declared> lookup(uint32_t m, std::string_view name) const;
  std::vector<std::string> visible_names(uint32_t m) const;
  // `Name` or `mod.Name` naming a declaration; reports E0201 when `report` and not found.
  std::optional<Declared> lookup_qualified(uint32_t m, const ast::QualifiedName& name, bool report);
  // A NameRef or Member chain (`Tier`, `net.subnet`, `mod.Tier`) that names a declaration rather
  // than a value: nullopt when it names a value (a local, an instance name, a let, ...).
  std::optional<Declared> static_path(uint32_t m, uint32_t f, ExprId id);
  const Symbol& symbol(Declared d) const { return out_.modules[d.module].symbols[d.symbol]; }
  // Whether `name` is bound by a local or the instance being checked (they shadow declarations).
  bool bound_locally(std::string_view name);
  // A bare enum member where `expected` asks for that enum; nullopt when `name` is not one.
  std::optional<TypeId> contextual_member(uint32_t m, uint32_t f, ExprId id, std::string_view name,
                                          std::optional<TypeId> expected);
  bool unknown_enum_name(uint32_t m, const ast::Name& name, std::optional<TypeId> expected);
  TypeId self_ref(Span at);
  TypeId name_ref(uint32_t m, uint32_t f, ExprId id, const ast::NameRef& ref,
                  std::optional<TypeId> expected);

  TypeId member(uint32_t m, uint32_t f, ExprId id, const ast::Member& node);
  TypeId schema_member(uint32_t m, TypeId schema, const ast::Name& name);

  TypeId unknown_member(Code code, Span at, const std::string& name, std::string message,
                        const std::vector<std::string>& candidates);
  // unknown_member() that lists the candidates (`listed_as`: "fields of `Pool`") when none is
  // close enough to suggest.
  TypeId unknown_listed(Code code, Span at, const std::string& name, std::string message,
                        const std::vector<std::string>& candidates, std::string_view listed_as);

  TypeId resource(uint32_t m, uint32_t f, const ast::ResourceExpr& node);

  void check_depends_on(uint32_t m, uint32_t f, const Field& item);

  // `lifecycle { ... }`, `rollout { ... }`, `hooks { ... }`: a block of known typed fields.
  void check_meta_block(uint32_t m, uint32_t f, const Field& item,
                        const std::vector<std::pair<std::string, TypeId>>& known);
  void check_hooks(uint32_t m, uint32_t f, const Field& item, const sdk::ResourceSchema& schema);
  void check_ignore_changes(uint32_t m, uint32_t f, const Field& item,
                            const sdk::ResourceSchema& schema);

  // ---- navigation records (check_uses.cpp): CheckedModule::uses, nothing else ----
  // Records `use` in module `m`'s file that holds `use.span` (no-op for spans outside `m`).
  void note_use(uint32_t m, NameUse use);
  void note_symbol_use(uint32_t m, Span at, Declared target);
  void note_member_use(uint32_t m, Span at, NameUse::Kind kind, uint32_t owner_module,
                       uint32_t owner_symbol, const std::string& member);
  // A field or `let` of the schema type `schema` named at `at`.
  void note_schema_member(uint32_t m, Span at, TypeId schema, const std::string& member);

  const Program& program_;
  const sdk::SchemaSource& schemas_;
  diag::Diagnostics& diags_;
  CheckedProgram& out_;
  TypeTable& types_;
  const PriorCheck* prior_;
  std::vector<bool> carried_;                   // per module: taken from prior_, not checked
  std::vector<std::vector<uint32_t>> visible_;  // per module: find_visible_modules()
  std::vector<std::vector<State>> states_;
  bool module_allowed_ = false;
  // Comprehension variables in scope, innermost last; name lookups try them first.
  std::vector<std::pair<std::string, TypeId>> locals_;
  // The schema whose defaults, lets and checks are being typed: its fields and lets are in scope.
  std::optional<Declared> instance_;
  // The type of `self` inside a check block; nullopt elsewhere.
  std::optional<TypeId> self_type_;
  // Brace literals (module, file, expression) that a map key gives their @key field.
  std::set<std::tuple<uint32_t, uint32_t, uint32_t>> keyed_exprs_;
  // Type aliases being resolved, outermost first: the chain an alias cycle reports.
  std::vector<std::pair<uint32_t, uint32_t>> aliases_;
  std::map<std::pair<uint32_t, uint32_t>, State> schema_states_;  // schema_fields()
  std::map<std::pair<uint32_t, uint32_t>, State> body_states_;    // schema_bodies()
  std::map<std::tuple<uint32_t, uint32_t, size_t>, State> let_states_;
  int depth_ = 0;  // nesting of infer(), bounded by kMaxDepth
  bool depth_reported_ = false;
};

}  // namespace kc::sema
