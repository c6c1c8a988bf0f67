// The evaluator's state and methods, shared by the files that implement it (evaluate*.cpp).
// Internal to compiler/eval: the rest of the compiler calls eval::evaluate() (evaluate.h).
#pragma once

#include <fmt/format.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "compiler/eval/builtins.h"
#include "compiler/eval/evaluate.h"
#include "compiler/eval/operators.h"
#include "compiler/sema/checked.h"

namespace kc::eval {

using ast::ExprId;
using diag::Code;
using sdk::Value;
using sema::TypeKind;
using source::Span;
// What a value was computed from: the addresses of the resources it read, and kSecretSource when it
// read a @secret field or a sensitive resource attribute (so a copy of a secret stays secret).
using Deps = std::set<std::string>;
inline constexpr const char* kSecretSource = "\x01secret";
using Result = std::optional<Value>;  // nullopt: failed, already reported

// A label or key as it stands in an address: quoted, with `"` and `\` escaped
// (`sim.machine["a\"b"]`), so that every address reads back one way.
std::string address_key(const std::string& label);
// `path.key` for a key that is an identifier, else `path["key"]`.
std::string path_member(const std::string& path, const std::string& key);

// How secrets print (LANGUAGE.md 4, 8a).
inline constexpr const char* kSensitive = "(sensitive)";

// What the evaluator knows of a value it built: the schema of an instance (which may be a child of
// the declared one), and the fields or resource attributes that hold secrets (@secret fields,
// fields computed from a secret, attributes the provider marks sensitive).
struct BuiltAs {
  std::optional<sema::TypeId> schema;
  std::set<std::string> secret;
};
using BuiltAsFn = std::function<BuiltAs(const Value&)>;
// `value` with every secret field of the schemas in `type` (and every secret that `built_as`
// names) replaced by kSensitive.
Value redact(const sema::CheckedProgram& program, const Value& value, sema::TypeId type,
             const BuiltAsFn& built_as = {});

inline std::string ticked(std::string_view text) {
  return fmt::format("`{}`", text);
}

class Evaluator {
 public:
  Evaluator(const sema::CheckedProgram& program, const sdk::SchemaSource& schemas,
            const EvalInputs& inputs, diag::Diagnostics& diags)
      : program_(program), schemas_(schemas), inputs_(inputs), diags_(&diags) {
    cells_.resize(program.modules.size());
    for (size_t m = 0; m < program.modules.size(); ++m) {
      cells_[m].resize(program.modules[m].symbols.size());
    }
  }

  DesiredState run();

 private:
  enum class State : uint8_t { Pending, Running, Done, Failed };
  struct Cell {
    State state = State::Pending;
    Value value;
    Deps deps;
  };

  const ast::File& file(uint32_t m, uint32_t f) const { return *program_.source(m).files[f]; }
  bool is_std(uint32_t m) const;

  // Every --var for a name the root module does not declare as a param is an error: a typo there
  // would otherwise silently leave the default in place.
  void check_param_inputs(uint32_t root);

  void add_deps(const Deps& deps);

  Result symbol_value(uint32_t m, uint32_t s, Span use);

  void report_cycle(uint32_t m, uint32_t s, Span use);

  Result compute_symbol(uint32_t m, uint32_t s);

  // ---- params (evaluate_inputs.cpp) ----
  Result param_value(uint32_t m, const sema::Symbol& symbol, const ast::Param& param);
  Result given_param(const sema::Symbol& symbol, const ParamInput& input);
  // A value given on the command line or in a var file, as `type`.
  Result input_value(const Value& value, sema::TypeId type, Span at, std::string* error);
  Result input_member(const Value& value, sema::TypeId type, std::string* error);
  Result input_instance(const Value& value, sema::TypeId type, Span at, std::string* error);

  sema::TypeId type_of(uint32_t m, uint32_t f, ExprId id) const;

  Result expr(uint32_t m, uint32_t f, ExprId id);
  Result expr_node(uint32_t m, uint32_t f, ExprId id);

