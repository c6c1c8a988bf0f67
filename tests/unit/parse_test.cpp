// Unit tests of the parser (compiler/syntax): tree shape for every construct, precedence, literal
// values, spans, doc comments, syntax diagnostics and their recovery, nesting limits on adversarial
// input, SLL/LL agreement, and the --dump=ast rendering.
#include <doctest/doctest.h>

#include <memory>
#include <random>
#include <string>

#include "compiler/syntax/parse.h"

namespace {

using namespace kc;

// One parsed text, with the source manager its spans refer to.
struct Parsed {
  source::SourceManager sources;
  source::FileId id = source::kNoFile;
  syntax::ParseResult result;

  const ast::File& file() const { return result.file; }
  const std::vector<diag::Diagnostic>& diags() const { return result.diagnostics.all(); }
  const ast::Expr& expr(ast::ExprId e) const { return result.file.expr(e); }
  const ast::TypeExpr& type(ast::TypeExprId t) const { return result.file.type(t); }
  const ast::Body& body(ast::BodyId b) const { return result.file.body(b); }
  std::string_view text(source::Span span) const { return sources.text(span); }
  source::LineCol at(source::Span span) const { return sources.file(id).line_col(span.begin); }
  std::string dump(bool positions = true) const {
    return syntax::dump(result.file, sources, syntax::DumpOptions{.positions = positions});
  }

  template <typename T>
  const T& decl(size_t index) const {
    const T* node = std::get_if<T>(&result.file.decls.at(index).node);
    REQUIRE_MESSAGE(node != nullptr, "declaration " << index << " has another kind");
    return *node;
  }

  // The value of declaration `index`, whatever its kind.
  const ast::Expr& value(size_t index) const {
    const ast::Decl& decl = result.file.decls.at(index);
    if (const auto* e = std::get_if<ast::Export>(&decl.node)) return expr(e->value);
    if (const auto* l = std::get_if<ast::Let>(&decl.node)) return expr(l->value);
    if (const auto* o = std::get_if<ast::Output>(&decl.node)) return expr(o->value);
    if (const auto* p = std::get_if<ast::Param>(&decl.node)) return expr(*p->default_value);
    FAIL("declaration has no value");
    return expr(ast::ExprId{0});
  }

  // The items of a record, resource or `with` expression.
  const ast::Body& items_of(const ast::Expr& e) const {
    if (const auto* r = std::get_if<ast::RecordLit>(&e.node)) return body(r->body);
    if (const auto* r = std::get_if<ast::ResourceExpr>(&e.node)) return body(r->body);
    if (const auto* w = std::get_if<ast::With>(&e.node)) return body(w->body);
    FAIL("expression has no body");
    return result.file.bodies.front();
  }

  // The `field = value` item named `name` in a record or resource expression.
  const ast::FieldAssign& field(const ast::Expr& record, std::string_view name) const {
    for (const ast::BodyItem& item : items_of(record).items) {
      const auto* f = std::get_if<ast::FieldAssign>(&item.node);
      if (f != nullptr && f->key.ident && f->key.ident->text == name) return *f;
    }
    FAIL("no field " << name);
    return std::get<ast::FieldAssign>(items_of(record).items.front().node);
  }
};

std::unique_ptr<Parsed> parse(std::string text, bool full_ll = false) {
  auto p = std::make_unique<Parsed>();
  p->id = p->sources.add("test.kcl", std::move(text));
  p->result = syntax::parse(p->sources, p->id, syntax::ParseOptions{.full_ll = full_ll});
  return p;
}

template <typename T>
const T& as(const ast::Expr& e) {
  const T* node = std::get_if<T>(&e.node);
  REQUIRE_MESSAGE(node != nullptr, "unexpected expression kind " << static_cast<int>(e.kind()));
  return *node;
}

template <typename T>
const T& item(const ast::BodyItem& i) {
  const T* node = std::get_if<T>(&i.node);
  REQUIRE_MESSAGE(node != nullptr, "unexpected item kind " << i.node.index());
  return *node;
}

std::string messages(const Parsed& p) {
  std::string out;
  for (const diag::Diagnostic& d : p.diags())
    out += d.code_string() + " " + d.message + "\n";
  return out;
}

// The expression as fully parenthesized text, to check precedence and associativity.
std::string shape(const Parsed& p, ast::ExprId id) {
  const ast::Expr& e = p.expr(id);
  if (const auto* b = std::get_if<ast::Binary>(&e.node)) {
    return "(" + shape(p, b->lhs) + " " + std::string(p.text(b->op_span)) + " " + shape(p, b->rhs) +
           ")";
  }
  if (const auto* u = std::get_if<ast::Unary>(&e.node)) {
    return std::string(u->op == ast::UnaryOp::Neg ? "-" : "!") + shape(p, u->operand);
  }
  if (const auto* m = std::get_if<ast::Member>(&e.node)) {
    return shape(p, m->object) + "." + m->member.text;
  }
  if (const auto* i = std::get_if<ast::IfElse>(&e.node)) {
    return "(if " + shape(p, i->condition) + " then " + shape(p, i->then_value) + " else " +
           shape(p, i->else_value) + ")";
  }
  if (const auto* c = std::get_if<ast::Call>(&e.node)) {
    std::string out = shape(p, c->callee) + "(";
    for (size_t k = 0; k < c->args.size(); ++k)
      out += (k > 0 ? ", " : "") + shape(p, c->args[k]);
    return out + ")";
  }
  if (const auto* x = std::get_if<ast::Index>(&e.node)) {
    return shape(p, x->object) + "[" + shape(p, x->index) + "]";
  }
  if (const auto* w = std::get_if<ast::With>(&e.node)) return "(" + shape(p, w->object) + " with)";
  if (const auto* r = std::get_if<ast::RecordLit>(&e.node)) {
    return r->schema ? r->schema->name.text + "{}" : "{}";
  }
  if (const auto* paren = std::get_if<ast::Paren>(&e.node))
    return "[" + shape(p, paren->inner) + "]";
  return std::string(p.text(e.span));
}

std::string value_shape(const Parsed& p, size_t decl) {
  return shape(p, std::get<ast::Export>(p.file().decls.at(decl).node).value);
}

}  // namespace

