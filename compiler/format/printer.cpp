// format(): walks the syntax tree in source order and lays it out through a Writer. Where the
// author broke a body, list, call or expression across lines is read from the source text between
// nodes; everything else about spacing is fixed here (docs/formatting.md).
#include <algorithm>
#include <functional>
#include <type_traits>
#include <variant>

#include "compiler/format/format.h"
#include "compiler/format/layout.h"

namespace kc::format {
namespace {

template <typename... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <typename... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

constexpr size_t kNone = static_cast<size_t>(-1);

// One element of a bracketed sequence (body item, list element, argument, parameter, ...).
struct Element {
  uint32_t begin = 0;
  uint32_t end = 0;
  // `field = expr`, `field { ... }` or a check line: may join an alignment run.
  bool alignable = false;
  std::function<void()> print;
};

// How a sequence is written. Body: `{ a = 1, b = 2 }` on one line, one item per line without
// commas when broken. Comma: `[1, 2]` on one line, each element followed by `,` when broken.
enum class Style { Body, Comma };

class Printer {
 public:
  Printer(const ast::File& file, std::string_view source)
      : file_(file), source_(source), writer_(source, file.comments, doc_targets()) {
    for (uint32_t i = 0; i < source_.size(); ++i) {
      if (source_[i] == '\n') newlines_.push_back(i);
    }
  }

  std::string run() {
    for (size_t i = 0; i < file_.decls.size(); ++i) {
      const ast::Decl& decl = file_.decls[i];
      writer_.line_break(start(decl.span.begin), 0, 0, Blanks{i > 0, true});
      statement_ = 0;
      this->decl(decl);
      writer_.advance(decl.span.end);
    }
    return writer_.finish();
  }

 private:
  // Restores the statement indentation when a nested element is done.
  class StatementScope {
   public:
    StatementScope(int& slot, int value) : slot_(slot), saved_(slot) { slot_ = value; }
    ~StatementScope() { slot_ = saved_; }
    StatementScope(const StatementScope&) = delete;
    StatementScope& operator=(const StatementScope&) = delete;

   private:
    int& slot_;
    int saved_;
  };

  // ---- Source positions ----

  // Where every construct that may carry a doc comment begins.
  std::vector<uint32_t> doc_targets() const {
    std::vector<uint32_t> targets;
    for (const ast::Decl& decl : file_.decls) {
      targets.push_back(start(decl.span.begin));
      if (const auto* schema = std::get_if<ast::Schema>(&decl.node)) {
        for (const ast::SchemaItem& item : schema->items)
          targets.push_back(start(item.span.begin));
      }
      if (const auto* enumeration = std::get_if<ast::Enum>(&decl.node)) {
        for (const ast::EnumMember& member : enumeration->members) {
          targets.push_back(member.name.span.begin);
        }
      }
    }
    for (const ast::Body& body : file_.bodies) {
      for (const ast::BodyItem& item : body.items)
        targets.push_back(start(item.span.begin));
    }
    return targets;
  }

  // The first position at or after `pos` that is neither whitespace nor inside a comment.
  uint32_t start(uint32_t pos) const {
    while (pos < source_.size()) {
      char c = source_[pos];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++pos;
      } else if (c == '#') {
        while (pos < source_.size() && source_[pos] != '\n')
          ++pos;
      } else {
        break;
      }
    }
    return pos;
  }

  // The position of the next `c` at or after `pos`, skipping comments; the end when there is none.
  uint32_t find(uint32_t pos, char c) const {
    while (true) {
      pos = start(pos);
      if (pos >= source_.size() || source_[pos] == c) return pos;
      ++pos;
    }
  }

  // The position of the last `c` in `span` (a closing bracket the span ends with).
  uint32_t last(source::Span span, char c) const {
    for (uint32_t pos = span.end; pos > span.begin; --pos) {
      if (source_[pos - 1] == c) return pos - 1;
    }
    return span.end > 0 ? span.end - 1 : 0;
  }

  bool newline_in(uint32_t from, uint32_t to) const {
    auto it = std::lower_bound(newlines_.begin(), newlines_.end(), from);
    return it != newlines_.end() && *it < to;
  }

  bool comment_in(uint32_t from, uint32_t to) const {
    auto it =
        std::lower_bound(file_.comments.begin(), file_.comments.end(), from,
                         [](const ast::Comment& c, uint32_t pos) { return c.span.begin < pos; });
    return it != file_.comments.end() && it->span.begin < to;
  }