  // The innermost comprehension variable called `name` (the checker resolved the NameRef to one).
  Result local(const std::string& name) const;

  // Runs `body` once per combination of the clauses from `at` on, with their names bound. False
  // when evaluation failed (already reported). An unknown iterable or condition sets
  // unknown_iteration_: the comprehension's value is then unknown as a whole.
  template <typename Body>
  bool comprehend(uint32_t m, uint32_t f, const std::vector<ast::CompClause>& clauses, size_t at,
                  Body&& body);

  Result map_comp(uint32_t m, uint32_t f, const ast::MapComp& comp);

  // `object with { ... }`: a copy of the record or map with the body's entries replaced or added.
  Result with(uint32_t m, uint32_t f, const ast::With& node);

  // Reports an operator's failure (E0403) at the operator.
  Result op_result(OpResult result, Span at);

  Result unary(uint32_t m, uint32_t f, const ast::Unary& node);

  Result binary(uint32_t m, uint32_t f, const ast::Binary& node);

  Result if_else(uint32_t m, uint32_t f, const ast::IfElse& node);

  Result index(uint32_t m, uint32_t f, const ast::Index& node);
  Result element_at(uint32_t m, uint32_t f, const ast::Index& node, const Result& object,
                    const Result& key);
  // The address of the resource whose value this is (the same storage), or nullptr.
  const std::string* resource_address(const Value& value) const;

  // A built-in call (the checker let no other call through).
  Result call(uint32_t m, uint32_t f, Span span, const ast::Call& node);

  // Calls a function: missing arguments take their defaults (evaluated without the parameters in
  // scope, as the checker typed them), then the body runs with the parameters as locals.
  Result function_call(uint32_t m, uint32_t s, std::vector<Value> args, const ast::Call& call,
                       uint32_t call_m, uint32_t call_f);
  // Runs the body of a function; for a standard-library function called from user code, its
  // errors are reported at the call, since the library's files are not the user's to read.
  Result function_body(uint32_t m, const sema::Symbol& symbol, const ast::Fn& fn, Span call,
                       bool from_user);

  Result interpolated(uint32_t m, uint32_t f, const ast::InterpolatedString& node);

  // The `key = value` items of a body, keys known without evaluation; the checker rejected any
  // other item, so evaluation never meets one.
  std::vector<std::pair<std::string, ExprId>> fields(uint32_t m, uint32_t f, ast::BodyId id) const;

  Result member(uint32_t m, uint32_t f, ExprId id, const ast::Member& node);
  Deps member_deps(const Value& object, const std::string& name, const Deps& object_deps) const;

  // ---- bodies (evaluate_bodies.cpp) ----
  // Calls `on_item` for each field assignment, labelled block and resource item, running `for`
  // and `if` generators with their variables bound. False when evaluation failed.
  using ItemFn = std::function<bool(const ast::BodyItem&)>;
  bool walk_body(uint32_t m, uint32_t f, ast::BodyId id, const ItemFn& on_item);
  // The text of a label or key; nullopt when it failed or is not known yet (reported).
  std::optional<std::string> label_value(uint32_t m, uint32_t f, const ast::Label& label);
  // A brace literal, by the type the checker gave it.
  Result record_literal(uint32_t m, uint32_t f, ExprId id, const ast::RecordLit& record);
  Result keyed_value(uint32_t m, uint32_t f, ExprId value, const std::string& key);
  // A map body: entries in order; values of a keyed schema get their key.
  Result map_body(uint32_t m, uint32_t f, ast::BodyId id, sema::TypeId element);
  // An untyped body: a record (static keys) or a map.
  Result record_body(uint32_t m, uint32_t f, ast::BodyId id);
  // Reports an entry or field set twice (E0305) at both places.
  // `of` follows the name: " of `pools`" for an entry of a map field.
  void report_set_twice(std::string_view what, const std::string& name, Span at, Span first,
                        std::string_view of = {});

