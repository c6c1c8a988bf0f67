// The KCL parser (LANGUAGE.md sections 5-7). compiler/syntax/parse.cpp turns its parse tree into
// ast::File. Repetition is written as loops rather than left recursion so trees stay shallow.
parser grammar KclParser;

options { tokenVocab = KclLexer; }

file : decl* EOF ;

decl
  : IMPORT path=string (AS alias=IDENT)?               # importDecl
  | LET name=IDENT (COLON typeExpr)? ASSIGN expr       # letDecl
  | PARAM name=IDENT COLON typeExpr (ASSIGN expr)?     # paramDecl
  | OUTPUT name=IDENT ASSIGN expr                      # outputDecl
  | name=IDENT ASSIGN expr                             # exportDecl
  ;

// ---- Types as written: `int`, `[T]`, `{string: T}`, `T?` ----
typeExpr : typeAtom QUESTION* ;

typeAtom
  : IDENT                                   # namedType
  | LBRACK typeExpr RBRACK                  # listType
  | LBRACE key=IDENT COLON typeExpr RBRACE  # mapType
  ;

// ---- Expressions ----
expr : postfix ;

postfix : primary (DOT fieldName)* ;

primary
  : INT                                                             # intLit
  | FLOAT                                                           # floatLit
  | string                                                          # stringLit
  | value=(TRUE_KW | FALSE_KW)                                            # boolLit
  | NULL_KW                                                            # nullLit
  | domain=(DURATION | SIZE | PERCENT | VERSION | IPV4 | CIDR | BAD_NUMBER | BAD_VERSION) # domainLit
  | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK                      # listLit
  | schema=IDENT? body                                              # recordLit
  | IDENT                                                           # nameRef
  | RESOURCE provider=IDENT DOT kind=IDENT resourceLabel body       # resourceExpr
  | LPAREN expr RPAREN                                              # parenExpr
  ;

// Unterminated strings are accepted here so that a missing quote is reported once (E0102).
string : STRING | TRIPLE_STRING | UNTERMINATED_STRING | UNTERMINATED_TRIPLE_STRING ;

resourceLabel : IDENT | string ;

// ---- Bodies: items separated by newlines (which the lexer drops) or commas ----
body : LBRACE (item (COMMA? item)* COMMA?)? RBRACE ;

item
  : fieldName ASSIGN expr   # assignItem
  | fieldName body          # blockItem
  ;

// Where a field name is expected, a keyword is a name too (`provider = sim`, `x.provider`).
fieldName
  : IDENT | IMPORT | AS | LET | PARAM | TYPE | ENUM | SCHEMA | EXTENDS | FN | RESOURCE | PROVIDER
  | BACKEND | OUTPUT | CHECK | FOR | IN | IF | THEN | ELSE | TRUE_KW | FALSE_KW | NULL_KW | SELF
  ;