  uint32_t begin_of(ast::ExprId id) const { return file_.expr(id).span.begin; }
  uint32_t end_of(ast::ExprId id) const { return file_.expr(id).span.end; }

  // A sequence is broken (one element per line) when the author put a line break between its
  // brackets and elements or between two elements; elements that themselves span lines do not
  // break it (`f({` ... `})` stays hugged). An empty one is broken only to hold comments.
  bool gaps_broken(uint32_t open, uint32_t close, const std::vector<Element>& elements) const {
    if (elements.empty()) return comment_in(open + 1, close);
    if (newline_in(open + 1, elements.front().begin)) return true;
    for (size_t i = 0; i + 1 < elements.size(); ++i) {
      if (newline_in(elements[i].end, elements[i + 1].begin)) return true;
    }
    return newline_in(elements.back().end, close);
  }

  // A body (or schema body, enum, check block) is broken when its braces are on different lines.
  bool span_broken(uint32_t open, uint32_t close, const std::vector<Element>& elements) const {
    if (elements.empty()) return comment_in(open + 1, close);
    return newline_in(open, close);
  }

  // ---- Writing ----

  void put(std::string_view text) { writer_.put(text); }
  void name(const ast::Name& name) {
    put(name.text);
    writer_.advance(name.span.end);
  }
  void qualified(const ast::QualifiedName& name) {
    if (name.module) {
      this->name(*name.module);
      put(".");
    }
    this->name(name.name);
  }
  void mark_key() {
    key_line_ = writer_.line_index();
    key_end_ = writer_.line(key_line_).text.size();
  }
  // A break inside an expression where the author had one: the rest continues one level deeper
  // than the line its statement began on.
  void soft_break(uint32_t next) {
    writer_.line_break(next, statement_ + 1, statement_ + 1, Blanks{false, false});
  }
  // ` = value`, broken after the `=` when the author broke the line anywhere in between.
  void assign(uint32_t from, ast::ExprId value, std::string_view op = "=") {
    uint32_t value_begin = begin_of(value);
    if (newline_in(from, value_begin)) {
      put(" ");
      put(op);
      soft_break(value_begin);
    } else {
      put(" ");
      put(op);
      put(" ");
    }
    expr(value);
  }

  void sequence(Style style, char open_char, char close_char, uint32_t open, uint32_t close,
                const std::vector<Element>& elements, bool broken) {
    // Elements mark their own keys; the key of the element this sequence is part of survives.
    struct KeyScope {
      Printer& p;
      size_t line = p.key_line_;
      size_t end = p.key_end_;
      ~KeyScope() {
        p.key_line_ = line;
        p.key_end_ = end;
      }
    } key_scope{*this};
    std::string open_text(1, open_char);
    std::string close_text(1, close_char);
    writer_.advance(open + 1);
    if (!broken) {
      if (elements.empty()) {
        put(open_text + close_text);
      } else {
        put(style == Style::Body ? open_text + " " : open_text);
        for (size_t i = 0; i < elements.size(); ++i) {
          if (i > 0) put(", ");
          elements[i].print();
          writer_.advance(elements[i].end);
        }
        put(style == Style::Body ? " " + close_text : close_text);
      }
      writer_.advance(close + 1);
      return;
    }
    int base = writer_.indent();
    put(open_text);
    struct Entry {
      size_t first = 0;
      size_t last = 0;
      size_t key_end = kNone;
      bool alignable = false;
    };
    std::vector<Entry> entries;
    for (size_t i = 0; i < elements.size(); ++i) {
      const Element& element = elements[i];
      writer_.line_break(element.begin, base + 1, base + 1, Blanks{i > 0, true});
      StatementScope scope(statement_, base + 1);
      Entry entry{writer_.line_index(), 0, kNone, element.alignable};
      key_end_ = kNone;
      element.print();
      if (style == Style::Comma) put(",");
      writer_.advance(element.end);
      entry.last = writer_.line_index();
      if (key_end_ != kNone && key_line_ == entry.first) entry.key_end = key_end_;
      entries.push_back(entry);
    }
    writer_.line_break(close, base, base + 1, Blanks{!elements.empty(), false});
    put(close_text);
    writer_.advance(close + 1);

    // Runs of consecutive one-line alignable elements pad their keys to a common width.
    auto one_line = [&](const Entry& e) {
      return e.alignable && e.key_end != kNone && e.first == e.last &&
             writer_.line(e.first).text.find('\n') == std::string::npos;
    };
    for (size_t i = 0; i < entries.size();) {
      if (!one_line(entries[i])) {
        ++i;
        continue;
      }
      size_t j = i + 1;
      while (j < entries.size() && one_line(entries[j]) &&
             entries[j].first == entries[j - 1].last + 1) {
        ++j;
      }
      if (j - i >= 2) {
        uint32_t width = 0;
        for (size_t k = i; k < j; ++k) {
          std::string_view text = writer_.line(entries[k].first).text;
          width = std::max(width, source::count_code_points(text.substr(0, entries[k].key_end)));
        }
        for (size_t k = i; k < j; ++k) {
          Line& line = writer_.line(entries[k].first);
          uint32_t own =
              source::count_code_points(std::string_view(line.text).substr(0, entries[k].key_end));
          line.text.insert(entries[k].key_end, width - own, ' ');
          if (line.raw_end > entries[k].key_end) line.raw_end += width - own;
        }
      }
      i = j;
    }
  }

