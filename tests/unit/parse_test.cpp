// Unit tests of the parser (compiler/syntax): tree shape, literal values, spans, doc comments,
// syntax diagnostics and their recovery, robustness, and the --dump=ast rendering.
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
  std::string_view text(source::Span span) const { return sources.text(span); }
  source::LineCol at(source::Span span) const { return sources.file(id).line_col(span.begin); }
  std::string dump() const { return syntax::dump(result.file, sources); }

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

  // The value assigned to `field` in a record or resource expression.
  const ast::FieldAssign& field(const ast::Expr& record, std::string_view name) const {
    ast::BodyId body;
    if (const auto* r = std::get_if<ast::RecordLit>(&record.node)) body = r->body;
    if (const auto* r = std::get_if<ast::ResourceExpr>(&record.node)) body = r->body;
    REQUIRE(body.valid());
    for (const ast::FieldAssign& item : result.file.body(body).items) {
      if (item.field.text == name) return item;
    }
    FAIL("no field " << name);
    return result.file.body(body).items.front();
  }
};

std::unique_ptr<Parsed> parse(std::string text) {
  auto p = std::make_unique<Parsed>();
  p->id = p->sources.add("test.kcl", std::move(text));
  p->result = syntax::parse(p->sources, p->id);
  return p;
}

template <typename T>
const T& as(const ast::Expr& e) {
  const T* node = std::get_if<T>(&e.node);
  REQUIRE_MESSAGE(node != nullptr, "unexpected expression kind " << static_cast<int>(e.kind()));
  return *node;
}