TEST_CASE("parse: imports, bindings, params, outputs and exports") {
  auto p = parse(R"(import "std/net"
import "../common/sizes.kcl" as sz
import "./pools"
let zones: [string] = ["a", "b"]
let n = 3
param environment: string = "prod"
param workers: int
prod = Cluster { replicas = 3 }
output kubeconfig = prod.kubeconfig_path
with = 1
)");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  const auto& decls = p->file().decls;
  REQUIRE(decls.size() == 10);

  const auto& net = p->decl<ast::Import>(0);
  CHECK(net.path == "std/net");
  CHECK(p->text(net.path_span) == "\"std/net\"");
  CHECK_FALSE(net.alias);
  CHECK(decls[0].name()->text == "net");
  const auto& sizes = p->decl<ast::Import>(1);
  CHECK(sizes.path == "../common/sizes.kcl");
  REQUIRE(sizes.alias);
  CHECK(sizes.alias->text == "sz");
  CHECK(decls[1].name()->text == "sz");
  CHECK(decls[2].name()->text == "pools");

  const auto& zones = p->decl<ast::Let>(3);
  CHECK(zones.name.text == "zones");
  REQUIRE(zones.type);
  CHECK(p->type(*zones.type).kind == ast::TypeExpr::Kind::List);
  CHECK(as<ast::ListLit>(p->expr(zones.value)).items.size() == 2);
  CHECK_FALSE(p->decl<ast::Let>(4).type);

  const auto& env = p->decl<ast::Param>(5);
  CHECK(env.name.text == "environment");
  CHECK(p->type(env.type).name.name.text == "string");
  REQUIRE(env.default_value);
  CHECK(as<ast::StringLit>(p->expr(*env.default_value)).value == "prod");
  CHECK_FALSE(p->decl<ast::Param>(6).default_value);

  CHECK(p->decl<ast::Export>(7).name.text == "prod");
  CHECK(p->text(decls[7].span) == "prod = Cluster { replicas = 3 }");
  const auto& out = p->decl<ast::Output>(8);
  CHECK(out.name.text == "kubeconfig");
  const auto& member = as<ast::Member>(p->expr(out.value));
  CHECK(member.member.text == "kubeconfig_path");
  CHECK(as<ast::NameRef>(p->expr(member.object)).name.text == "prod");
  CHECK(p->decl<ast::Export>(9).name.text == "with");
}

TEST_CASE("parse: type aliases, enums, functions, providers and backends") {
  auto p = parse(R"(type Port = int(1..65535)
type DnsLabel = string check {
  len(self) <= 63 : "at most 63 characters"
  matches(self, "^[a-z]+$") : "must be a label, not ${self}"
}
enum NetworkPlugin { calico, cilium, flannel, }
fn zone_subnet(i: int, base: cidr = 10.0.0.0/8) -> cidr = net.subnet(base, 8, i)
fn one() = 1
provider sim { max_concurrency = 4 }
provider aws east { region = "us-east-1" }
backend local { path = ".kc" }
)");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  REQUIRE(p->file().decls.size() == 8);

  const auto& port = p->decl<ast::TypeAlias>(0);
  CHECK(port.name.text == "Port");
  CHECK(p->type(port.type).kind == ast::TypeExpr::Kind::Range);
  CHECK_FALSE(port.check);

  const auto& label = p->decl<ast::TypeAlias>(1);
  REQUIRE(label.check);
  REQUIRE(label.check->lines.size() == 2);
  CHECK(p->text(label.check->span).starts_with("check {"));
  CHECK(p->text(label.check->span).ends_with("}"));
  const ast::CheckLine& first = label.check->lines[0];
  CHECK(p->text(p->expr(first.condition).span) == "len(self) <= 63");
  CHECK(as<ast::StringLit>(p->expr(first.message)).value == "at most 63 characters");
  CHECK(p->text(first.span) == "len(self) <= 63 : \"at most 63 characters\"");
  CHECK(p->expr(label.check->lines[1].message).kind() == ast::ExprKind::InterpolatedString);

  const auto& plugin = p->decl<ast::Enum>(2);
  REQUIRE(plugin.members.size() == 3);
  CHECK(plugin.members[2].name.text == "flannel");

  const auto& fn = p->decl<ast::Fn>(3);
  CHECK(fn.name.text == "zone_subnet");
  REQUIRE(fn.params.size() == 2);
  CHECK(fn.params[0].name.text == "i");
  CHECK_FALSE(fn.params[0].default_value);
  REQUIRE(fn.params[1].default_value);
  CHECK(p->text(fn.params[1].span) == "base: cidr = 10.0.0.0/8");
  REQUIRE(fn.result);
  CHECK(p->type(*fn.result).name.name.text == "cidr");
  CHECK(p->text(p->expr(fn.body).span) == "net.subnet(base, 8, i)");
  CHECK(p->decl<ast::Fn>(4).params.empty());
  CHECK_FALSE(p->decl<ast::Fn>(4).result);

  const auto& sim = p->decl<ast::Provider>(5);
  CHECK(sim.name.text == "sim");
  CHECK_FALSE(sim.alias);
  CHECK(p->body(sim.body).items.size() == 1);
  const auto& aws = p->decl<ast::Provider>(6);
  REQUIRE(aws.alias);
  CHECK(aws.alias->text == "east");
  CHECK(p->file().decls[6].name()->text == "east");
  CHECK(p->decl<ast::Backend>(7).kind.text == "local");
  CHECK(p->file().decls[7].name()->text == "local");
}

TEST_CASE("parse: schemas with annotations, defaults, lets, checks and extends") {
  auto p = parse(R"(schema NodePool {
  @key name: DnsLabel
  replicas: int(0..1000) = 3
  autoscale: Autoscale?
  @deprecated("use `machine`") @secret size: string?
  provider: Provider = sim
  let capacity = machine.cpu * replicas
  let typed: int = 1
  check {
    replicas > 0 || autoscale != null : "needs autoscale"
  }
}
schema GpuPool extends NodePool { gpus: int(1..8) }
schema Far extends std.Base {}
)");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  const auto& pool = p->decl<ast::Schema>(0);
  CHECK(pool.name.text == "NodePool");
  CHECK_FALSE(pool.parent);
  CHECK(p->text(pool.body_span).starts_with("{\n  @key"));
  CHECK(p->text(pool.body_span).ends_with("}\n}"));
  REQUIRE(pool.items.size() == 8);

  const auto& name = std::get<ast::FieldDecl>(pool.items[0].node);
  CHECK(name.name.text == "name");
  REQUIRE(name.annotations.size() == 1);
  CHECK(name.annotations[0].name.text == "key");
  CHECK(p->text(name.annotations[0].span) == "@key");
  CHECK(p->text(pool.items[0].span) == "@key name: DnsLabel");

  const auto& replicas = std::get<ast::FieldDecl>(pool.items[1].node);
  REQUIRE(replicas.default_value);
  CHECK(as<ast::IntLit>(p->expr(*replicas.default_value)).value == 3);
  CHECK(p->type(replicas.type).kind == ast::TypeExpr::Kind::Range);

  CHECK(p->type(std::get<ast::FieldDecl>(pool.items[2].node).type).kind ==
        ast::TypeExpr::Kind::Optional);

  const auto& size = std::get<ast::FieldDecl>(pool.items[3].node);
  REQUIRE(size.annotations.size() == 2);
  CHECK(size.annotations[0].name.text == "deprecated");
  REQUIRE(size.annotations[0].args.size() == 1);
  CHECK(as<ast::StringLit>(p->expr(size.annotations[0].args[0])).value == "use `machine`");
  CHECK(p->text(size.annotations[0].span) == "@deprecated(\"use `machine`\")");
  CHECK(size.annotations[1].name.text == "secret");

  CHECK(std::get<ast::FieldDecl>(pool.items[4].node).name.text == "provider");
  const auto& capacity = std::get<ast::Let>(pool.items[5].node);
  CHECK(capacity.name.text == "capacity");
  CHECK_FALSE(capacity.type);
  CHECK(std::get<ast::Let>(pool.items[6].node).type);
  const auto& check = std::get<ast::CheckBlock>(pool.items[7].node);
  REQUIRE(check.lines.size() == 1);

  const auto& gpu = p->decl<ast::Schema>(1);
  REQUIRE(gpu.parent);
  CHECK(gpu.parent->name.text == "NodePool");
  CHECK_FALSE(gpu.parent->module);
  const auto& far = p->decl<ast::Schema>(2);
  REQUIRE(far.parent);
  REQUIRE(far.parent->module);
  CHECK(far.parent->module->text == "std");
  CHECK(p->text(far.parent->span) == "std.Base");
  CHECK(far.items.empty());
}