  // ---- Declarations ----

  void decl(const ast::Decl& decl) {
    std::visit(Overloaded{
                   [&](const ast::Import& d) {
                     put("import ");
                     std::string_view path = source_.substr(d.path_span.begin, d.path_span.size());
                     if (!path.empty() && path.front() == '"') {
                       writer_.put_source(d.path_span);
                     } else {
                       put("\"" + d.path + "\"");
                       writer_.advance(d.path_span.end);
                     }
                     if (d.alias) {
                       put(" as ");
                       name(*d.alias);
                     }
                   },
                   [&](const ast::Let& d) { let(d); },
                   [&](const ast::Param& d) {
                     put("param ");
                     name(d.name);
                     put(": ");
                     type(d.type);
                     if (d.default_value) assign(file_.type(d.type).span.end, *d.default_value);
                   },
                   [&](const ast::Export& d) {
                     name(d.name);
                     assign(d.name.span.end, d.value);
                   },
                   [&](const ast::Output& d) {
                     put("output ");
                     name(d.name);
                     assign(d.name.span.end, d.value);
                   },
                   [&](const ast::TypeAlias& d) {
                     put("type ");
                     name(d.name);
                     put(" = ");
                     type(d.type);
                     if (d.check) {
                       put(" ");
                       check_block(*d.check);
                     }
                   },
                   [&](const ast::Enum& d) { enumeration(d, decl.span); },
                   [&](const ast::Schema& d) { schema(d); },
                   [&](const ast::Fn& d) { function(d); },
                   [&](const ast::Provider& d) {
                     put("provider ");
                     name(d.name);
                     if (d.alias) {
                       put(" ");
                       name(*d.alias);
                     }
                     put(" ");
                     body(d.body);
                   },
                   [&](const ast::Backend& d) {
                     put("backend ");
                     name(d.kind);
                     put(" ");
                     body(d.body);
                   },
               },
               decl.node);
  }

  void let(const ast::Let& d) {
    put("let ");
    name(d.name);
    uint32_t from = d.name.span.end;
    if (d.type) {
      put(": ");
      type(*d.type);
      from = file_.type(*d.type).span.end;
    }
    assign(from, d.value);
  }

  void enumeration(const ast::Enum& d, source::Span span) {
    put("enum ");
    name(d.name);
    put(" ");
    uint32_t open = find(d.name.span.end, '{');
    uint32_t close = last(span, '}');
    std::vector<Element> elements;
    for (const ast::EnumMember& member : d.members) {
      elements.push_back(Element{member.name.span.begin, member.name.span.end, false,
                                 [this, &member] { name(member.name); }});
    }
    sequence(Style::Body, '{', '}', open, close, elements, span_broken(open, close, elements));
  }

  void schema(const ast::Schema& d) {
    put("schema ");
    name(d.name);
    if (d.parent) {
      put(" extends ");
      qualified(*d.parent);
    }
    put(" ");
    std::vector<Element> elements;
    for (const ast::SchemaItem& item : d.items) {
      elements.push_back(Element{start(item.span.begin), item.span.end, false,
                                 [this, &item] { schema_item(item); }});
    }
    uint32_t open = d.body_span.begin;
    uint32_t close = d.body_span.end - 1;
    sequence(Style::Body, '{', '}', open, close, elements, span_broken(open, close, elements));
  }