std::string messages(const Parsed& p) {
  std::string out;
  for (const diag::Diagnostic& d : p.diags())
    out += d.code_string() + " " + d.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("parse: every declaration form") {
  auto p = parse(R"(import "std/net"
import "../common/sizes.kcl" as sz
import "./pools"
let zones: [string] = ["a", "b"]
let n = 3
param environment: string = "prod"
param workers: int
prod = Cluster { replicas = 3 }
output kubeconfig = prod.kubeconfig_path
)");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  const auto& decls = p->file().decls;
  REQUIRE(decls.size() == 9);

  const auto& net = std::get<ast::Import>(decls[0].node);
  CHECK(net.path == "std/net");
  CHECK(p->text(net.path_span) == "\"std/net\"");
  CHECK_FALSE(net.alias);
  CHECK(decls[0].name()->text == "net");
  const auto& sizes = std::get<ast::Import>(decls[1].node);
  CHECK(sizes.path == "../common/sizes.kcl");
  REQUIRE(sizes.alias);
  CHECK(sizes.alias->text == "sz");
  CHECK(decls[1].name()->text == "sz");
  CHECK(decls[2].name()->text == "pools");

  const auto& zones = std::get<ast::Let>(decls[3].node);
  CHECK(zones.name.text == "zones");
  REQUIRE(zones.type);
  CHECK(p->file().type(*zones.type).kind == ast::TypeExpr::Kind::List);
  CHECK(as<ast::ListLit>(p->expr(zones.value)).items.size() == 2);
  CHECK_FALSE(std::get<ast::Let>(decls[4].node).type);

  const auto& env = std::get<ast::Param>(decls[5].node);
  CHECK(env.name.text == "environment");
  CHECK(p->file().type(env.type).name.text == "string");
  REQUIRE(env.default_value);
  CHECK(as<ast::StringLit>(p->expr(*env.default_value)).value == "prod");
  const auto& workers = std::get<ast::Param>(decls[6].node);
  CHECK_FALSE(workers.default_value);
  CHECK(p->file().type(workers.type).name.text == "int");

  const auto& prod = std::get<ast::Export>(decls[7].node);
  CHECK(prod.name.text == "prod");
  CHECK(p->text(decls[7].span) == "prod = Cluster { replicas = 3 }");
  const auto& out = std::get<ast::Output>(decls[8].node);
  CHECK(out.name.text == "kubeconfig");
  const auto& member = as<ast::Member>(p->expr(out.value));
  CHECK(member.member.text == "kubeconfig_path");
  CHECK(as<ast::NameRef>(p->expr(member.object)).name.text == "prod");
}

TEST_CASE("parse: types as written") {
  auto p = parse("param a: [string]\nparam b: {string: int?}?\nparam c: MachineSize\n");
  REQUIRE(p->diags().empty());
  const ast::File& f = p->file();
  const auto& a = f.type(std::get<ast::Param>(f.decls[0].node).type);
  CHECK(a.kind == ast::TypeExpr::Kind::List);
  CHECK(f.type(a.element).name.text == "string");
  CHECK(p->text(a.span) == "[string]");

  const auto& b = f.type(std::get<ast::Param>(f.decls[1].node).type);
  CHECK(b.kind == ast::TypeExpr::Kind::Optional);
  CHECK(p->text(b.span) == "{string: int?}?");
  const auto& map = f.type(b.element);
  CHECK(map.kind == ast::TypeExpr::Kind::Map);
  const auto& value = f.type(map.element);
  CHECK(value.kind == ast::TypeExpr::Kind::Optional);
  CHECK(f.type(value.element).name.text == "int");
  CHECK(f.type(std::get<ast::Param>(f.decls[2].node).type).name.text == "MachineSize");

  auto bad = parse("param m: {int: string}\n");
  REQUIRE(bad->diags().size() == 1);
  CHECK(bad->diags()[0].code == diag::Code::E0101);
  CHECK(bad->text(bad->diags()[0].span) == "int");
}

TEST_CASE("parse: records, blocks, members, resources") {
  auto p = parse(R"(prod = Cluster {
  provider = sim
  region = "eu", zones = zones,
  network {
    plugin = calico
  }
  output = x.provider.output
  empty = {}
  list = [1, 2, 3,]
  paren = (v1)
  machine = resource sim.machine "cp-0" { cpu = 2 }
  worker = resource sim.machine worker {}
})");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  const ast::Expr& prod = p->value(0);
  const auto& record = as<ast::RecordLit>(prod);
  REQUIRE(record.schema);
  CHECK(record.schema->text == "Cluster");
  const ast::Body& body = p->file().body(record.body);
  REQUIRE(body.items.size() == 10);
  CHECK(p->text(body.span).starts_with("{\n  provider"));
  CHECK(p->text(body.span).ends_with("{}\n}"));

  CHECK(as<ast::NameRef>(p->expr(p->field(prod, "provider").value)).name.text == "sim");
  CHECK(as<ast::StringLit>(p->expr(p->field(prod, "region").value)).value == "eu");
  CHECK(as<ast::NameRef>(p->expr(p->field(prod, "zones").value)).name.text == "zones");

  const ast::FieldAssign& network = p->field(prod, "network");
  CHECK(network.block_form);
  CHECK(p->text(network.span).starts_with("network {"));
  const ast::Expr& block = p->expr(network.value);
  CHECK_FALSE(as<ast::RecordLit>(block).schema);
  CHECK(as<ast::NameRef>(p->expr(p->field(block, "plugin").value)).name.text == "calico");
  CHECK_FALSE(p->field(prod, "region").block_form);

  const ast::Expr& output = p->expr(p->field(prod, "output").value);
  CHECK(p->text(output.span) == "x.provider.output");
  const auto& outer = as<ast::Member>(output);
  CHECK(outer.member.text == "output");
  const auto& inner = as<ast::Member>(p->expr(outer.object));
  CHECK(inner.member.text == "provider");
  CHECK(as<ast::NameRef>(p->expr(inner.object)).name.text == "x");

  CHECK(p->file()
            .body(as<ast::RecordLit>(p->expr(p->field(prod, "empty").value)).body)
            .items.empty());
  CHECK(as<ast::ListLit>(p->expr(p->field(prod, "list").value)).items.size() == 3);
  CHECK(as<ast::NameRef>(p->expr(p->field(prod, "paren").value)).name.text == "v1");

  const ast::Expr& machine = p->expr(p->field(prod, "machine").value);
  const auto& resource = as<ast::ResourceExpr>(machine);
  CHECK(resource.provider.text == "sim");
  CHECK(resource.kind.text == "machine");
  CHECK(resource.label.text == "cp-0");
  CHECK(p->text(resource.label.span) == "\"cp-0\"");
  CHECK(as<ast::IntLit>(p->expr(p->field(machine, "cpu").value)).value == 2);
  CHECK(p->text(machine.span) == "resource sim.machine \"cp-0\" { cpu = 2 }");
  CHECK(as<ast::ResourceExpr>(p->expr(p->field(prod, "worker").value)).label.text == "worker");
}