TEST_CASE("parse: types as written, with ranges") {
  auto p = parse(
      "param a: [string]\nparam b: {string: int?}?\nparam c: net.Cidr\nparam d: int(1..65535)\n"
      "param e: bytes(1Gi..)\nparam f: version(v1.27.0..v1.31.99)\nparam g: percent(..50%)\n"
      "param h: int(-5..-1)?\n");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  auto type_of = [&](size_t i) -> const ast::TypeExpr& {
    return p->type(p->decl<ast::Param>(i).type);
  };
  const auto& a = type_of(0);
  CHECK(a.kind == ast::TypeExpr::Kind::List);
  CHECK(p->type(a.element).name.name.text == "string");
  CHECK(p->text(a.span) == "[string]");

  const auto& b = type_of(1);
  CHECK(b.kind == ast::TypeExpr::Kind::Optional);
  CHECK(p->text(b.span) == "{string: int?}?");
  const auto& map = p->type(b.element);
  CHECK(map.kind == ast::TypeExpr::Kind::Map);
  CHECK(p->text(map.span) == "{string: int?}");
  CHECK(p->type(map.element).kind == ast::TypeExpr::Kind::Optional);

  const auto& c = type_of(2);
  CHECK(c.kind == ast::TypeExpr::Kind::Named);
  REQUIRE(c.name.module);
  CHECK(c.name.module->text == "net");
  CHECK(c.name.name.text == "Cidr");

  const auto& d = type_of(3);
  CHECK(d.kind == ast::TypeExpr::Kind::Range);
  CHECK(d.name.name.text == "int");
  REQUIRE(d.low);
  REQUIRE(d.high);
  CHECK(as<ast::IntLit>(p->expr(*d.low)).value == 1);
  CHECK(as<ast::IntLit>(p->expr(*d.high)).value == 65535);
  CHECK(p->text(d.span) == "int(1..65535)");

  const auto& e = type_of(4);
  REQUIRE(e.low);
  CHECK_FALSE(e.high);
  CHECK(as<ast::DomainLit>(p->expr(*e.low)).text == "1Gi");
  const auto& f = type_of(5);
  CHECK(as<ast::DomainLit>(p->expr(*f.high)).text == "v1.31.99");
  const auto& g = type_of(6);
  CHECK_FALSE(g.low);
  CHECK(as<ast::DomainLit>(p->expr(*g.high)).kind == ast::DomainLit::Kind::Percent);

  const auto& h = type_of(7);
  CHECK(h.kind == ast::TypeExpr::Kind::Optional);
  const auto& negative = p->type(h.element);
  const auto& low = as<ast::Unary>(p->expr(*negative.low));
  CHECK(low.op == ast::UnaryOp::Neg);
  CHECK(as<ast::IntLit>(p->expr(low.operand)).value == 5);
  CHECK(p->text(p->expr(*negative.low).span) == "-5");

  auto bad = parse("param m: {int: string}\n");
  REQUIRE(bad->diags().size() == 1);
  CHECK(bad->diags()[0].code == diag::Code::E0101);
  CHECK(bad->text(bad->diags()[0].span) == "int");
}

TEST_CASE("parse: operator precedence and associativity") {
  auto p = parse(R"(a = 1 + 2 * 3 - 4 / 5 % 6
b = x < y == z > w
c = p && q || r && !s
d = a ?? b ?? c
e = -a.b[1](2).c
f = if a then b else if c then d else e ?? f
g = 1 - -1 - 2
h = a || b ?? c && d
i = !a == b
j = a with { x = 1 }.y
k = (a + b) * c
l = x.f(1)[2].g
m = a <= b != c >= d
)");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  CHECK(value_shape(*p, 0) == "((1 + (2 * 3)) - ((4 / 5) % 6))");
  CHECK(value_shape(*p, 1) == "((x < y) == (z > w))");
  CHECK(value_shape(*p, 2) == "((p && q) || (r && !s))");
  CHECK(value_shape(*p, 3) == "(a ?? (b ?? c))");
  CHECK(value_shape(*p, 4) == "-a.b[1](2).c");
  CHECK(value_shape(*p, 5) == "(if a then b else (if c then d else (e ?? f)))");
  CHECK(value_shape(*p, 6) == "((1 - -1) - 2)");
  CHECK(value_shape(*p, 7) == "((a || b) ?? (c && d))");
  CHECK(value_shape(*p, 8) == "(!a == b)");
  CHECK(value_shape(*p, 9) == "(a with).y");
  CHECK(value_shape(*p, 10) == "([(a + b)] * c)");
  CHECK(value_shape(*p, 11) == "x.f(1)[2].g");
  CHECK(value_shape(*p, 12) == "((a <= b) != (c >= d))");

  const auto& sum = as<ast::Binary>(p->value(0));
  CHECK(sum.op == ast::BinaryOp::Sub);
  CHECK(p->text(sum.op_span) == "-");
  CHECK(p->text(p->value(0).span) == "1 + 2 * 3 - 4 / 5 % 6");
  CHECK(as<ast::Binary>(p->value(3)).op == ast::BinaryOp::Coalesce);
  const auto& neg = as<ast::Unary>(p->value(4));
  CHECK(p->text(neg.op_span) == "-");
}

