// The KCL parser (LANGUAGE.md sections 1-7) over the tokens of the hand-written lexer
// (compiler/syntax/lexer.h). compiler/syntax/parse.cpp feeds the tokens in and parses one `decl`
// at a time, as `file` would; compiler/syntax/tree_to_ast.cpp turns each tree into ast::File. Parts
// the AST builder reads carry labels, so it never searches a node's children, and names are token
// sets rather than rules of their own (each rule invocation costs).
// Expressions are one left-recursive rule (ANTLR loops over its operators); repetition is written
// as loops. The grammar is SLL and without predicates: every decision is settled by at most three
// tokens of lookahead. In particular nothing may follow an expression that could also continue it
// (but `with`, which then needs a second token): so the body of a `for` or `if` item is the record
// literal that ends its header, which parse.cpp splits off, and a check's message is a string.
parser grammar KclParser;

// Every kind of compiler/syntax/token_kinds.def but END (ANTLR's EOF plays it), in the same order.
tokens {
  IMPORT, AS, LET, PARAM, TYPE, ENUM, SCHEMA, EXTENDS, FN, RESOURCE, PROVIDER, BACKEND, OUTPUT,
  CHECK, FOR, IN, IF, THEN, ELSE, TRUE_KW, FALSE_KW, NULL_KW, SELF, WITH, IDENT, INT, FLOAT,
  DURATION, SIZE, PERCENT, VERSION, IPV4, CIDR, BAD_LITERAL, STRING, STRING_OPEN, STRING_MIDDLE,
  STRING_CLOSE, LBRACE, RBRACE, LBRACK, RBRACK, LPAREN, RPAREN, COMMA, DOT, RANGE, COLON, ASSIGN,
  QUESTION, COALESCE, ARROW, FAT_ARROW, AT, PLUS, MINUS, STAR, SLASH, PERCENT_SIGN, BANG, EQ, NE,
  LT, LE, GT, GE, AND, OR
}

// Every rule context knows how deeply it is nested, so the parser can refuse input built to make
// it recurse (compiler/syntax/parse.cpp sets it on entering a rule). Contexts are allocated from
// the arena of the parse that creates them, when it installs one, and are freed with it.
options { contextSuperClass = KcContext; }

@parser::context {
class KcContext : public antlr4::ParserRuleContext {
 public:
  KcContext() = default;
  KcContext(antlr4::ParserRuleContext* parent, size_t invokingState)
      : antlr4::ParserRuleContext(parent, invokingState) {}

  // A bump allocator for the contexts of one parse; see arena(). clear() recycles its memory once
  // the contexts allocated so far are destroyed.
  class Arena {
   public:
    Arena() = default;
    Arena(const Arena&) = delete;
    Arena& operator=(const Arena&) = delete;
    ~Arena() {
      for (const Block& block : blocks_) ::operator delete(block.data);
    }
    void* allocate(size_t size) {
      size = (size + 15) & ~size_t{15};
      while (size > left_) {
        if (++current_ >= blocks_.size()) {
          size_t capacity = size > kBlock ? size : kBlock;
          blocks_.push_back({static_cast<char*>(::operator new(capacity)), capacity});
          current_ = blocks_.size() - 1;
        }
        next_ = blocks_[current_].data;
        left_ = blocks_[current_].size;
      }
      void* out = next_;
      next_ += size;
      left_ -= size;
      return out;
    }
    void clear() {
      current_ = SIZE_MAX;
      next_ = nullptr;
      left_ = 0;
    }

   private:
    static constexpr size_t kBlock = 256 * 1024;
    struct Block {
      char* data;
      size_t size;
    };
    std::vector<Block> blocks_;
    size_t current_ = SIZE_MAX;  // the block being filled
    char* next_ = nullptr;
    size_t left_ = 0;
  };
  // The arena new contexts come from on this thread; null means the heap.
  static Arena*& arena() {
    thread_local Arena* current = nullptr;
    return current;
  }

  static void* operator new(size_t size) {
    return arena() != nullptr ? arena()->allocate(size) : ::operator new(size);
  }
  // Memory from an arena is released with the arena, which outlives the parser that deletes
  // the contexts.
  static void operator delete(void* p) {
    if (arena() == nullptr) ::operator delete(p);
  }

  int nesting = 0;
};
}

// parse.cpp runs this loop itself, so each declaration's tree can be freed once it is built.
file : decls+=decl* EOF ;