  // ---- schema instances (evaluate_instances.cpp) ----
  // A field or let of an instance under construction; evaluated on first read.
  struct Slot {
    enum class State : uint8_t { Unset, Set, Running, Done, Failed };
    State state = State::Unset;
    Value value;
    Span set_at;                  // where the body set it
    bool set_by_default = false;  // `with` kept a value that came from the default at set_at
    Deps deps;  // the resources the value was computed from: its readers depend on them
  };
  struct Instance {
    const sema::SchemaInfo* info = nullptr;
    std::vector<Slot> fields;
    std::vector<Slot> lets;
    std::string path;  // the owner path of resources it creates: `prod.node_pool["app"]`
    std::vector<std::string> running;  // fields and lets being computed, for cycle messages
  };
  Instance new_instance(const sema::SchemaInfo& info, std::string path) const;
  // Builds an instance of `schema` from a body; `key` fills the @key field.
  Result build_instance(uint32_t m, uint32_t f, ast::BodyId id, sema::TypeId schema,
                        std::optional<std::string> key, Span at, const std::string& path);
  // Fills unset fields from defaults, reports missing ones, evaluates lets and runs checks.
  Result finish_instance(Instance& instance, Span at);
  Result slot_value(Instance& instance, bool let, size_t index, Span use);
  void report_slot_cycle(const Instance& instance, const std::string& name, Span use);
  // A bare name the checker resolved to a field or let of the instance being built.
  Result instance_name(const std::string& name, Span use);
  // `instance with { ... }`: fields replaced, lets and checks computed again.
  Result with_instance(uint32_t m, uint32_t f, const ast::With& node, const Value& object,
                       sema::TypeId schema);
  // A `let` of a finished instance, read as `instance.name`.
  Result instance_let(const Value& instance, sema::TypeId schema, const std::string& name,
                      Span use);
  // Runs the scope change for code written in a schema (defaults, lets, checks): no locals, the
  // instance's names and path in scope.
  template <typename Fn>
  Result in_instance(Instance& instance, Fn&& fn);

  // Prepares a value stored where `type` is declared: ints widen to floats, then ranges (E0304)
  // and alias checks (E0401) are checked, through lists, maps and optionals. `at` is the value's
  // expression; false when a check failed.
  bool conform(Value& value, sema::TypeId type, Span at);
  // conform() for the value of expression `id`: elements of a list written out are checked (and
  // reported) where each is written.
  bool conform_at(Value& value, sema::TypeId type, uint32_t m, uint32_t f, ExprId id);
  // `from`: where the value was computed, when that is not `at` (provenance).
  bool conform_stored(const Value& value, sema::TypeId type, Span at, Span from = {});
  bool conform_written(const Value& value, sema::TypeId type, uint32_t m, uint32_t f, ExprId id);
  // Ints where `type` has floats become floats (LANGUAGE.md 3: ints widen to floats).
  Value widened(const Value& value, sema::TypeId type);
  bool widens(sema::TypeId type);
  void report_out_of_range(const Value& value, sema::TypeId type, Span at,
                           const std::string& broken, Span from = {});
  static std::optional<std::string> shown(const Value& value);
  // ---- provenance (evaluate_provenance.cpp) ----
  // Where the value of expression `id` was computed, followed through names; invalid when it is
  // computed right there (or came from outside, which a note says).
  Span origin_of(uint32_t m, uint32_t f, ExprId id) const;
  Span slot_origin(const Instance& instance, bool let, size_t index) const;
  // Secondary labels on a failed check: each field it read, its value and where it was set.
  void explain_check_reads(diag::Diagnostic& d, const Instance& instance,
                           const std::vector<std::string>& reads) const;
  // The fields and lets of `instance` that the check being run reads, in order.
  struct CheckReads {
    const Instance* instance = nullptr;
    std::vector<std::string> names;
  };

  // Runs checks with `self` bound; a failure is E0401 at `at`. For a schema's checks `instance`
  // is the instance, whose fields a failure explains.
  bool run_checks(const std::vector<sema::SchemaCheck>& checks, const Value& self, Span at,
                  std::string_view subject, const Instance* instance = nullptr);