TEST_CASE("parse: identifiers that look like literals") {
  auto p = parse("a = v1\nb = version\nc = v1.foo\nd = a.b.c\n");
  REQUIRE(p->diags().empty());
  CHECK(as<ast::NameRef>(p->value(0)).name.text == "v1");
  CHECK(as<ast::NameRef>(p->value(1)).name.text == "version");
  CHECK(as<ast::Member>(p->value(2)).member.text == "foo");
  const auto& abc = as<ast::Member>(p->value(3));
  CHECK(abc.member.text == "c");
  CHECK(as<ast::Member>(p->expr(abc.object)).member.text == "b");
}

TEST_CASE("parse: number and keyword literals") {
  auto p = parse(
      "a = 42\nb = 1_000\nc = 0x1f\nd = 0.5\ne = 2.5e3\nf = true\ng = false\nh = null\n"
      "i = 9223372036854775807\n");
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

TEST_CASE("parse: string escapes and triple-quoted strings") {
  auto p = parse(R"(a = "tab\there\nnl \"q\" back\\slash \$5 \u{1F600} \u{e9}"
b = "${name} stays as written"
c = """
    first
      indented
    last
    """
d = """one line"""
e = """
  a

  b"""
f = ""
)");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  CHECK(as<ast::StringLit>(p->value(0)).value ==
        "tab\there\nnl \"q\" back\\slash $5 \xF0\x9F\x98\x80 \xC3\xA9");
  CHECK(as<ast::StringLit>(p->value(1)).value == "${name} stays as written");
  CHECK(as<ast::StringLit>(p->value(2)).value == "first\n  indented\nlast\n");
  CHECK(as<ast::StringLit>(p->value(3)).value == "one line");
  CHECK(as<ast::StringLit>(p->value(4)).value == "a\n\nb");
  CHECK(as<ast::StringLit>(p->value(5)).value.empty());
  CHECK(p->text(p->value(2).span).starts_with("\"\"\"\n    first"));
}

TEST_CASE("parse: interpolations may hold quotes and braces") {
  auto p = parse(R"(a = "x${f("y")}z"
b = "${ {k = 1}.k }"
)");
  INFO(messages(*p));
  REQUIRE(p->diags().empty());
  CHECK(as<ast::StringLit>(p->value(0)).value == "x${f(\"y\")}z");
  CHECK(as<ast::StringLit>(p->value(1)).value == "${ {k = 1}.k }");
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
d = 4
)");
  REQUIRE(p->diags().empty());
  const auto& decls = p->file().decls;
  REQUIRE(decls.size() == 5);
  CHECK(decls[0].doc == "The zones.\nOne per rack.");
  CHECK(decls[1].doc.empty());
  CHECK(decls[2].doc == "Doc after a plain comment.");
  CHECK(decls[3].doc.empty());
  CHECK(decls[4].doc.empty());

  const auto& comments = p->file().comments;
  REQUIRE(comments.size() == 8);
  CHECK(p->text(comments[0].span) == "# file header");
  CHECK_FALSE(comments[0].doc);
  CHECK(p->text(comments[1].span) == "## The zones.");
  CHECK(comments[1].doc);
  CHECK(p->text(comments[3].span) == "# trailing");
  CHECK_FALSE(comments[3].doc);
  CHECK(comments[7].doc);
}

