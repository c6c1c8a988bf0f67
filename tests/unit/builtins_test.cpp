// Built-in functions (compiler/eval/builtins.h, compiler/sema/builtins.h) at their edges.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "compiler/eval/builtins.h"
#include "compiler/eval/domain_members.h"
#include "compiler/eval/encoding.h"
#include "compiler/eval/read_below.h"
#include "compiler/eval/regex_match.h"
#include "compiler/sema/builtins.h"
#include "compiler/sema/domain_members.h"

namespace {

using kc::eval::call_builtin;
using kc::sdk::Value;

using kc::sema::TypeKind;

std::vector<int64_t> ints(const kc::eval::OpResult& r) {
  REQUIRE(r.value.has_value());
  std::vector<int64_t> out;
  for (const Value& v : r.value->as_list())
    out.push_back(v.as_int());
  return out;
}

// The result's text: strings and domain values in their string form, anything else as compact
// JSON; or "error: ...".
std::string text(const kc::eval::OpResult& r) {
  if (!r.value) return "error: " + r.error;
  kc::sdk::Kind k = r.value->kind();
  if (k == kc::sdk::Kind::String || (k >= kc::sdk::Kind::Duration && k <= kc::sdk::Kind::Cidr)) {
    return *kc::eval::string_form(*r.value);
  }
  std::string error;
  return kc::eval::encode_json(*r.value, &error).value();
}

std::string call(std::string_view name, std::vector<Value> args) {
  return text(call_builtin(name, args));
}

Value str(const char* s) {
  return Value(s);
}

Value list(std::initializer_list<Value> items) {
  return Value::list(items);
}

// The typing of `name(args)` as "T" or "error: ...".
struct Typing {
  kc::sema::TypeTable types;
  std::string operator()(std::string_view name, std::vector<kc::sema::TypeId> args) {
    auto t = kc::sema::builtin_type(types, name, args);
    return t.result ? types.to_string(*t.result) : "error: " + t.error;
  }
  kc::sema::TypeId p(TypeKind k) { return types.primitive(k); }
  kc::sema::TypeId list_of(TypeKind k) { return types.list_of(p(k)); }
  kc::sema::TypeId map_of(TypeKind k) { return types.map_of(p(k)); }
};

// A fresh directory under the system's temporary directory, removed at the end.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "kc-builtins-test-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  void write(const std::string& relative, const std::string& contents) const {
    std::filesystem::create_directories((path / relative).parent_path());
    std::ofstream(path / relative, std::ios::binary) << contents;
  }
};

}  // namespace