  Result resource(uint32_t m, uint32_t f, const ast::Expr& node, const ast::ResourceExpr& res);
  void report_duplicate_address(const std::string& address, Span at, Span call, Span first,
                                Span first_call);

  // What a reference to the resource reads: its inputs, and its outputs as stored (or Unknown).
  Value resource_value(const sdk::ResourceSchema& schema, const std::string& address,
                       const sdk::Entries& inputs);

  static void read_lifecycle(const Value& value, Lifecycle& lifecycle);
  static void read_rollout(const Value& value, Rollout& rollout);
  bool rollout_in_range(uint32_t m, uint32_t f, ExprId block, const Value& rollout);
  static void read_hooks(const Value& value,
                         std::map<std::string, std::vector<std::string>>& hooks);

  // ---- providers and backends ----
  void configure(uint32_t root);
  void keep_reachable(uint32_t root);

  const sema::CheckedProgram& program_;
  const sdk::SchemaSource& schemas_;
  const EvalInputs& inputs_;
  // Where diagnostics go: the caller's list, or a scratch list while a function of the standard
  // library runs for user code (its errors are then reported at the call).
  diag::Diagnostics* diags_;
  std::vector<std::vector<Cell>> cells_;
  std::vector<Deps*> frames_;
  // Comprehension variables in scope, innermost last.
  std::vector<std::pair<std::string, Value>> locals_;
  bool unknown_iteration_ = false;
  // Results computed by all comprehensions so far; bounded by kMaxComprehensionSteps.
  int64_t comprehension_steps_ = 0;
  std::vector<std::pair<uint32_t, uint32_t>> running_;
  std::set<std::vector<std::pair<uint32_t, uint32_t>>> reported_cycles_;
  std::set<std::string> reported_slot_cycles_;  // `Schema: a -> b -> a`
  // Each address made so far: where its `resource` is, and the innermost call that ran it.
  std::map<std::string, std::pair<Span, Span>> addresses_;
  // The calls of functions being run, innermost last.
  std::vector<Span> calls_;
  // Instances being built, innermost last; defaults, lets and checks read the last one.
  std::vector<Instance*> instances_;
  // The value `self` stands for in the check being run.
  std::vector<Value> self_;
  // Set while a schema's check runs: what it reads of the instance.
  CheckReads* check_reads_ = nullptr;
  // Brace literals (module, file, expression) that a map key gives their @key field.
  std::map<std::tuple<uint32_t, uint32_t, uint32_t>, std::string> keyed_exprs_;
  // Where a resource created now belongs: `prod`, `prod.node_pool["app"]`; empty at the top.
  std::string path_;
  // The path of the innermost instance being built: the owner of resources created now.
  std::string owner_;
  // What a finished instance knows beyond its fields, by its map storage (kept alive by `keep`):
  // its schema (a child may stand where its parent is declared), its lets, and the resources
  // each field and let was computed from (a reader of one field depends on those alone).
  struct InstanceRecord {
    Value keep;
    sema::TypeId schema;
    std::map<std::string, Value> lets;
    std::map<std::string, Deps> deps;
    // Where each field's value was written, and whether that is the field's default (provenance).
    std::map<std::string, std::pair<Span, bool>> origins;
  };
  std::map<const sdk::Entries*, InstanceRecord> instance_records_;
  const InstanceRecord* record_of(const Value& value) const;
  BuiltAs built_as(const Value& value) const;
  // Whether `value` has a secret field or attribute (with a value) at any depth.
  bool holds_secret(const Value& value) const;
  // Values of resources by their storage (kept alive here), with their addresses.
  struct ResourceRecord {
    Value keep;
    std::string address;
    std::set<std::string> sensitive;  // attributes never printed (DesiredResource::sensitive)
  };
  std::map<const sdk::Entries*, ResourceRecord> resource_values_;
  // Whether a type has floats inside, by TypeId index: -1 not yet known, 0 no, 1 yes.
  std::vector<int8_t> widens_;
  DesiredState out_;
};

}  // namespace kc::eval