// ---- Declarations ----
// Names are IDENT or WITH: `with` is an operator only after an expression.

decl
  : IMPORT path=STRING (AS alias=(IDENT | WITH))?                                  # importDecl
  | LET id=(IDENT | WITH) (COLON type=typeExpr)? ASSIGN value=expr                 # letDecl
  | PARAM id=(IDENT | WITH) COLON type=typeExpr (ASSIGN value=expr)?               # paramDecl
  | OUTPUT id=(IDENT | WITH) ASSIGN value=expr                                     # outputDecl
  | TYPE id=(IDENT | WITH) ASSIGN type=typeExpr check=checkBlock?                  # typeDecl
  | ENUM id=(IDENT | WITH) open=LBRACE (members+=(IDENT | WITH) COMMA?)* close=RBRACE # enumDecl
  | SCHEMA id=(IDENT | WITH) (EXTENDS base=(IDENT | WITH) (DOT baseName=(IDENT | WITH))?)?
      open=LBRACE (items+=schemaItem COMMA?)* close=RBRACE                         # schemaDecl
  | FN id=(IDENT | WITH) open=LPAREN (params+=fnParam (COMMA params+=fnParam)* COMMA?)?
      close=RPAREN (ARROW result=typeExpr)? ASSIGN value=expr                      # fnDecl
  | PROVIDER id=(IDENT | WITH) alias=(IDENT | WITH)? config=body                   # providerDecl
  | BACKEND id=(IDENT | WITH) config=body                                          # backendDecl
  | id=(IDENT | WITH) ASSIGN value=expr                                            # exportDecl
  ;

schemaItem
  : annotations+=annotation* key=(IDENT | WITH | IMPORT | AS | LET | PARAM | TYPE | ENUM | SCHEMA | EXTENDS | FN | RESOURCE
        | PROVIDER | BACKEND | OUTPUT | CHECK | FOR | IN | IF | THEN | ELSE | TRUE_KW | FALSE_KW
        | NULL_KW | SELF) COLON type=typeExpr (ASSIGN value=expr)?     # fieldDecl
  | LET id=(IDENT | WITH) (COLON type=typeExpr)? ASSIGN value=expr                 # schemaLet
  | check=checkBlock                                                               # schemaCheck
  ;

annotation
  : AT id=(IDENT | WITH) (open=LPAREN (args+=expr (COMMA args+=expr)* COMMA?)? close=RPAREN)?
  ;

checkBlock : CHECK open=LBRACE (lines+=checkLine COMMA?)* close=RBRACE ;
checkLine : cond=expr COLON message=stringExpr ;

fnParam : id=(IDENT | WITH) COLON type=typeExpr (ASSIGN value=expr)? ;

// ---- Types as written: `int`, `mod.Name`, `[T]`, `{string: T}`, `T?`, `int(1..65535)` ----

typeExpr
  : ( first=(IDENT | WITH) (DOT second=(IDENT | WITH))?
        (range=LPAREN low=rangeBound? RANGE high=rangeBound? rangeClose=RPAREN)?
    | list=LBRACK element=typeExpr listClose=RBRACK
    | map=LBRACE key=(IDENT | WITH) COLON value=typeExpr mapClose=RBRACE
    ) marks+=QUESTION*
  ;

// A range bound is a literal, possibly negated.
rangeBound
  : neg=MINUS? lit=(INT | FLOAT | DURATION | SIZE | PERCENT | VERSION | IPV4 | CIDR | BAD_LITERAL
                    | STRING)
  ;

// ---- Bodies (section 5): items separated by newlines (which the lexer drops) or commas ----

// A map comprehension `{for k, v in m if p: k => v}` is braces whose items are its clauses (`for`
// and `if` items without bodies) followed by `: key => value`.
body
  : open=LBRACE (items+=item COMMA?)* (tail=COLON mkey=expr FAT_ARROW mvalue=expr)? close=RBRACE
  ;