  void schema_item(const ast::SchemaItem& item) {
    std::visit(Overloaded{
                   [&](const ast::FieldDecl& d) { field_decl(d); },
                   [&](const ast::Let& d) { let(d); },
                   [&](const ast::CheckBlock& d) { check_block(d); },
               },
               item.node);
  }

  void field_decl(const ast::FieldDecl& d) {
    for (size_t i = 0; i < d.annotations.size(); ++i) {
      const ast::Annotation& annotation = d.annotations[i];
      put("@");
      name(annotation.name);
      std::string_view written = source_.substr(annotation.span.begin, annotation.span.size());
      if (!annotation.args.empty() || (!written.empty() && written.back() == ')')) {
        put("(");
        for (size_t k = 0; k < annotation.args.size(); ++k) {
          if (k > 0) put(", ");
          expr(annotation.args[k]);
        }
        put(")");
      }
      writer_.advance(annotation.span.end);
      uint32_t next =
          i + 1 < d.annotations.size() ? d.annotations[i + 1].span.begin : d.name.span.begin;
      // An annotation the author wrote on its own line stays there.
      if (newline_in(annotation.span.end, next)) {
        writer_.line_break(next, statement_, statement_, Blanks{false, false});
      } else {
        put(" ");
      }
    }
    name(d.name);
    put(": ");
    type(d.type);
    if (d.default_value) assign(file_.type(d.type).span.end, *d.default_value);
  }

  void check_block(const ast::CheckBlock& block) {
    put("check ");
    uint32_t open = find(block.span.begin + 5, '{');
    uint32_t close = last(block.span, '}');
    std::vector<Element> elements;
    for (const ast::CheckLine& line : block.lines) {
      elements.push_back(Element{start(line.span.begin), line.span.end, true, [this, &line] {
                                   expr(line.condition);
                                   mark_key();
                                   assign(end_of(line.condition), line.message, ":");
                                 }});
    }
    sequence(Style::Body, '{', '}', open, close, elements, span_broken(open, close, elements));
  }

  void function(const ast::Fn& d) {
    put("fn ");
    name(d.name);
    uint32_t open = find(d.name.span.end, '(');
    uint32_t close = find(d.params.empty() ? open + 1 : d.params.back().span.end, ')');
    std::vector<Element> elements;
    for (const ast::FnParam& param : d.params) {
      elements.push_back(Element{param.span.begin, param.span.end, false, [this, &param] {
                                   name(param.name);
                                   put(": ");
                                   type(param.type);
                                   if (param.default_value) {
                                     assign(file_.type(param.type).span.end, *param.default_value);
                                   }
                                 }});
    }
    sequence(Style::Comma, '(', ')', open, close, elements, gaps_broken(open, close, elements));
    uint32_t from = close + 1;
    if (d.result) {
      put(" -> ");
      type(*d.result);
      from = file_.type(*d.result).span.end;
    }
    assign(from, d.body);
  }

  // ---- Bodies ----

  void body(ast::BodyId id) {
    const ast::Body& b = file_.body(id);
    std::vector<Element> elements;
    for (const ast::BodyItem& item : b.items) {
      bool alignable = std::holds_alternative<ast::FieldAssign>(item.node);
      elements.push_back(Element{start(item.span.begin), item.span.end, alignable,
                                 [this, &item] { body_item(item); }});
    }
    uint32_t open = b.span.begin;
    uint32_t close = b.span.end - 1;
    sequence(Style::Body, '{', '}', open, close, elements, span_broken(open, close, elements));
  }

  void label(const ast::Label& label) {
    if (label.ident) {
      name(*label.ident);
    } else if (label.string.valid()) {
      writer_.put_source(file_.expr(label.string).span);
    } else {
      writer_.put_source(label.span);
    }
  }

  void body_item(const ast::BodyItem& item) {
    std::visit(Overloaded{
                   [&](const ast::FieldAssign& d) {
                     label(d.key);
                     mark_key();
                     const ast::Expr& value = file_.expr(d.value);
                     if (d.block_form && std::holds_alternative<ast::RecordLit>(value.node)) {
                       put(" ");
                       body(std::get<ast::RecordLit>(value.node).body);
                     } else {
                       assign(d.key.span.end, d.value);
                     }
                   },
                   [&](const ast::LabelledBlock& d) {
                     name(d.field);
                     put(" ");
                     label(d.label);
                     put(" ");
                     body(d.body);
                   },
                   [&](const ast::ForItem& d) {
                     put("for ");
                     if (d.key) {
                       name(*d.key);
                       put(", ");
                     }
                     name(d.value);
                     put(" in ");
                     expr(d.iterable);
                     put(" ");
                     body(d.body);
                   },
                   [&](const ast::IfItem& d) {
                     for (size_t i = 0; i < d.branches.size(); ++i) {
                       if (i > 0) put(" else ");
                       put("if ");
                       expr(d.branches[i].condition);
                       put(" ");
                       body(d.branches[i].body);
                     }
                     if (d.else_body) {
                       put(" else ");
                       body(*d.else_body);
                     }
                   },
                   [&](const ast::ResourceItem& d) { expr(d.resource); },
               },
               item.node);
  }