TEST_CASE("parse: records, blocks, labelled blocks, string keys and resources") {
  auto p = parse(R"(prod = Cluster {
  provider = sim
  region = "eu", zones = zones,
  network {
    plugin = calico
  }
  output = x.provider.output
  "string key" = 2
  "k-${i}" = 3
  "blk" { b = 2 }
  node_pool workers { replicas = 3 }
  node_pool "gpu-${i}" { replicas = 1 }
  empty = {}
  list = [1, 2, 3,]
  paren = (v1)
  machine = resource sim.machine "cp-0" { cpu = 2 }
  resource local.file config { path = "x" }
  with = 1, if = 2, for = 3, else = 4, resource = 5
}
other = mod.Schema { a = 1 }
)");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  const ast::Expr& prod = p->value(0);
  const auto& record = as<ast::RecordLit>(prod);
  REQUIRE(record.schema);
  CHECK(record.schema->name.text == "Cluster");
  CHECK_FALSE(record.schema->module);
  const ast::Body& body = p->items_of(prod);
  REQUIRE(body.items.size() == 20);
  CHECK(p->text(body.span).starts_with("{\n  provider"));
  CHECK(p->text(body.span).ends_with("resource = 5\n}"));

  CHECK(as<ast::NameRef>(p->expr(p->field(prod, "provider").value)).name.text == "sim");
  CHECK(as<ast::StringLit>(p->expr(p->field(prod, "region").value)).value == "eu");

  const ast::FieldAssign& network = p->field(prod, "network");
  CHECK(network.block_form);
  CHECK(p->text(body.items[3].span).starts_with("network {"));
  const ast::Expr& block = p->expr(network.value);
  CHECK_FALSE(as<ast::RecordLit>(block).schema);
  CHECK(p->text(block.span).starts_with("{\n    plugin"));
  CHECK(as<ast::NameRef>(p->expr(p->field(block, "plugin").value)).name.text == "calico");
  CHECK_FALSE(p->field(prod, "region").block_form);

  const ast::Expr& output = p->expr(p->field(prod, "output").value);
  CHECK(p->text(output.span) == "x.provider.output");

  const auto& key = item<ast::FieldAssign>(body.items[5]);
  CHECK(key.key.is_string());
  CHECK(as<ast::StringLit>(p->expr(key.key.string)).value == "string key");
  CHECK(p->text(key.key.span) == "\"string key\"");
  const auto& interpolated = item<ast::FieldAssign>(body.items[6]);
  CHECK(p->expr(interpolated.key.string).kind() == ast::ExprKind::InterpolatedString);
  const auto& string_block = item<ast::FieldAssign>(body.items[7]);
  CHECK(string_block.block_form);
  CHECK(string_block.key.is_string());

  const auto& workers = item<ast::LabelledBlock>(body.items[8]);
  CHECK(workers.field.text == "node_pool");
  REQUIRE(workers.label.ident);
  CHECK(workers.label.ident->text == "workers");
  CHECK(p->body(workers.body).items.size() == 1);
  const auto& gpu = item<ast::LabelledBlock>(body.items[9]);
  CHECK(gpu.label.is_string());
  CHECK(p->text(gpu.label.span) == "\"gpu-${i}\"");

  CHECK(p->items_of(p->expr(p->field(prod, "empty").value)).items.empty());
  CHECK(as<ast::ListLit>(p->expr(p->field(prod, "list").value)).items.size() == 3);
  CHECK(as<ast::NameRef>(p->expr(as<ast::Paren>(p->expr(p->field(prod, "paren").value)).inner))
            .name.text == "v1");

  const ast::Expr& machine = p->expr(p->field(prod, "machine").value);
  const auto& resource = as<ast::ResourceExpr>(machine);
  CHECK(resource.provider.text == "sim");
  CHECK(resource.kind.text == "machine");
  CHECK(as<ast::StringLit>(p->expr(resource.label.string)).value == "cp-0");
  CHECK(p->text(resource.label.span) == "\"cp-0\"");
  CHECK(as<ast::IntLit>(p->expr(p->field(machine, "cpu").value)).value == 2);
  CHECK(p->text(machine.span) == "resource sim.machine \"cp-0\" { cpu = 2 }");

  const auto& owned = item<ast::ResourceItem>(body.items[14]);
  const auto& config = as<ast::ResourceExpr>(p->expr(owned.resource));
  REQUIRE(config.label.ident);
  CHECK(config.label.ident->text == "config");

  for (const char* keyword : {"with", "if", "for", "else", "resource"}) {
    CAPTURE(keyword);
    CHECK(p->field(prod, keyword).key.ident->text == keyword);
  }

  const auto& other = as<ast::RecordLit>(p->value(1));
  REQUIRE(other.schema);
  REQUIRE(other.schema->module);
  CHECK(other.schema->module->text == "mod");
  CHECK(other.schema->name.text == "Schema");
  CHECK(p->text(other.schema->span) == "mod.Schema");
}

TEST_CASE("parse: generators, and the body of `for` and `if` items") {
  auto p = parse(R"(x = {
  for x in xs { a = x }
  for k, v in m { b = v }
  if enabled { c = 1 }
  if a == b { d = 1 } else if c { d = 2 } else { d = 3 }
  for x in (Foo {}).items { }
  for x in f(Foo { a = 1 }) { }
  for x in Foo { a = 1 }.items { e = x }
  if -n { f = 1 }
}
)");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  const ast::Body& body = p->items_of(p->value(0));
  REQUIRE(body.items.size() == 8);

  const auto& simple = item<ast::ForItem>(body.items[0]);
  CHECK_FALSE(simple.key);
  CHECK(simple.value.text == "x");
  CHECK(p->text(p->expr(simple.iterable).span) == "xs");
  CHECK(as<ast::NameRef>(p->expr(simple.iterable)).name.text == "xs");
  CHECK(p->text(p->body(simple.body).span) == "{ a = x }");
  CHECK(p->text(body.items[0].span) == "for x in xs { a = x }");

  const auto& pairs = item<ast::ForItem>(body.items[1]);
  REQUIRE(pairs.key);
  CHECK(pairs.key->text == "k");
  CHECK(pairs.value.text == "v");

  const auto& enabled = item<ast::IfItem>(body.items[2]);
  REQUIRE(enabled.branches.size() == 1);
  CHECK(p->text(p->expr(enabled.branches[0].condition).span) == "enabled");
  CHECK(p->text(enabled.branches[0].span) == "if enabled { c = 1 }");
  CHECK_FALSE(enabled.else_body);

  const auto& chain = item<ast::IfItem>(body.items[3]);
  REQUIRE(chain.branches.size() == 2);
  const ast::Expr& equal = p->expr(chain.branches[0].condition);
  CHECK(p->text(equal.span) == "a == b");
  CHECK(as<ast::NameRef>(p->expr(as<ast::Binary>(equal).rhs)).name.text == "b");
  REQUIRE(chain.else_body);
  CHECK(p->text(p->body(*chain.else_body).span) == "{ d = 3 }");

  const ast::Expr& paren = p->expr(item<ast::ForItem>(body.items[4]).iterable);
  CHECK(p->text(paren.span) == "(Foo {}).items");
  const ast::Expr& call = p->expr(item<ast::ForItem>(body.items[5]).iterable);
  CHECK(p->text(call.span) == "f(Foo { a = 1 })");
  CHECK(as<ast::RecordLit>(p->expr(as<ast::Call>(call).args[0])).schema->name.text == "Foo");
  const auto& member = item<ast::ForItem>(body.items[6]);
  CHECK(p->text(p->expr(member.iterable).span) == "Foo { a = 1 }.items");
  CHECK(p->body(member.body).items.size() == 1);
  const ast::Expr& negated = p->expr(item<ast::IfItem>(body.items[7]).branches[0].condition);
  CHECK(p->text(negated.span) == "-n");
  CHECK(as<ast::NameRef>(p->expr(as<ast::Unary>(negated).operand)).name.text == "n");
}