TEST_SUITE("builtins") {
  TEST_CASE("range: one to three arguments, negative steps, bounds never overflow") {
    CHECK(ints(call_builtin("range", {Value(3)})) == std::vector<int64_t>{0, 1, 2});
    CHECK(ints(call_builtin("range", {Value(2), Value(5)})) == std::vector<int64_t>{2, 3, 4});
    CHECK(ints(call_builtin("range", {Value(5), Value(0), Value(-2)})) ==
          std::vector<int64_t>{5, 3, 1});
    CHECK(ints(call_builtin("range", {Value(5), Value(1)})).empty());
    CHECK(ints(call_builtin("range", {Value(INT64_MAX - 1), Value(INT64_MAX)})) ==
          std::vector<int64_t>{INT64_MAX - 1});
    CHECK(call_builtin("range", {Value(0), Value(5), Value(0)}).error ==
          "`range` needs a step other than 0");
    CHECK_FALSE(call_builtin("range", {Value(INT64_MIN), Value(INT64_MAX)}).value);
  }

  TEST_CASE("strings") {
    auto text = [](const kc::eval::OpResult& r) { return r.value->as_string(); };
    CHECK(text(call_builtin("replace", {Value("a.b.c"), Value("."), Value("::")})) == "a::b::c");
    CHECK(call_builtin("split", {Value("a,,b"), Value(",")}).value->as_list().size() == 3);
    CHECK(text(call_builtin("trim", {Value(" \t x \n")})) == "x");
    CHECK(text(call_builtin("upper", {Value("héllo")})) == "HéLLO");  // ASCII only, bytes kept
  }

  TEST_CASE("unique keeps first occurrences in order; sort is stable and uses `<`") {
    Value list = Value::list({Value(3), Value(1), Value(3), Value(2), Value(1)});
    CHECK(ints(call_builtin("unique", {list})) == std::vector<int64_t>{3, 1, 2});
    CHECK(ints(call_builtin("sort", {list})) == std::vector<int64_t>{1, 1, 2, 3, 3});
  }

  TEST_CASE("unknown arguments give unknown results") {
    CHECK(call_builtin("len", {Value::unknown()}).value->is_unknown());
  }

  TEST_CASE("typing names every built-in and rejects wrong arguments") {
    kc::sema::TypeTable types;
    for (const std::string& name : kc::sema::builtin_names())
      CHECK(kc::sema::is_builtin(name));
    CHECK_FALSE(kc::sema::is_builtin("lenn"));
    auto typing = kc::sema::builtin_type(types, "len", {types.primitive(kc::sema::TypeKind::Int)});
    CHECK_FALSE(typing.result);
    CHECK(typing.error == "`len` takes a list, a map or a string");
    auto sum = kc::sema::builtin_type(
        types, "sum", {types.list_of(types.primitive(kc::sema::TypeKind::Duration))});
    REQUIRE(sum.result);
    CHECK(types.kind(*sum.result) == kc::sema::TypeKind::Duration);
  }

  TEST_CASE("flatten joins one level of lists") {
    CHECK(call("flatten", {list({list({1}), list({2, 3}), list({})})}) == "[1,2,3]");
    CHECK(call("flatten", {list({})}) == "[]");
    CHECK(call("flatten", {list({list({list({1})})})}) == "[[1]]");
    CHECK(call("flatten", {list({Value(1)})}) == "error: `flatten` takes a list of lists");
    CHECK(call_builtin("flatten", {list({list({1}), Value::unknown()})}).value->is_unknown());
    // An unknown inside an inner list is carried along.
    CHECK(call_builtin("flatten", {list({list({Value::unknown()})})}).value->as_list().size() == 1);
  }

  TEST_CASE("merge: later maps win, keys keep their first place") {
    Value a = Value::map({{"a", Value(1)}, {"b", Value(2)}});
    Value b = Value::map({{"b", Value(3)}, {"c", Value(4)}});
    Value c = Value::map({{"a", Value(5)}});
    CHECK(call("merge", {a, b}) == R"({"a":1,"b":3,"c":4})");
    CHECK(call("merge", {a, b, c}) == R"({"a":5,"b":3,"c":4})");
    CHECK(call("merge", {a, Value::map({})}) == R"({"a":1,"b":2})");
    CHECK(call("merge", {a}) == "error: `merge` takes two or more maps");
    CHECK(call("merge", {a, list({})}) == "error: `merge` takes two or more maps");
    auto merged = call_builtin("merge", {Value::map({{"x", Value::unknown()}}), a});
    REQUIRE(merged.value);
    CHECK(merged.value->find("x")->is_unknown());
    CHECK(merged.value->find("b")->as_int() == 2);
  }

  TEST_CASE("format fills {} in order with string forms; {{ and }} are braces") {
    CHECK(call("format", {str("{}-{}"), str("web"), Value(3)}) == "web-3");
    CHECK(call("format", {str("{{}} {} {}"), Value(kc::sdk::Duration{5'400'000}), Value(2.5)}) ==
          "{} 1h30m 2.5");
    CHECK(call("format", {str("no placeholders")}) == "no placeholders");
    CHECK(call("format", {str("{}}}{{"), Value(true)}) == "true}{");
    CHECK(call("format", {str("{} and {}"), Value(1)}) ==
          "error: the template of `format` has 2 `{}` placeholders but 1 value was given");
    CHECK(call("format", {str("x"), Value(1), Value(2)}) ==
          "error: the template of `format` has 0 `{}` placeholders but 2 values were given");
    CHECK(call("format", {str("a { b")}) ==
          "error: the template of `format` has a lone `{` at offset 2: placeholders are `{}`, "
          "and `{{` is a literal `{`");
    CHECK(call("format", {str("a}")}) ==
          "error: the template of `format` has a lone `}` at offset 1: placeholders are `{}`, "
          "and `}}` is a literal `}`");
    CHECK(call("format", {str("{}"), list({})}) ==
          "error: `format` takes a template string and one value with a string form for each "
          "`{}` in it");
    CHECK(call("format", {str("{}"), Value()}).rfind("error: `format` takes", 0) == 0);
  }

  TEST_CASE("matches searches anywhere, linear in the subject") {
    CHECK(call("matches", {str("abc"), str("b")}) == "true");
    CHECK(call("matches", {str("abc"), str("^b")}) == "false");
    CHECK(call("matches", {str("abc"), str("")}) == "true");
    const char* label = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    CHECK(call("matches", {str("web-01"), str(label)}) == "true");
    CHECK(call("matches", {str("Web-01"), str(label)}) == "false");
    CHECK(call("matches", {str("web-"), str(label)}) == "false");
    // `^` and `$` only at the ends; the search itself crosses line breaks.
    CHECK(call("matches", {str("x\nb"), str("b")}) == "true");
    CHECK(call("matches", {str("x\nb"), str("^b")}) == "false");
    CHECK(call("matches", {str("a\nb"), str("a.b")}) == "false");
    CHECK(call("matches", {str("a\nb"), str("a[\\s\\S]b")}) == "true");
    CHECK(call("matches", {str("2024-01-31"), str("^\\d{4}-\\d{2}-\\d{2}$")}) == "true");
    // A pattern that backtracks exponentially elsewhere, on the largest subject taken.
    std::string many(kc::eval::kMaxMatchSubjectBytes - 1, 'a');
    CHECK(call("matches", {Value(many + "b"), str("^(a+)+$")}) == "false");
    CHECK(call("matches", {Value(many + "a"), str("^(a|aa)*$")}) == "true");
  }

  TEST_CASE("matches errors: bad patterns, back-references, limits") {
    CHECK(call("matches", {str("a"), str("(a")}) ==
          "error: `(a` is not a valid regular expression: a `(` or `)` is unmatched, or a `*`, "
          "`+` or `?` has nothing to repeat");
    CHECK(call("matches", {str("a"), str("*a")}).rfind("error: `*a` is not a valid", 0) == 0);
    CHECK(call("matches", {str("a"), str("[a")}) ==
          "error: `[a` is not a valid regular expression: a `[...]` is malformed or has no "
          "closing `]`");
    CHECK(call("matches", {str("a"), str("[z-a]")}) ==
          "error: `[z-a]` is not a valid regular expression: it has an invalid character range");
    CHECK(call("matches", {str("a"), str("a\\")}) ==
          "error: `a\\` is not a valid regular expression: it has an invalid escape or ends in a "
          "backslash");
    CHECK(call("matches", {str("aa"), str("(a)\\1")}) ==
          "error: `(a)\\1` is not a valid regular expression: it uses a back-reference such as "
          "`\\1`, which `matches` does not support");
    // A closing parenthesis cannot break out of the wrapping group.
    CHECK(call("matches", {str("b"), str("a)|(b")}).rfind("error: `a)|(b` is not a valid", 0) == 0);
    CHECK(
        call("matches", {Value(std::string(kc::eval::kMaxMatchSubjectBytes + 1, 'a')), str("a")}) ==
        "error: `matches` takes strings of at most 65536 bytes; this one has 65537");
    CHECK(call("matches", {str("a"), Value(std::string(kc::eval::kMaxPatternBytes + 1, 'a'))}) ==
          "error: `matches` takes patterns of at most 1024 bytes; this one has 1025");
    CHECK(call("matches", {str("a"), str("a{2,1001}")}) ==
          "error: `matches` allows repetition counts up to 1000; the pattern asks for 1001");
    CHECK(call("matches", {str("a"), str("a{99999999999999999999}")})
              .rfind("error: `matches` allows repetition counts up to 1000", 0) == 0);
    CHECK(call("matches", {str("{5000}"), str("[{5000}]")}) == "true");  // braces in a class
    CHECK(call("matches", {str("a"), str("a{2,1000}")}) == "false");
  }

  TEST_CASE("to_json and to_yaml print values as kc eval does, nulls kept") {
    Value v = Value::map({
        {"name", str("a")},
        {"size", Value(kc::sdk::ByteSize{1LL << 30})},
        {"ttl", Value(kc::sdk::Duration{5'400'000})},
        {"v", Value(*kc::sdk::parse_version("v1.29.4"))},
        {"net", Value(*kc::sdk::parse_cidr("fd00:0::/64"))},
        {"none", Value()},
        {"list", list({Value(1), Value(2.5), Value(true)})},
    });
    CHECK(call("to_json", {v}) ==
          R"({"name":"a","size":"1Gi","ttl":"1h30m","v":"v1.29.4","net":"fd00::/64",)"
          R"("none":null,"list":[1,2.5,true]})");
    CHECK(call("to_json", {str("x\"y")}) == R"("x\"y")");
    CHECK(call("to_json", {Value(2500.0)}) == "2500.0");
    CHECK(call("to_yaml", {v}) ==
          "name: a\nsize: 1Gi\nttl: 1h30m\nv: v1.29.4\nnet: \"fd00::/64\"\nnone: null\nlist:\n"
          "  - 1\n  - 2.5\n  - true\n");
    CHECK(call("to_yaml", {str("yes")}) == "\"yes\"\n");
    CHECK(call("to_json", {list({Value(std::string("a\xff"))})}) ==
          "error: `to_json` cannot encode its argument: it holds a string that is not valid UTF-8");
    CHECK(call("to_yaml", {Value(std::string("a:\xff"))}) ==
          "error: `to_yaml` cannot encode its argument: it holds a string that is not valid UTF-8");
    CHECK(call_builtin("to_json", {list({Value::unknown()})}).value->is_unknown());
    CHECK(call_builtin("to_yaml", {Value::map({{"a", Value::unknown()}})}).value->is_unknown());
  }

  TEST_CASE("from_json decodes JSON data; errors carry the parser's line and column") {
    const char* doc = R"({"a":[1,2.5,"x",true,null],"b":{"c":-1},"e":{}})";
    CHECK(call("from_json", {str(doc)}) == doc);
    auto big = call_builtin("from_json", {str("18446744073709551615")});
    REQUIRE(big.value);
    CHECK(big.value->kind() == kc::sdk::Kind::Float);
    CHECK(call("from_json", {str(R"({"a":1,"a":2})")}) == R"({"a":2})");
    CHECK(call("from_json", {str("{\"a\":}")})
              .rfind(
                  "error: `from_json` cannot parse its argument: at line 1, column 6: syntax error",
                  0) == 0);
    CHECK(call("from_json", {str("{\n  \"a\": tru\n}")})
              .rfind("error: `from_json` cannot parse its argument: at line 3, column 0: syntax "
                     "error while "
                     "parsing value - invalid literal",
                     0) == 0);
    CHECK(call("from_json", {str("")}).rfind("error: `from_json` cannot parse its argument", 0) ==
          0);
    CHECK(call("from_json", {str("1e999")}) ==
          "error: `from_json` cannot parse its argument: number overflow parsing '1e999'");
    CHECK(call("from_json", {Value(std::string("\"\xff\""))})
              .rfind("error: `from_json` cannot parse its argument: at line 1", 0) == 0);
    std::string deep = std::string(300, '[') + std::string(300, ']');
    CHECK(call("from_json", {Value(deep)}) ==
          "error: `from_json` cannot parse its argument: the document nests deeper than 256 "
          "levels");
  }

  TEST_CASE("from_yaml reads the core schema; errors carry line and column") {
    CHECK(call("from_yaml", {str("a: 1\nb: [x, \"3\", 3, -2.5, true, ~, null, 1e3]\nc:\n"
                                 "  d: 0x1f\n  e: '007'\n  f: 007\n  g: !!str 12\n  h:\n")}) ==
          R"({"a":1,"b":["x","3",3,-2.5,true,null,null,1000.0],)"
          R"("c":{"d":31,"e":"007","f":7,"g":"12","h":null}})");
    CHECK(call("from_yaml", {str("- yes\n- on\n- 1.2.3\n- v1.29\n- 10.0.0.0/8\n")}) ==
          R"(["yes","on","1.2.3","v1.29","10.0.0.0/8"])");
    CHECK(call("from_yaml", {str("")}) == "null");
    CHECK(call("from_yaml", {str("a: [1, 2\nb: 3\n")})
              .rfind("error: `from_yaml` cannot parse its argument: line ", 0) == 0);
    CHECK(call("from_yaml", {str("a: 1\na: 2\n")}) ==
          "error: `from_yaml` cannot parse its argument: line 2, column 1: duplicate key `a`");
    CHECK(call("from_yaml", {str("? [1]\n: 2\n")}) ==
          "error: `from_yaml` cannot parse its argument: line 1, column 3: map keys must be "
          "strings");
    // Aliases that expand to 10^7 values stop at the bound instead of exhausting memory.
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    std::string prev = "a";
    for (char level = 'b'; level <= 'g'; ++level) {
      std::string items = "*" + prev;
      for (int i = 1; i < 10; ++i)
        items += ", *" + prev;
      bomb += fmt::format("{}: &{} [{}]\n", level, level, items);
      prev = std::string(1, level);
    }
    CHECK(call("from_yaml", {Value(bomb)}) ==
          "error: `from_yaml` cannot parse its argument: the document holds more than 1000000 "
          "values");
  }

  TEST_CASE("merge and from_yaml stay linear in the number of keys") {
    kc::sdk::Entries a;
    kc::sdk::Entries b;
    std::string yaml;
    for (int i = 0; i < 30'000; ++i) {
      a.emplace_back(fmt::format("k{}", i), Value(i));
      b.emplace_back(fmt::format("k{}", 2 * i), Value(-i));
      yaml += fmt::format("k{}: {}\n", i, i);
    }
    auto merged = call_builtin("merge", {Value::map(std::move(a)), Value::map(std::move(b))});
    REQUIRE(merged.value);
    CHECK(merged.value->as_map().size() == 45'000);
    CHECK(merged.value->find("k2")->as_int() == -1);
    CHECK(merged.value->as_map()[30'000].first == "k30000");
    auto decoded = call_builtin("from_yaml", {Value(yaml)});
    REQUIRE(decoded.value);
    CHECK(decoded.value->as_map().size() == 30'000);
  }

  TEST_CASE("sha256 and base64 on the bytes of a string") {
    CHECK(call("sha256", {str("")}) ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(call("sha256", {str("abc")}) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(call("base64", {str("")}).empty());
    CHECK(call("base64", {str("f")}) == "Zg==");
    CHECK(call("base64", {str("fo")}) == "Zm8=");
    CHECK(call("base64", {str("foo")}) == "Zm9v");
    CHECK(call("base64", {str("foobar")}) == "Zm9vYmFy");
    CHECK(call("base64", {Value(std::string("\xff\xfe\x00", 3))}) == "//4A");
    CHECK(call("base64", {Value(1)}) == "error: `base64` takes a string");
  }

  TEST_CASE("file reads through the context, only below the root") {
    CHECK(call("file", {str("a.txt")}) == "error: `file` is not available here");
    TempDir dir;
    dir.write("root/a.txt", "hello\n");
    dir.write("root/sub/b.txt", "b");
    dir.write("outside.txt", "secret");
    std::filesystem::create_symlink(dir.path / "outside.txt", dir.path / "root/link.txt");
    std::filesystem::create_directory_symlink(dir.path, dir.path / "root/up");
    std::filesystem::create_directory_symlink(dir.path / "root/sub", dir.path / "root/alias");
    const std::string root = (dir.path / "root").string();
    kc::eval::BuiltinContext context{
        [&](std::string_view p, std::string* e) { return kc::eval::read_file_below(root, p, e); }};
    auto read = [&](const char* path) { return text(call_builtin("file", {str(path)}, context)); };
    CHECK(read("a.txt") == "hello\n");
    CHECK(read("./sub/../a.txt") == "hello\n");
    CHECK(read("sub/b.txt") == "b");
    CHECK(read("alias/b.txt") == "b");  // a link that stays inside is fine
    CHECK(read("../outside.txt") ==
          "error: cannot read `../outside.txt`: it is outside the root module's directory");
    CHECK(read("sub/../../outside.txt") ==
          "error: cannot read `sub/../../outside.txt`: it is outside the root module's directory");
    CHECK(read("link.txt") ==
          "error: cannot read `link.txt`: it resolves (through a symbolic link) to a place "
          "outside the root module's directory");
    CHECK(read("up/outside.txt").rfind("error: cannot read `up/outside.txt`: it resolves", 0) == 0);
    CHECK(read("/etc/hostname") ==
          "error: cannot read `/etc/hostname`: `file` takes paths relative to the root module's "
          "directory, not absolute ones");
    CHECK(read("missing.txt") ==
          "error: cannot read `missing.txt`: no such file below the root module's directory");
    CHECK(read("sub") == "error: cannot read `sub`: it is a directory, not a file");
    CHECK(read(".") == "error: cannot read `.`: it is a directory, not a file");
    CHECK(read("") == "error: `file` needs a path relative to the root module's directory");
  }

  TEST_CASE("conversions: string, int, float") {
    CHECK(call("string", {Value(1)}) == "1");
    CHECK(call("string", {Value(2.5)}) == "2.5");
    CHECK(call("string", {Value(false)}) == "false");
    CHECK(call("string", {Value(kc::sdk::Duration{90'000})}) == "1m30s");
    CHECK(call("string", {Value(*kc::sdk::parse_ip("fd00:0::1"))}) == "fd00::1");
    CHECK(call("string", {list({})}) ==
          "error: `string` takes a value with a string form: a string, bool, number or domain "
          "value");
    CHECK(call("string", {Value()}).rfind("error: `string` takes", 0) == 0);

    CHECK(call("int", {Value(7)}) == "7");
    CHECK(call("int", {Value(2.9)}) == "2");
    CHECK(call("int", {Value(-2.9)}) == "-2");
    CHECK(call("int", {str("42")}) == "42");
    CHECK(call("int", {str("-17")}) == "-17");
    CHECK(call("int", {str("+5")}) == "5");
    CHECK(call("int", {str("-9223372036854775808")}) == "-9223372036854775808");
    CHECK(call("int", {str("1_000")}) ==
          "error: `int` cannot read \"1_000\": write a decimal integer such as \"42\"");
    CHECK(call("int", {str("+-5")}).rfind("error: `int` cannot read \"+-5\"", 0) == 0);
    CHECK(call("int", {str(" 5")}).rfind("error: `int` cannot read", 0) == 0);
    CHECK(call("int", {str("")}).rfind("error: `int` cannot read \"\"", 0) == 0);
    CHECK(call("int", {str("9223372036854775808")}) ==
          "error: `int` cannot read \"9223372036854775808\": it does not fit in a 64-bit int");
    CHECK(call("int", {Value(1e19)}).rfind("error: `int` cannot convert", 0) == 0);
    CHECK(call("int", {Value(-9223372036854775808.0)}) == "-9223372036854775808");
    CHECK(call("int", {Value(true)}) ==
          "error: `int` takes an int, a float (truncated toward zero) or a string of decimal "
          "digits");

    CHECK(call("float", {str("2.5")}) == "2.5");
    CHECK(call("float", {str("1e3")}) == "1000.0");
    CHECK(call("float", {str("-.5")}) == "-0.5");
    CHECK(call("float", {Value(3)}) == "3.0");
    CHECK(call("float", {str("inf")}) ==
          "error: `float` cannot read \"inf\": write a number such as \"2.5\" or \"1e3\"");
    CHECK(call("float", {str("+-1")}).rfind("error: `float` cannot read", 0) == 0);
    CHECK(call("float", {str("1e999")}) ==
          "error: `float` cannot read \"1e999\": it is outside the range of a float");
  }

  TEST_CASE("conversions to domain types parse strings with the literal parsers") {
    CHECK(call("duration", {str("1h30m")}) == "1h30m");
    CHECK(call("duration", {Value(kc::sdk::Duration{1000})}) == "1s");
    CHECK(call("bytes", {str("512Mi")}) == "512Mi");
    CHECK(call("percent", {str("12.5%")}) == "12.5%");
    CHECK(call("version", {str("v1.30.0-rc.1")}) == "v1.30.0-rc.1");
    CHECK(call("ip", {str("fd00:0::1")}) == "fd00::1");
    CHECK(call("cidr", {str("10.233.64.0/18")}) == "10.233.64.0/18");
    for (const char* bad : {"5mins", "16GB"}) {
      std::string expected;
      if (std::string_view(bad) == "5mins") {
        kc::sdk::parse_duration(bad, &expected);
        CHECK(call("duration", {str(bad)}) == "error: " + expected);
      } else {
        kc::sdk::parse_bytes(bad, &expected);
        CHECK(call("bytes", {str(bad)}) == "error: " + expected);
      }
      CHECK_FALSE(expected.empty());
    }
    CHECK(call("cidr", {str("10.0.0.0")}) ==
          "error: a CIDR needs a prefix length after a `/`: write `10.0.0.0/24`");
    CHECK(call("version", {str("1.2.3")}).rfind("error: ", 0) == 0);
    CHECK(call("duration", {Value(5)}) ==
          "error: `duration` takes a duration, or a string such as \"5m\"");
    CHECK(call("ip", {Value(*kc::sdk::parse_cidr("10.0.0.0/8"))}).rfind("error: `ip` takes", 0) ==
          0);
  }

  TEST_CASE("std/net intrinsics") {
    Value net16 = Value(*kc::sdk::parse_cidr("10.0.0.0/16"));
    CHECK(call("__net_subnet", {net16, Value(8), Value(3)}) == "10.0.3.0/24");
    CHECK(call("__net_subnet", {net16, Value(8), Value(256)}) ==
          "error: `10.0.0.0/16` has 256 subnets of /24 (numbers 0 to 255); 256 is past the end");
    CHECK(call("__net_host", {net16, Value(-1)}) == "10.0.255.255");
    CHECK(call("__net_host", {net16, Value(65536)}).rfind("error: host number 65536", 0) == 0);
    CHECK(call("__net_contains", {net16, Value(*kc::sdk::parse_ip("10.0.9.9"))}) == "true");
    CHECK(call("__net_contains", {net16, Value(*kc::sdk::parse_cidr("10.0.0.0/8"))}) == "false");
    CHECK(call("__net_overlaps", {net16, Value(*kc::sdk::parse_cidr("10.0.0.0/8"))}) == "true");
    CHECK(call("__net_host", {str("10.0.0.0/16"), Value(1)}) ==
          "error: `net.host` takes a cidr and a host number");
    CHECK(kc::sema::is_intrinsic("__net_subnet"));
    CHECK(kc::sema::is_builtin("__net_overlaps"));
    CHECK_FALSE(kc::sema::is_intrinsic("len"));
    for (const std::string& name : kc::sema::builtin_names())
      CHECK_FALSE(kc::sema::is_intrinsic(name));
  }

  TEST_CASE("any values of the wrong kind get the usage message, never a crash") {
    CHECK(call("len", {Value(5)}) == "error: `len` takes a list, a map or a string");
    CHECK(call("join", {list({Value(1)}), str(",")}) ==
          "error: `join` takes a list of strings and a separator");
    CHECK(call("sum", {list({str("a")})}) ==
          "error: `sum` takes a list of numbers, durations or sizes");
    CHECK(call("sort", {list({list({})})}) == "error: `sort` takes a list of ordered values");
    CHECK(call("min", {Value(1)}).rfind("error: `min` takes", 0) == 0);
    CHECK(call("keys", {list({})}) == "error: `keys` takes one map");
    CHECK(call("range", {str("3")}).rfind("error: `range` takes", 0) == 0);
    CHECK(call("contains", {Value::map({}), Value(1)}).rfind("error: `contains` takes", 0) == 0);
    CHECK(call("nope", {}) == "error: `nope` is not a built-in function");
  }

  TEST_CASE("unknowns inside arguments: unknown results, except where values are only moved") {
    Value partly = list({Value(1), Value::unknown()});
    CHECK(call_builtin("sha256", {Value::unknown()}).value->is_unknown());
    CHECK(call_builtin("sum", {partly}).value->is_unknown());
    CHECK(call_builtin("sort", {partly}).value->is_unknown());
    CHECK(call_builtin("join", {list({str("a"), Value::unknown()}), str(",")}).value->is_unknown());
    CHECK(call_builtin("len", {partly}).value->as_int() == 2);
    CHECK(call_builtin("format", {str("{}"), Value::unknown()}).value->is_unknown());
    CHECK(call_builtin("merge", {Value::unknown(), Value::map({})}).value->is_unknown());
  }

  TEST_CASE("typing of the new built-ins") {
    Typing t;
    using K = TypeKind;
    CHECK(t("flatten", {t.types.list_of(t.list_of(K::Int))}) == "[int]");
    CHECK(t("flatten", {t.types.any()}) == "[any]");
    CHECK(t("flatten", {t.list_of(K::Int)}) == "error: `flatten` takes a list of lists");
    CHECK(t("flatten", {}) == "error: `flatten` takes a list of lists");

    kc::sema::Type record;
    record.kind = K::Record;
    record.fields = {{"a", t.p(K::Int)}};
    kc::sema::TypeId rec = t.types.intern(record);
    CHECK(t("merge", {t.map_of(K::Int), t.map_of(K::Int)}) == "{string: int}");
    CHECK(t("merge", {rec, t.map_of(K::Int), t.map_of(K::Int)}) == "{string: int}");
    CHECK(t("merge", {t.map_of(K::Int), t.map_of(K::String)}) == "{string: any}");
    CHECK(t("merge", {t.map_of(K::Int), t.types.any()}) == "{string: any}");
    CHECK(t("merge", {t.map_of(K::Int)}) == "error: `merge` takes two or more maps");
    CHECK(t("merge", {t.map_of(K::Int), t.p(K::Int)}) == "error: `merge` takes two or more maps");

    CHECK(t("format", {t.p(K::String), t.p(K::Int), t.p(K::Cidr)}) == "string");
    CHECK(t("format", {t.p(K::String)}) == "string");
    CHECK(t("format", {t.p(K::String), t.list_of(K::Int)}).rfind("error: `format` takes", 0) == 0);
    CHECK(t("format", {t.p(K::String), t.types.optional_of(t.p(K::Int))})
              .rfind("error: `format` takes", 0) == 0);
    CHECK(t("format", {}).rfind("error: `format` takes", 0) == 0);

    CHECK(t("matches", {t.p(K::String), t.p(K::String)}) == "bool");
    CHECK(t("matches", {t.p(K::String)}) ==
          "error: `matches` takes a string and a regular expression");
    CHECK(t("to_json", {t.list_of(K::Duration)}) == "string");
    CHECK(t("to_yaml", {t.types.optional_of(t.p(K::Int))}) == "string");
    CHECK(t("to_json", {}) == "error: `to_json` takes one value");
    CHECK(t("from_json", {t.p(K::String)}) == "any");
    CHECK(t("from_yaml", {t.p(K::Int)}) == "error: `from_yaml` takes a string of YAML");
    CHECK(t("sha256", {t.p(K::String)}) == "string");
    CHECK(t("base64", {t.p(K::Bytes)}) == "error: `base64` takes a string");
    CHECK(t("file", {t.p(K::String)}) == "string");

    CHECK(t("string", {t.p(K::Version)}) == "string");
    CHECK(t("string", {t.list_of(K::Int)}).rfind("error: `string` takes", 0) == 0);
    CHECK(t("int", {t.p(K::Float)}) == "int");
    CHECK(t("int", {t.p(K::String)}) == "int");
    CHECK(t("int", {t.p(K::Bool)}).rfind("error: `int` takes", 0) == 0);
    CHECK(t("float", {t.p(K::Int)}) == "float");
    CHECK(t("duration", {t.p(K::String)}) == "duration");
    CHECK(t("duration", {t.p(K::Duration)}) == "duration");
    CHECK(t("duration", {t.p(K::Int)}) ==
          "error: `duration` takes a duration, or a string such as \"5m\"");
    CHECK(t("cidr", {t.p(K::String)}) == "cidr");
    CHECK(t("ip", {t.p(K::Cidr)}).rfind("error: `ip` takes", 0) == 0);
    CHECK(t("version", {t.types.any()}) == "version");

    CHECK(t("__net_subnet", {t.p(K::Cidr), t.p(K::Int), t.p(K::Int)}) == "cidr");
    CHECK(t("__net_subnet", {t.p(K::String), t.p(K::Int), t.p(K::Int)})
              .rfind("error: `net.subnet` takes", 0) == 0);
    CHECK(t("__net_host", {t.p(K::Cidr), t.p(K::Int)}) == "ip");
    CHECK(t("__net_contains", {t.p(K::Cidr), t.p(K::Ip)}) == "bool");
    CHECK(t("__net_contains", {t.p(K::Cidr), t.p(K::Cidr)}) == "bool");
    CHECK(t("__net_contains", {t.p(K::Cidr), t.p(K::String)}) == "bool");
    CHECK(t("__net_contains", {t.p(K::Cidr), t.p(K::Int)}) ==
          "error: `net.contains` takes a cidr and an ip, a cidr or a string holding one");
    CHECK(t("__net_overlaps", {t.p(K::Cidr), t.p(K::Cidr)}) == "bool");
  }

  TEST_CASE("every call the checker accepts, the evaluator accepts too") {
    // Sample values of each kind with their types; every built-in is called with every
    // combination of up to three of them.
    Typing t;
    using K = TypeKind;
    std::vector<std::pair<Value, kc::sema::TypeId>> samples = {
        {Value(2), t.p(K::Int)},
        {Value(2.5), t.p(K::Float)},
        {str("10.0.0.0/8"), t.p(K::String)},
        {Value(true), t.p(K::Bool)},
        {Value(), t.p(K::Null)},
        {Value(kc::sdk::Duration{60'000}), t.p(K::Duration)},
        {Value(kc::sdk::ByteSize{1024}), t.p(K::Bytes)},
        {Value(kc::sdk::Percent{40}), t.p(K::Percent)},
        {Value(*kc::sdk::parse_version("v1.2.3")), t.p(K::Version)},
        {Value(*kc::sdk::parse_ip("10.0.0.1")), t.p(K::Ip)},
        {Value(*kc::sdk::parse_cidr("10.0.0.0/8")), t.p(K::Cidr)},
        {list({Value(1)}), t.list_of(K::Int)},
        {list({list({Value(1)})}), t.types.list_of(t.list_of(K::Int))},
        {list({str("a")}), t.list_of(K::String)},
        {Value::map({{"a", Value(1)}}), t.map_of(K::Int)},
    };
    std::vector<std::string> names = kc::sema::builtin_names();
    for (const char* intrinsic : {"__net_subnet", "__net_host", "__net_contains", "__net_overlaps"})
      names.emplace_back(intrinsic);
    std::vector<std::string> disagreements;
    size_t accepted = 0;
    std::vector<size_t> pick;
    auto try_call = [&](const std::string& name) {
      std::vector<Value> args;
      std::vector<kc::sema::TypeId> types;
      for (size_t i : pick) {
        args.push_back(samples[i].first);
        types.push_back(samples[i].second);
      }
      if (!kc::sema::builtin_type(t.types, name, types).result) return;
      ++accepted;
      kc::eval::OpResult r = call_builtin(name, args);
      if (!r.value && r.error == kc::sema::builtin_usage(name)) {
        std::string call_text = name + "(";
        for (size_t i = 0; i < types.size(); ++i)
          call_text += (i ? ", " : "") + t.types.to_string(types[i]);
        disagreements.push_back(call_text + ")");
      }
    };
    for (const std::string& name : names) {
      pick.clear();
      try_call(name);
      for (size_t a = 0; a < samples.size(); ++a) {
        pick = {a};
        try_call(name);
        for (size_t b = 0; b < samples.size(); ++b) {
          pick = {a, b};
          try_call(name);
          for (size_t c = 0; c < samples.size(); ++c) {
            pick = {a, b, c};
            try_call(name);
          }
        }
      }
    }
    CHECK(accepted > 250);
    INFO(fmt::format("{}", fmt::join(disagreements, "; ")));
    CHECK(disagreements.empty());
  }

  TEST_CASE("domain members: types and values agree") {
    kc::sema::TypeTable types;
    using K = TypeKind;
    auto type_of = [&](K kind, const char* member) {
      auto t = kc::sema::domain_member_type(types, kind, member);
      return t ? types.to_string(*t) : std::string("none");
    };
    CHECK(type_of(K::Version, "major") == "int");
    CHECK(type_of(K::Version, "prerelease") == "string");
    CHECK(type_of(K::Cidr, "network") == "ip");
    CHECK(type_of(K::Cidr, "size") == "int");
    CHECK(type_of(K::Duration, "seconds") == "int");
    CHECK(type_of(K::Bytes, "bytes") == "int");
    CHECK(type_of(K::Percent, "value") == "float");
    CHECK(type_of(K::Ip, "v6") == "bool");
    CHECK(type_of(K::Cidr, "major") == "none");
    CHECK(type_of(K::Int, "bytes") == "none");
    CHECK(kc::sema::domain_member_names(K::Cidr) ==
          std::vector<std::string>{"prefix", "network", "size"});
    CHECK(kc::sema::domain_member_names(K::String).empty());

    auto member = [](const Value& v, const char* name) {
      auto out = kc::eval::domain_member(v, name);
      std::string error;
      return out ? kc::eval::encode_json(*out, &error).value() : std::string("none");
    };
    Value rc = Value(*kc::sdk::parse_version("v1.30.2-rc.1"));
    CHECK(member(rc, "major") == "1");
    CHECK(member(rc, "minor") == "30");
    CHECK(member(rc, "patch") == "2");
    CHECK(member(rc, "prerelease") == "\"rc.1\"");
    Value c = Value(*kc::sdk::parse_cidr("10.1.2.3/16"));
    CHECK(member(c, "prefix") == "16");
    CHECK(member(c, "network") == "\"10.1.0.0\"");
    CHECK(member(c, "size") == "65536");
    CHECK(member(Value(*kc::sdk::parse_cidr("fd00::/64")), "size") == "9223372036854775807");
    CHECK(member(Value(*kc::sdk::parse_cidr("fd00::/100")), "size") == "268435456");
    CHECK(member(Value(kc::sdk::Duration{90'500}), "seconds") == "90");
    CHECK(member(Value(kc::sdk::Duration{-1'500}), "seconds") == "-1");
    CHECK(member(Value(kc::sdk::Duration{90'500}), "ms") == "90500");
    CHECK(member(Value(kc::sdk::ByteSize{1LL << 30}), "bytes") == "1073741824");
    CHECK(member(Value(kc::sdk::Percent{12.5}), "value") == "12.5");
    CHECK(member(Value(*kc::sdk::parse_ip("fd00::1")), "v6") == "true");
    CHECK(member(Value(*kc::sdk::parse_ip("10.0.0.1")), "v6") == "false");
    CHECK(member(c, "size2") == "none");
    CHECK(member(Value(1), "bytes") == "none");
    CHECK(kc::eval::domain_member(Value::unknown(), "major")->is_unknown());

    // Every member the checker names exists at runtime with the kind it types.
    std::vector<std::pair<K, Value>> samples = {
        {K::Version, rc},
        {K::Cidr, c},
        {K::Duration, Value(kc::sdk::Duration{1})},
        {K::Bytes, Value(kc::sdk::ByteSize{1})},
        {K::Percent, Value(kc::sdk::Percent{1})},
        {K::Ip, Value(*kc::sdk::parse_ip("10.0.0.1"))},
    };
    for (const auto& [kind, value] : samples) {
      for (const std::string& name : kc::sema::domain_member_names(kind)) {
        CAPTURE(name);
        auto out = kc::eval::domain_member(value, name);
        REQUIRE(out);
        auto type = kc::sema::domain_member_type(types, kind, name);
        REQUIRE(type);
        CHECK(std::string(kc::sdk::kind_name(out->kind())) == types.to_string(*type));
      }
    }
  }
}