  // ---- Types ----

  void type(ast::TypeExprId id) {
    const ast::TypeExpr& t = file_.type(id);
    switch (t.kind) {
      case ast::TypeExpr::Kind::Error:
        writer_.put_source(t.span);
        break;
      case ast::TypeExpr::Kind::Named:
        qualified(t.name);
        break;
      case ast::TypeExpr::Kind::List:
        put("[");
        type(t.element);
        put("]");
        break;
      case ast::TypeExpr::Kind::Map:
        put("{string: ");
        type(t.element);
        put("}");
        break;
      case ast::TypeExpr::Kind::Optional:
        type(t.element);
        put("?");
        break;
      case ast::TypeExpr::Kind::Range:
        qualified(t.name);
        put("(");
        if (t.low) expr(*t.low);
        put("..");
        if (t.high) expr(*t.high);
        put(")");
        break;
    }
    writer_.advance(t.span.end);
  }

  // ---- Expressions ----

  void comp_clause(const ast::CompClause& clause) {
    if (clause.kind == ast::CompClause::Kind::If) {
      put("if ");
      expr(clause.expr);
      return;
    }
    put("for ");
    if (clause.key) {
      name(*clause.key);
      put(", ");
    }
    name(clause.value);
    put(" in ");
    expr(clause.expr);
  }

  // `[for ... if ...: value]` and `{for ...: key => value}`; broken, each clause starts a line.
  void comprehension(source::Span span, char open_char, char close_char,
                     const std::vector<ast::CompClause>& clauses, uint32_t value_begin,
                     uint32_t value_end, const std::function<void()>& value) {
    uint32_t open = span.begin;
    uint32_t close = last(span, close_char);
    bool broken = !clauses.empty() && newline_in(open + 1, clauses.front().span.begin);
    for (size_t i = 0; i + 1 < clauses.size(); ++i) {
      broken = broken || newline_in(clauses[i].span.end, clauses[i + 1].span.begin);
    }
    broken = broken || newline_in(value_end, close);
    int base = writer_.indent();
    put(std::string(1, open_char));
    writer_.advance(open + 1);
    {
      StatementScope scope(statement_, broken ? base + 1 : statement_);
      for (size_t i = 0; i < clauses.size(); ++i) {
        if (broken) {
          writer_.line_break(clauses[i].span.begin, base + 1, base + 1, Blanks{i > 0, true});
        } else if (i > 0) {
          put(" ");
        }
        comp_clause(clauses[i]);
        writer_.advance(clauses[i].span.end);
      }
      put(":");
      uint32_t after = clauses.empty() ? open + 1 : clauses.back().span.end;
      if (newline_in(after, value_begin)) {
        soft_break(value_begin);
      } else {
        put(" ");
      }
      value();
    }
    if (broken) writer_.line_break(close, base, base + 1, Blanks{true, false});
    put(std::string(1, close_char));
    writer_.advance(close + 1);
  }