TEST_CASE("parse: list and map comprehensions") {
  auto p = parse(R"(a = [for x in xs if x > 0 for y in ys: x * y]
b = {for k, v in m if v != null: k => v + 1}
c = [for k, v in {a = 1}: k]
d = {for x in xs: x => x}
)");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  const auto& list = as<ast::ListComp>(p->value(0));
  REQUIRE(list.clauses.size() == 3);
  CHECK(list.clauses[0].kind == ast::CompClause::Kind::For);
  CHECK(list.clauses[0].value.text == "x");
  CHECK(p->text(list.clauses[0].span) == "for x in xs");
  CHECK(list.clauses[1].kind == ast::CompClause::Kind::If);
  CHECK(p->text(p->expr(list.clauses[1].expr).span) == "x > 0");
  CHECK(list.clauses[2].value.text == "y");
  CHECK(p->text(p->expr(list.value).span) == "x * y");

  const auto& map = as<ast::MapComp>(p->value(1));
  REQUIRE(map.clauses.size() == 2);
  REQUIRE(map.clauses[0].key);
  CHECK(map.clauses[0].key->text == "k");
  CHECK(map.clauses[0].value.text == "v");
  CHECK(map.clauses[1].kind == ast::CompClause::Kind::If);
  CHECK(p->text(p->expr(map.key).span) == "k");
  CHECK(p->text(p->expr(map.value).span) == "v + 1");
  CHECK(p->text(p->value(1).span) == "{for k, v in m if v != null: k => v + 1}");

  CHECK(as<ast::ListComp>(p->value(2)).clauses[0].key);
  CHECK(as<ast::MapComp>(p->value(3)).clauses.size() == 1);

  auto block = parse("x = Foo { net { for k, v in m: k => v } }\n");
  REQUIRE(block->diags().size() == 1);
  CHECK(block->diags()[0].message == "a map comprehension is a value, not a block");
}

TEST_CASE("parse: identifiers that look like literals or keywords") {
  auto p = parse("a = v1\nb = version\nc = v1.foo\nd = a.b.c\ne = x.provider.if\nf = with\n");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  CHECK(as<ast::NameRef>(p->value(0)).name.text == "v1");
  CHECK(as<ast::NameRef>(p->value(1)).name.text == "version");
  CHECK(as<ast::Member>(p->value(2)).member.text == "foo");
  const auto& abc = as<ast::Member>(p->value(3));
  CHECK(abc.member.text == "c");
  CHECK(as<ast::Member>(p->expr(abc.object)).member.text == "b");
  CHECK(as<ast::Member>(p->value(4)).member.text == "if");
  CHECK(as<ast::NameRef>(p->value(5)).name.text == "with");
}

TEST_CASE("parse: number and keyword literals") {
  auto p = parse(
      "a = 42\nb = 1_000\nc = 0x1f\nd = 0.5\ne = 2.5e3\nf = true\ng = false\nh = null\n"
      "i = 9223372036854775807\nj = self\n");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  CHECK(as<ast::IntLit>(p->value(0)).value == 42);
  CHECK(as<ast::IntLit>(p->value(1)).value == 1000);
  CHECK(as<ast::IntLit>(p->value(2)).value == 31);
  CHECK(as<ast::FloatLit>(p->value(3)).value == 0.5);
  CHECK(as<ast::FloatLit>(p->value(4)).value == 2500.0);
  CHECK(as<ast::BoolLit>(p->value(5)).value);
  CHECK_FALSE(as<ast::BoolLit>(p->value(6)).value);
  CHECK(p->value(7).kind() == ast::ExprKind::NullLit);
  CHECK(as<ast::IntLit>(p->value(8)).value == INT64_MAX);
  CHECK(p->value(9).kind() == ast::ExprKind::SelfRef);
}

TEST_CASE("parse: domain literals") {
  auto p = parse(
      "a = 250ms\nb = 1h30m\nc = 2d\nd = 512Mi\ne = 100G\nf = 64k\ng = 40%\nh = 12.5%\n"
      "i = v1.29.4\nj = v1.30.0-rc.1\nk = 10.0.0.1\nl = 10.233.64.0/18\n");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  using K = ast::DomainLit::Kind;
  struct Expect {
    K kind;
    const char* text;
  };
  const Expect expected[] = {
      {K::Duration, "250ms"},       {K::Duration, "1h30m"}, {K::Duration, "2d"},
      {K::Bytes, "512Mi"},          {K::Bytes, "100G"},     {K::Bytes, "64k"},
      {K::Percent, "40%"},          {K::Percent, "12.5%"},  {K::Version, "v1.29.4"},
      {K::Version, "v1.30.0-rc.1"}, {K::Ip, "10.0.0.1"},    {K::Cidr, "10.233.64.0/18"}};
  REQUIRE(p->file().decls.size() == std::size(expected));
  for (size_t i = 0; i < std::size(expected); ++i) {
    const auto& lit = as<ast::DomainLit>(p->value(i));
    CHECK(lit.kind == expected[i].kind);
    CHECK(lit.text == expected[i].text);
    CHECK(p->text(p->value(i).span) == expected[i].text);
  }
}