TEST_CASE("parse: E0101 names what was expected") {
  SUBCASE("missing `=`") {
    auto p = parse("name 5\nb = 2\n");
    REQUIRE(p->diags().size() == 1);
    const diag::Diagnostic& d = p->diags()[0];
    CHECK(d.code == diag::Code::E0101);
    CHECK(d.message == "expected `=` after `name`");
    CHECK(p->text(d.span) == "5");
    CHECK(p->file().decls.size() == 2);
  }
  SUBCASE("stray closing brace") {
    auto p = parse("a = 1\n}\nb = 2\n");
    REQUIRE(p->diags().size() == 1);
    CHECK(p->diags()[0].message == "unexpected `}`");
    CHECK(p->at(p->diags()[0].span).line == 2);
    CHECK(p->file().decls.size() == 2);
  }
  SUBCASE("missing expression") {
    auto p = parse("a = }\n");
    REQUIRE(p->diags().size() == 1);
    CHECK(p->diags()[0].message == "expected an expression, found `}`");
  }
  SUBCASE("missing expression before the next declaration") {
    auto p = parse("a =\nb = 2\n");
    REQUIRE(p->diags().size() == 1);
    CHECK(p->diags()[0].message == "expected an expression, found `b`");
    REQUIRE(p->file().decls.size() == 2);
    CHECK(p->value(0).kind() == ast::ExprKind::Error);
    CHECK(as<ast::IntLit>(p->value(1)).value == 2);
  }
  SUBCASE("a line break ends a declaration missing its type") {
    auto p = parse("param p\nq = 2\n");
    REQUIRE(p->diags().size() == 1);
    CHECK(p->diags()[0].message == "expected `:` after `p`");
    REQUIRE(p->file().decls.size() == 2);
    CHECK(p->file().type(std::get<ast::Param>(p->file().decls[0].node).type).kind ==
          ast::TypeExpr::Kind::Error);
    CHECK(as<ast::IntLit>(p->value(1)).value == 2);
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
  SUBCASE("item without `=`") {
    auto p = parse("a = Foo { x 1, y = 2 }\n");
    REQUIRE(p->diags().size() == 1);
    CHECK(p->diags()[0].message == "expected `=` or `{` after `x`");
  }
  SUBCASE("unexpected character") {
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
  CHECK(p->at(d.secondary[0].span).column == 16);

  auto list = parse("a = [1, 2\nb = 3\n");
  REQUIRE(list->diags().size() == 1);
  CHECK(list->diags()[0].message == "expected `]` to close the list opened at 1:5");
  REQUIRE(list->file().decls.size() == 2);
  CHECK(as<ast::IntLit>(list->value(1)).value == 3);

  auto mismatched = parse("a = [1, 2}\n");
  REQUIRE(mismatched->diags().size() == 1);
  CHECK(mismatched->diags()[0].message == "expected `]` to close the list opened at 1:5");
}

TEST_CASE("parse: E0102 unterminated strings") {
  auto p = parse("a = \"abc\nb = 2\nc = \"\"\"\n  never closed\n");
  REQUIRE(p->diags().size() == 2);
  const diag::Diagnostic& line = p->diags()[0];
  CHECK(line.code == diag::Code::E0102);
  CHECK(line.message == "unterminated string");
  CHECK(p->text(line.span) == "\"");
  CHECK(line.span.begin == 4);
  CHECK_FALSE(line.label.empty());
  const diag::Diagnostic& triple = p->diags()[1];
  CHECK(triple.code == diag::Code::E0102);
  CHECK(p->text(triple.span) == "\"\"\"");
  // The parse goes on: the string holds the rest of its line, the next declaration is intact.
  REQUIRE(p->file().decls.size() == 3);
  CHECK(as<ast::StringLit>(p->value(0)).value == "abc");
  CHECK(as<ast::IntLit>(p->value(1)).value == 2);

  // A string that swallows a closing brace gives one diagnostic, not a cascade.
  auto q = parse("a = Foo { name = \"x }\nb = 1\n");
  REQUIRE(q->diags().size() == 1);
  CHECK(q->diags()[0].code == diag::Code::E0102);
}

TEST_CASE("parse: E0103 bad literals span the whole literal") {
  struct Case {
    const char* literal;
    const char* in_message;
  };
  const Case cases[] = {
      {"16GB", "`16G`"},       {"5mins", "`5m`"},       {"v1.29", "v1.29.0"},
      {"300.1.2.3/40", "300"}, {"1.2.3", "1.2.3"},      {"99999999999999999999", "64 bits"},
      {"1.5h", "1h30m"},       {"0x1g", "hexadecimal"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.literal);
    std::string text = std::string("x = ") + c.literal + "\ny = 1\n";
    auto p = parse(text);
    REQUIRE(p->diags().size() == 1);
    const diag::Diagnostic& d = p->diags()[0];
    CHECK(d.code == diag::Code::E0103);
    CHECK(p->text(d.span) == c.literal);
    CHECK(d.message.find(c.in_message) != std::string::npos);
    REQUIRE(p->file().decls.size() == 2);
    CHECK(p->value(0).kind() == ast::ExprKind::Error);
  }

  auto v = parse("k = v1.29\n");
  REQUIRE(v->diags().size() == 1);
  REQUIRE(v->diags()[0].fixes.size() == 1);
  CHECK(v->diags()[0].fixes[0].replacement == "v1.29.0");

  auto escape = parse("s = \"a\\qb\"\n");
  REQUIRE(escape->diags().size() == 1);
  CHECK(escape->diags()[0].code == diag::Code::E0103);
  CHECK(escape->text(escape->diags()[0].span) == "\\q");
}

TEST_CASE("parse: several broken declarations give several diagnostics") {
  auto p = parse(R"(a = 1
b = Foo { x = = 1 }
c = 2
d = [1, 2 3]
e = 3
f 4
g = 16GB
h = 5
)");
  INFO(messages(*p));
  REQUIRE(p->diags().size() == 4);
  CHECK(p->at(p->diags()[0].span).line == 2);
  CHECK(p->at(p->diags()[1].span).line == 4);
  CHECK(p->at(p->diags()[2].span).line == 6);
  CHECK(p->diags()[3].code == diag::Code::E0103);
  std::vector<std::string> names;
  for (const ast::Decl& decl : p->file().decls)
    names.push_back(decl.name()->text);
  CHECK(names == std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g", "h"});
  CHECK(as<ast::IntLit>(p->value(2)).value == 2);
  CHECK(as<ast::IntLit>(p->value(4)).value == 3);
  CHECK(as<ast::IntLit>(p->value(7)).value == 5);
}

TEST_CASE("parse: unsupported declarations are reported, the rest is parsed") {
  auto p = parse("schema A { x: int }\nschema B {}\nk = 1\n");
  REQUIRE(p->diags().size() == 2);
  CHECK(p->diags()[0].message == "`schema` declarations are not supported yet");
  REQUIRE(p->file().decls.size() == 1);
  CHECK(p->file().decls[0].name()->text == "k");
}

TEST_CASE("parse: deep nesting is a diagnostic, not a crash") {
  SUBCASE("100000 open brackets") {
    auto p = parse("x = " + std::string(100000, '['));
    REQUIRE(p->diags().size() == 1);
    CHECK(p->diags()[0].code == diag::Code::E0101);
    CHECK(p->diags()[0].message == "nesting deeper than 256 levels");
    CHECK(p->diags()[0].span.begin == 4 + 256);
  }
  SUBCASE("balanced but too deep, then a good declaration") {
    std::string deep = "x = " + std::string(300, '[') + std::string(300, ']') + "\ny = 1\n";
    auto p = parse(deep);
    REQUIRE(p->diags().size() == 1);
    CHECK(p->diags()[0].message == "nesting deeper than 256 levels");
    REQUIRE(p->file().decls.size() == 2);
    CHECK(as<ast::IntLit>(p->value(1)).value == 1);
  }
  SUBCASE("nested blocks") {
    std::string deep = "x = ";
    for (int i = 0; i < 100000; ++i)
      deep += "{a ";
    auto p = parse(deep);
    REQUIRE_FALSE(p->diags().empty());
    CHECK(p->diags()[0].message == "nesting deeper than 256 levels");
  }
  SUBCASE("long member chain") {
    std::string deep = "x = a";
    for (int i = 0; i < 100000; ++i)
      deep += ".b";
    auto p = parse(deep + "\ny = 1\n");
    REQUIRE(p->diags().size() == 1);
    CHECK(p->diags()[0].message == "nesting deeper than 256 levels");
    CHECK(p->file().decls.size() == 2);
    CHECK_FALSE(p->dump().empty());
  }
  SUBCASE("256 levels are fine") {
    auto p = parse("x = " + std::string(256, '[') + std::string(256, ']') + "\n");
    CHECK(p->diags().empty());
  }
}

TEST_CASE("parse: never crashes on arbitrary input") {
  const char* pieces[] = {"a",      "=",    "{",        "}",        "[",   "]",      "(",
                          ")",      ",",    ".",        "\"s\"",    "\"",  "\"\"\"", "1",
                          "16GB",   "v1.2", "\n",       "#c",       "let", "import", "param",
                          "output", ":",    "?",        "resource", "x",   "\xff",   "\xc3\xa9",
                          "\\",     "${",   "1.2.3.4/5"};
  std::mt19937 random(1234);
  for (int round = 0; round < 500; ++round) {
    std::string text;
    size_t length = random() % 40;
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
  }
}

TEST_CASE("parse: invalid UTF-8 is survived and string values stay valid") {
  auto p = parse(
      "s = \"a\xff"
      "b\"\nt = 1 \xff\n");
  REQUIRE(p->file().decls.size() == 2);
  CHECK(as<ast::StringLit>(p->value(0)).value ==
        "a\xEF\xBF\xBD"
        "b");
  REQUIRE(p->diags().size() == 1);
  CHECK(p->diags()[0].message.starts_with("unexpected character"));
  CHECK(p->text(p->diags()[0].span) == "\xff");
}

TEST_CASE("dump: indented nodes with positions") {
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
}