  void expr(ast::ExprId id) {
    const ast::Expr& e = file_.expr(id);
    std::visit(
        Overloaded{
            [&](const ast::Error&) { writer_.put_source(e.span); },
            [&](const ast::IntLit&) { writer_.put_source(e.span); },
            [&](const ast::FloatLit&) { writer_.put_source(e.span); },
            [&](const ast::StringLit&) { writer_.put_source(e.span); },
            [&](const ast::InterpolatedString&) { writer_.put_source(e.span); },
            [&](const ast::BoolLit&) { writer_.put_source(e.span); },
            [&](const ast::NullLit&) { writer_.put_source(e.span); },
            [&](const ast::DomainLit&) { writer_.put_source(e.span); },
            [&](const ast::ListLit& d) {
              uint32_t open = e.span.begin;
              uint32_t close = last(e.span, ']');
              std::vector<Element> elements;
              for (ast::ExprId item : d.items) {
                elements.push_back(
                    Element{begin_of(item), end_of(item), false, [this, item] { expr(item); }});
              }
              sequence(Style::Comma, '[', ']', open, close, elements,
                       gaps_broken(open, close, elements));
            },
            [&](const ast::RecordLit& d) {
              if (d.schema) {
                qualified(*d.schema);
                put(" ");
              }
              body(d.body);
            },
            [&](const ast::NameRef& d) { name(d.name); },
            [&](const ast::SelfRef&) { put("self"); },
            [&](const ast::Paren& d) {
              uint32_t open = e.span.begin;
              uint32_t close = last(e.span, ')');
              std::vector<Element> elements{Element{begin_of(d.inner), end_of(d.inner), false,
                                                    [this, &d] { expr(d.inner); }}};
              bool broken =
                  newline_in(open + 1, begin_of(d.inner)) || newline_in(end_of(d.inner), close);
              if (broken) {
                // Like a one-element list, without the comma.
                int base = writer_.indent();
                put("(");
                writer_.advance(open + 1);
                writer_.line_break(begin_of(d.inner), base + 1, base + 1, Blanks{false, false});
                {
                  StatementScope scope(statement_, base + 1);
                  expr(d.inner);
                }
                writer_.line_break(close, base, base + 1, Blanks{true, false});
                put(")");
                writer_.advance(close + 1);
              } else {
                sequence(Style::Comma, '(', ')', open, close, elements, false);
              }
            },
            [&](const ast::Member& d) {
              expr(d.object);
              put(".");
              name(d.member);
            },
            [&](const ast::Index& d) {
              expr(d.object);
              put("[");
              expr(d.index);
              put("]");
            },
            [&](const ast::Call& d) {
              expr(d.callee);
              uint32_t open = find(end_of(d.callee), '(');
              uint32_t close = last(e.span, ')');
              std::vector<Element> elements;
              for (ast::ExprId arg : d.args) {
                elements.push_back(
                    Element{begin_of(arg), end_of(arg), false, [this, arg] { expr(arg); }});
              }
              sequence(Style::Comma, '(', ')', open, close, elements,
                       gaps_broken(open, close, elements));
            },
            [&](const ast::Unary& d) {
              put(d.op == ast::UnaryOp::Neg ? "-" : "!");
              expr(d.operand);
            },
            [&](const ast::Binary& d) {
              expr(d.lhs);
              assign(end_of(d.lhs), d.rhs, ast::spelling(d.op));
            },
            [&](const ast::IfElse& d) {
              put("if ");
              expr(d.condition);
              keyword_gap(end_of(d.condition), begin_of(d.then_value), "then");
              expr(d.then_value);
              keyword_gap(end_of(d.then_value), begin_of(d.else_value), "else");
              expr(d.else_value);
            },
            [&](const ast::ListComp& d) {
              comprehension(e.span, '[', ']', d.clauses, begin_of(d.value), end_of(d.value),
                            [this, &d] { expr(d.value); });
            },
            [&](const ast::MapComp& d) {
              comprehension(e.span, '{', '}', d.clauses, begin_of(d.key), end_of(d.value),
                            [this, &d] {
                              expr(d.key);
                              assign(end_of(d.key), d.value, "=>");
                            });
            },
            [&](const ast::With& d) {
              expr(d.object);
              put(" with ");
              body(d.body);
            },
            [&](const ast::ResourceExpr& d) {
              put("resource ");
              name(d.provider);
              put(".");
              name(d.kind);
              put(" ");
              label(d.label);
              put(" ");
              body(d.body);
            },
        },
        e.node);
    writer_.advance(e.span.end);
  }

  // ` then ` / ` else ` in `if c then a else b`; the line breaks before the keyword when the author
  // broke it anywhere between the two operands.
  void keyword_gap(uint32_t from, uint32_t to, std::string_view keyword) {
    if (newline_in(from, to)) {
      soft_break(to);
    } else {
      put(" ");
    }
    put(keyword);
    put(" ");
  }

  const ast::File& file_;
  std::string_view source_;
  Writer writer_;
  std::vector<uint32_t> newlines_;  // offsets of every '\n' of the source
  int statement_ = 0;  // indentation of the line the current statement or element began on
  size_t key_line_ = kNone;
  size_t key_end_ = kNone;  // where the key of the element being printed ends on key_line_
};

}  // namespace

std::string format(const ast::File& file, std::string_view source_text) {
  return Printer(file, source_text).run();
}

}  // namespace kc::format