item
  // `for x in xs { ... }` and `if c { ... }`: the body is the record literal at the end of the
  // header (`xs { ... }`, `c { ... }`).
  : head=compFor                                                                          # forItem
  | branches+=ifBranch (ELSE branches+=ifBranch)* (ELSE otherwise=body)?                   # ifItem
  | resource=resourceExpr                                                                 # resourceItem
  // Any keyword may name a field here. In the block forms `if`, `for`, `else` and `with` may
  // not, so those stay unambiguous.
  | key=(IDENT | WITH | IMPORT | AS | LET | PARAM | TYPE | ENUM | SCHEMA | EXTENDS | FN | RESOURCE
        | PROVIDER | BACKEND | OUTPUT | CHECK | FOR | IN | IF | THEN | ELSE | TRUE_KW | FALSE_KW
        | NULL_KW | SELF) ASSIGN value=expr                                                            # assignItem
  | key=(IDENT | IMPORT | AS | LET | PARAM | TYPE | ENUM | SCHEMA | EXTENDS | FN | RESOURCE
        | PROVIDER | BACKEND | OUTPUT | CHECK | IN | THEN | TRUE_KW | FALSE_KW | NULL_KW | SELF) block=body                                                                   # blockItem
  | key=(IDENT | IMPORT | AS | LET | PARAM | TYPE | ENUM | SCHEMA | EXTENDS | FN | RESOURCE
        | PROVIDER | BACKEND | OUTPUT | CHECK | IN | THEN | TRUE_KW | FALSE_KW | NULL_KW | SELF) (label=(IDENT | WITH) | slabel=stringExpr) block=body                        # labelledItem
  | skey=stringExpr (ASSIGN value=expr | block=body)                                      # stringItem
  ;

ifBranch : IF cond=expr ;

resourceExpr
  : RESOURCE provider=(IDENT | WITH) DOT kind=(IDENT | WITH | IMPORT | AS | LET | PARAM | TYPE | ENUM | SCHEMA | EXTENDS | FN | RESOURCE
        | PROVIDER | BACKEND | OUTPUT | CHECK | FOR | IN | IF | THEN | ELSE | TRUE_KW | FALSE_KW
        | NULL_KW | SELF) (label=(IDENT | WITH) | slabel=stringExpr)
      block=body
  ;

// ---- Expressions (section 6), highest precedence first ----

expr
  : lhs=expr DOT member=(IDENT | WITH | IMPORT | AS | LET | PARAM | TYPE | ENUM | SCHEMA | EXTENDS | FN | RESOURCE
        | PROVIDER | BACKEND | OUTPUT | CHECK | FOR | IN | IF | THEN | ELSE | TRUE_KW | FALSE_KW
        | NULL_KW | SELF)
  | lhs=expr lp=LPAREN (args+=expr (COMMA args+=expr)* COMMA?)? close=RPAREN
  | lhs=expr lb=LBRACK index=expr close=RBRACK
  | lhs=expr record=body
  | lhs=expr with=WITH update=body
  | op=(MINUS | BANG) operand=expr
  | lhs=expr op=(STAR | SLASH | PERCENT_SIGN) rhs=expr
  | lhs=expr op=(PLUS | MINUS) rhs=expr
  | lhs=expr op=(LT | LE | GT | GE) rhs=expr
  | lhs=expr op=(EQ | NE) rhs=expr
  | lhs=expr op=AND rhs=expr
  | lhs=expr op=OR rhs=expr
  | <assoc=right> lhs=expr op=COALESCE rhs=expr
  | kw=IF cond=expr THEN thenValue=expr ELSE elseValue=expr
  | lit=(INT | FLOAT | DURATION | SIZE | PERCENT | VERSION | IPV4 | CIDR | BAD_LITERAL | TRUE_KW
        | FALSE_KW | NULL_KW | SELF)
  | id=(IDENT | WITH)
  | str=stringExpr
  | list=listExpr
  | record=body
  | resource=resourceExpr
  | lp=LPAREN inner=expr close=RPAREN
  ;

// `"text"`, or `"a${x}b${y}c"` split by the lexer around its interpolations.
stringExpr
  : plain=STRING
  | open=STRING_OPEN parts+=expr (middles+=STRING_MIDDLE parts+=expr)* close=STRING_CLOSE
  ;

// `[a, b]` or `[for x in xs if p(x): f(x)]`
listExpr
  : open=LBRACK ( head=compFor clauses+=compClause* COLON value=expr
                | (items+=expr (COMMA items+=expr)* COMMA?)?
                ) close=RBRACK
  ;

compFor : FOR (key=(IDENT | WITH) COMMA)? value=(IDENT | WITH) IN iter=expr ;
compClause : loop=compFor | IF cond=expr ;