TEST_CASE("parse: strings, triple-quoted strings and interpolation") {
  auto p = parse(R"(a = "tab\there\nnl \"q\" back\\slash \$5 \u{1F600} \u{e9}"
b = "x${name}y${ {k = 1}.k }"
c = """
    first
      indented
    last
    """
d = """one line"""
e = ""
f = "${a}"
g = """
    hello ${name}
      world
    """
h = "x${f("y")}z"
)");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  CHECK(as<ast::StringLit>(p->value(0)).value ==
        "tab\there\nnl \"q\" back\\slash $5 \xF0\x9F\x98\x80 \xC3\xA9");

  const auto& b = as<ast::InterpolatedString>(p->value(1));
  CHECK_FALSE(b.triple);
  REQUIRE(b.parts.size() == 4);
  CHECK(b.parts[0].text == "x");
  CHECK_FALSE(b.parts[0].expr.valid());
  CHECK(p->text(b.parts[0].span) == "x");
  REQUIRE(b.parts[1].expr.valid());
  CHECK(as<ast::NameRef>(p->expr(b.parts[1].expr)).name.text == "name");
  CHECK(p->text(b.parts[1].span) == "${name}");
  CHECK(b.parts[2].text == "y");
  CHECK(p->text(b.parts[3].span) == "${ {k = 1}.k }");
  CHECK(as<ast::Member>(p->expr(b.parts[3].expr)).member.text == "k");

  CHECK(as<ast::StringLit>(p->value(2)).value == "first\n  indented\nlast\n");
  CHECK(p->text(p->value(2).span).starts_with("\"\"\"\n    first"));
  CHECK(as<ast::StringLit>(p->value(3)).value == "one line");
  CHECK(as<ast::StringLit>(p->value(4)).value.empty());

  const auto& only = as<ast::InterpolatedString>(p->value(5));
  REQUIRE(only.parts.size() == 1);
  CHECK(only.parts[0].expr.valid());

  const auto& triple = as<ast::InterpolatedString>(p->value(6));
  CHECK(triple.triple);
  REQUIRE(triple.parts.size() == 3);
  CHECK(triple.parts[0].text == "hello ");
  CHECK(triple.parts[2].text == "\n  world\n");

  const auto& nested = as<ast::InterpolatedString>(p->value(7));
  REQUIRE(nested.parts.size() == 3);
  const auto& call = as<ast::Call>(p->expr(nested.parts[1].expr));
  CHECK(as<ast::StringLit>(p->expr(call.args[0])).value == "y");
}

TEST_CASE("parse: spans are byte offsets after multibyte text") {
  std::string text = "s = [\"h\xC3\xA9llo \xF0\x9F\x98\x80\", 42, x.y]\n";
  auto p = parse(text);
  REQUIRE(p->diags().empty());
  const auto& items = as<ast::ListLit>(p->value(0)).items;
  REQUIRE(items.size() == 3);
  const ast::Expr& number = p->expr(items[1]);
  CHECK(number.span.begin == text.find("42"));
  CHECK(number.span.end == text.find("42") + 2);
  const ast::Expr& member = p->expr(items[2]);
  CHECK(member.span.begin == text.find("x.y"));
  CHECK(p->text(member.span) == "x.y");
  CHECK(as<ast::StringLit>(p->expr(items[0])).value == "h\xC3\xA9llo \xF0\x9F\x98\x80");
  // Columns count code points: `42` is the 17th character of the line.
  CHECK(p->at(number.span).column == 17);
}

TEST_CASE("parse: comments and doc comments") {
  auto p = parse(R"(# file header

## The zones.
## One per rack.
let zones = 3   # trailing
## Detached by a blank line.

let a = 1
# plain
## Doc after a plain comment.
let b = 2
c = 3 ## trailing doc-looking comment
d = Foo {
  ## The replicas.
  replicas = 3
  x = 1  ## not a doc
  ##
  ## Two lines, the first empty.
  for i in xs { }
}
## A schema.
schema S {
  ## A field.
  @key name: string
  ## A derived value.
  let l = 1
}
enum E {
  ## First.
  a,
  b
}
)");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  const auto& decls = p->file().decls;
  REQUIRE(decls.size() == 7);
  CHECK(decls[0].doc == "The zones.\nOne per rack.");
  CHECK(decls[1].doc.empty());
  CHECK(decls[2].doc == "Doc after a plain comment.");
  CHECK(decls[3].doc.empty());
  CHECK(decls[4].doc.empty());
  const ast::Body& body = p->items_of(p->value(4));
  REQUIRE(body.items.size() == 3);
  CHECK(body.items[0].doc == "The replicas.");
  CHECK(body.items[1].doc.empty());
  CHECK(body.items[2].doc == "\nTwo lines, the first empty.");

  CHECK(decls[5].doc == "A schema.");
  const auto& schema = p->decl<ast::Schema>(5);
  CHECK(schema.items[0].doc == "A field.");
  CHECK(schema.items[1].doc == "A derived value.");
  const auto& e = p->decl<ast::Enum>(6);
  CHECK(e.members[0].doc == "First.");
  CHECK(e.members[1].doc.empty());

  const auto& comments = p->file().comments;
  REQUIRE(comments.size() == 16);
  CHECK(p->text(comments[0].span) == "# file header");
  CHECK_FALSE(comments[0].doc);
  CHECK(p->text(comments[1].span) == "## The zones.");
  CHECK(comments[1].doc);
  CHECK(p->text(comments[3].span) == "# trailing");
  CHECK(comments[3].trailing);
  CHECK_FALSE(comments[4].trailing);
}

TEST_CASE("parse: E0101 names what was expected") {
  struct Case {
    const char* text;
    const char* message;
    const char* at;  // the text of the diagnostic's span
  };
  const Case cases[] = {
      {"name 5\nb = 2\n", "expected `=` after `name`", "5"},
      {"a = 1\n}\nb = 2\n", "unexpected `}`", "}"},
      {"a = }\n", "expected an expression, found `}`", "}"},
      {"a =\nb = 2\n", "expected an expression, found `b`", "b"},
      {"param p\nq = 2\n", "expected `:` after `p`", "q"},
      {"a = Foo { x 1, y = 2 }\n", "expected `=` or `{` after `x`", "1"},
      {"a = [1, 2 3]\n", "unexpected `3`", "3"},
      {"x = \"${}\"\n", "expected an expression, found `}`", "}\""},
      {"x = { for 1 }\n", "expected a name after `for`", "1"},
      {"x = { if }\n", "expected a condition after `if`", "}"},
      {"x = { resource 5 }\n", "expected a resource type (`provider.kind`) after `resource`", "5"},
      {"x = {\n  for x in xs\n  a = 1\n}\n", "expected `{` after `xs`", "a"},
      {"x = {\n  if c\n}\n", "expected `{` after `c`", "}"},
      {"x = f(y) { a = 1 }\n", "expected a schema name (`Name` or `module.Name`) before `{`",
       "f(y)"},
      {"import x\n", "expected a string, found `x`", "x"},
      {"schema S {\n  a: int\n  b\n}\n", "expected `:` after `b`", "}"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto p = parse(c.text);
    INFO(messages(*p));
    REQUIRE(p->diags().size() == 1);
    CHECK(p->diags()[0].code == diag::Code::E0101);
    CHECK(p->diags()[0].message == c.message);
    CHECK(p->text(p->diags()[0].span) == c.at);
  }

  SUBCASE("member name missing at the end of a line") {
    auto p = parse("a = Foo {\n  m = prod.\n  n = 2\n}\nc = 3\n");
    REQUIRE(p->diags().size() == 1);
    CHECK(p->diags()[0].message == "expected a field name after `.`");
    CHECK(p->text(p->diags()[0].span) == ".");
    CHECK(as<ast::NameRef>(p->expr(p->field(p->value(0), "m").value)).name.text == "prod");
    CHECK(as<ast::IntLit>(p->expr(p->field(p->value(0), "n").value)).value == 2);
    CHECK(p->file().decls.size() == 2);
  }
  SUBCASE("the rest of the file still parses") {
    auto p = parse("a =\nb = 2\n");
    REQUIRE(p->file().decls.size() == 2);
    CHECK(p->value(0).kind() == ast::ExprKind::Error);
    CHECK(as<ast::IntLit>(p->value(1)).value == 2);
    auto q = parse("param p\nq = 2\n");
    REQUIRE(q->file().decls.size() == 2);
    CHECK(q->type(q->decl<ast::Param>(0).type).kind == ast::TypeExpr::Kind::Error);
  }
  SUBCASE("a stray character is the lexer's one diagnostic") {
    auto p = parse("a = 1;\nb = 2\n");
    REQUIRE(p->diags().size() == 1);
    CHECK(p->diags()[0].message == "unexpected character `;`");
    CHECK(p->file().decls.size() == 2);
  }
}

TEST_CASE("parse: E0101 for an unclosed bracket names the opener") {
  auto p = parse("let x = 1\nprod = Cluster {\n  a = [1, 2]\n");
  REQUIRE(p->diags().size() == 1);
  const diag::Diagnostic& d = p->diags()[0];
  CHECK(d.code == diag::Code::E0101);
  CHECK(d.message == "expected `}` to close the block opened at 2:16");
  CHECK(d.span.begin == p->sources.file(p->id).text().size());
  REQUIRE(d.secondary.size() == 1);
  CHECK(p->text(d.secondary[0].span) == "{");
  CHECK(p->at(d.secondary[0].span).line == 2);

  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"a = [1, 2\nb = 3\n", "expected `]` to close the list opened at 1:5"},
      {"a = [1, 2}\n", "expected `]` to close the list opened at 1:5"},
      {"x = f(1, 2\ny = 1\n", "expected `)` to close the argument list opened at 1:6"},
      {"x = (1 + 2\ny = 1\n", "expected `)` to close the parenthesis opened at 1:5"},
      {"x = Foo {\n  a = 1\n\nlet y = 2\n", "expected `}` to close the block opened at 1:9"},
      {"type T = int(1..\nx = 1\n", "expected `)` to close the range opened at 1:13"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto q = parse(c.text);
    REQUIRE(q->diags().size() == 1);
    CHECK(q->diags()[0].message == c.message);
  }
  auto list = parse("a = [1, 2\nb = 3\n");
  REQUIRE(list->file().decls.size() == 2);
  CHECK(as<ast::IntLit>(list->value(1)).value == 3);
  auto block = parse("x = Foo {\n  a = 1\n\nlet y = 2\n");
  REQUIRE(block->file().decls.size() == 2);
  CHECK(block->file().decls[1].name()->text == "y");
}

TEST_CASE("parse: lexical errors come from the lexer, once, and the parse goes on") {
  auto p = parse("a = \"abc\nb = 2\nc = \"\"\"\n  never closed\n");
  REQUIRE(p->diags().size() == 2);
  CHECK(p->diags()[0].code == diag::Code::E0102);
  CHECK(p->diags()[1].code == diag::Code::E0102);
  REQUIRE(p->file().decls.size() == 3);
  CHECK(as<ast::StringLit>(p->value(0)).value == "abc");
  CHECK(as<ast::IntLit>(p->value(1)).value == 2);

  // A string that swallows a closing brace gives one diagnostic, not a cascade.
  auto q = parse("a = Foo { name = \"x }\nb = 1\n");
  REQUIRE(q->diags().size() == 1);
  CHECK(q->diags()[0].code == diag::Code::E0102);

  for (const char* literal : {"16GB", "5mins", "v1.29", "300.1.2.3/40"}) {
    CAPTURE(literal);
    auto r = parse(std::string("x = ") + literal + "\ny = 1\n");
    REQUIRE(r->diags().size() == 1);
    CHECK(r->diags()[0].code == diag::Code::E0103);
    CHECK(r->text(r->diags()[0].span) == literal);
    REQUIRE(r->file().decls.size() == 2);
    CHECK(r->value(0).kind() == ast::ExprKind::Error);
  }
}

TEST_CASE("parse: several broken declarations give one diagnostic each") {
  auto p = parse(R"(a = 1
b = Foo { x = = 1, y = [1 2], z = }
c = 2
d = [1, 2 3]
e = 3
f 4
g = 16GB
h = { if c }
i = 5
)");
  INFO(messages(*p));
  REQUIRE(p->diags().size() == 5);
  CHECK(p->at(p->diags()[0].span).line == 2);
  CHECK(p->at(p->diags()[1].span).line == 4);
  CHECK(p->at(p->diags()[2].span).line == 6);
  CHECK(p->diags()[3].code == diag::Code::E0103);
  CHECK(p->at(p->diags()[4].span).line == 8);
  std::vector<std::string> names;
  for (const ast::Decl& decl : p->file().decls)
    names.push_back(decl.name()->text);
  CHECK(names == std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g", "h", "i"});
  CHECK(as<ast::IntLit>(p->value(2)).value == 2);
  CHECK(as<ast::IntLit>(p->value(4)).value == 3);
  CHECK(as<ast::IntLit>(p->value(8)).value == 5);
  // The broken declaration keeps what could be parsed.
  CHECK(p->field(p->value(1), "x").value.valid());
}

TEST_CASE("parse: nesting limits hold on input built to recurse") {
  // `closed`: the brackets are balanced, so the next declaration is intact.
  auto expect_one = [](const std::string& text, const char* message, bool closed = true) {
    auto p = parse(text + "\ny = 1\n");
    INFO(messages(*p));
    REQUIRE(p->diags().size() == 1);
    CHECK(p->diags()[0].code == diag::Code::E0101);
    CHECK(p->diags()[0].message == message);
    if (closed) CHECK(p->file().decls.back().name()->text == "y");
    // The tree is printable: nothing in it nests too deep for recursion.
    CHECK_FALSE(p->dump().empty());
  };
  const char* deep = "nesting deeper than 256 levels";
  constexpr int kLong = 200000;
  auto repeat = [](std::string_view s, int n) {
    std::string out;
    out.reserve(s.size() * static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
      out += s;
    return out;
  };
  SUBCASE("brackets") {
    expect_one("x = " + repeat("[", kLong) + repeat("]", kLong), deep);
    expect_one("x = " + repeat("(", kLong) + "1" + repeat(")", kLong), deep);
    expect_one("x = " + repeat("f(", kLong) + repeat(")", kLong), deep);
    expect_one("x = " + repeat("{a ", kLong), deep, false);
    expect_one("param p: " + repeat("[", kLong) + "int" + repeat("]", kLong), deep);
    auto p = parse("x = " + std::string(kLong, '['));
    REQUIRE(p->diags().size() == 1);
    CHECK(p->diags()[0].span.begin == 4 + 256);
  }
  SUBCASE("operator chains") {
    expect_one("x = a" + repeat(" + a", kLong), deep);
    expect_one("x = a" + repeat(".b", kLong), deep);
    expect_one("x = f" + repeat("()", kLong), deep);
    expect_one("x = a" + repeat(" with {}", kLong), deep);
    expect_one("x = " + repeat("a ?? ", kLong) + "b", deep);
    expect_one("param p: int" + repeat("? ", kLong), deep);
  }
  SUBCASE("prefix operators and conditionals") {
    expect_one("x = " + repeat("- ", kLong) + "1", deep);
    expect_one("x = " + repeat("!", kLong) + "a", deep);
    expect_one("x = " + repeat("if a then b else ", kLong) + "c", deep);
    expect_one("x = " + repeat("if ", kLong) + "a", deep);
    expect_one("x = " + repeat("- [", kLong), deep, false);
  }
  SUBCASE("the limit itself is fine") {
    auto p = parse("x = " + std::string(256, '[') + std::string(256, ']') + "\n");
    CHECK(p->diags().empty());
    auto q = parse("x = a" + repeat(" + a", 256) + "\n");
    CHECK(q->diags().empty());
    auto r = parse("x = a" + repeat(" + a", 257) + "\n");
    REQUIRE(r->diags().size() == 1);
    // At the first operator past the limit, counted from the left.
    CHECK(r->text(r->diags()[0].span) == "+");
    CHECK(r->diags()[0].span.begin == 5 + 256 * 4 + 1);
  }
  SUBCASE("error recovery does not recurse") {
    auto p = parse("x = { " + repeat("a ", kLong) + "}\ny = 1\n");
    CHECK(p->diags().size() == 1);
    auto q = parse("x = { " + repeat("if a ", kLong) + "}\ny = 1\n");
    CHECK(q->diags().size() == 1);
    auto r = parse("x = { " + repeat("for x ", kLong) + "}\ny = 1\n");
    CHECK(r->diags().size() == 1);
    CHECK(r->file().decls.back().name()->text == "y");
  }
}

TEST_CASE("parse: SLL prediction gives the same tree as full LL") {
  const char* texts[] = {
      R"(import "std/net"
param workers: int(1..500) = 6
let zones = ["a", "b", "c"]
enum Tier { app, infra }
fn zone_subnet(i: int) -> cidr = net.subnet(base, 8, i)
prod = Cluster {
  provider = sim
  network { plugin = calico }
  for t in [Tier.app, Tier.infra] {
    node_pool "${t}" {
      replicas = if t == app then workers else 3
      labels = { "tier" = "${t}" }
    }
  }
  if workers > 3 { x = 1 } else { x = 2 }
  addon coredns {}
  resource sim.machine m { cpu = 2 }
  with = a with { b = 1 }
}
subnets = [for i in range(len(zones)): zone_subnet(i)]
m = {for k, v in {a = 1}: k => v}
output kubeconfig = prod.kubeconfig_path
)",
      "a = 1 + 2 * -3 ?? b.c(d)[e] with {}\nb = { for x in xs { } }\n",
      "x = { a b c }\ny = [1 2\nz = 3\n",
      "schema S { @key a: int = 1 let b = 2 check { a > 0 : \"x\" } }\n",
  };
  for (const char* text : texts) {
    CAPTURE(text);
    auto sll = parse(text, false);
    auto ll = parse(text, true);
    CHECK(sll->dump() == ll->dump());
    CHECK(messages(*sll) == messages(*ll));
  }
}

TEST_CASE("parse: never crashes on arbitrary input") {
  const char* pieces[] = {"a",      "=",    "{",         "}",        "[",    "]",      "(",
                          ")",      ",",    ".",         "\"s\"",    "\"",   "\"\"\"", "1",
                          "16GB",   "v1.2", "\n",        "#c",       "let",  "import", "param",
                          "output", ":",    "?",         "resource", "x",    "\xff",   "\xc3\xa9",
                          "\\",     "${",   "1.2.3.4/5", "for",      "in",   "if",     "else",
                          "then",   "with", "schema",    "enum",     "fn",   "->",     "=>",
                          "@",      "??",   "-",         "!",        "&&",   "||",     "\"${x}\"",
                          "check",  "type", "provider",  "backend",  "self", "..",     "%"};
  std::mt19937 random(1234);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    size_t length = random() % 60;
    for (size_t i = 0; i < length; ++i) {
      text += pieces[random() % std::size(pieces)];
      if (random() % 2 != 0) text += ' ';
    }
    CAPTURE(text);
    auto p = parse(text);
    for (const diag::Diagnostic& d : p->diags()) {
      CHECK(d.span.begin <= d.span.end);
      CHECK(d.span.end <= text.size());
    }
    (void)p->dump();
    // Without errors, SLL and full LL agree.
    if (!p->result.diagnostics.has_errors()) CHECK(p->dump() == parse(text, true)->dump());
  }
}

TEST_CASE("parse: invalid UTF-8 is survived and string values stay valid") {
  auto p = parse(
      "s = \"a\xff"
      "b\"\nt = 1 \xff\n");
  REQUIRE(p->file().decls.size() == 2);
  REQUIRE_FALSE(p->diags().empty());
  for (const diag::Diagnostic& d : p->diags())
    CHECK(d.code == diag::Code::E0101);
}

TEST_CASE("dump: indented nodes, with or without positions") {
  auto p = parse(R"(## Doc.
import "std/net" as n
let z: [string]? = ["a"]

prod = Cluster {
  replicas = 3
  network { cidr = 10.0.0.0/16 }
  r = resource sim.machine "m" {}
  m = a.b
}
)");
  REQUIRE(p->diags().empty());
  CHECK(p->dump() == R"(Import "std/net" as n @2:1
  Doc "Doc."
Let z @3:1
  OptionalType @3:8
    ListType @3:8
      NamedType string @3:9
  ListLit @3:20
    StringLit "a" @3:21
Export prod @5:1
  RecordLit Cluster @5:8
    Field replicas @6:3
      IntLit 3 @6:14
    Field network block @7:3
      RecordLit @7:11
        Field cidr @7:13
          DomainLit cidr 10.0.0.0/16 @7:20
    Field r @8:3
      Resource sim.machine "m" @8:7
    Field m @9:3
      Member b @9:7
        NameRef a @9:7
)");
  auto moved = parse(R"(## Doc.
import "std/net"   as n
let z  :[string]?=["a"]
prod = Cluster { replicas = 3, network { cidr = 10.0.0.0/16 },
  r = resource sim.machine "m" {}, m = a.b }
)");
  REQUIRE(moved->diags().empty());
  CHECK(moved->dump(false) == p->dump(false));
  CHECK(moved->dump(true) != p->dump(true));
  CHECK(p->dump(false).find('@') == std::string::npos);
}
