// The KCL lexer (LANGUAGE.md section 2): every token of the language, including all literal forms.
// Domain literals are only shaped here; compiler/syntax/parse.cpp validates them with the sdk parsers.
lexer grammar KclLexer;

// ---- Trivia ----
// Comments are kept on the hidden channel: the parser never sees them, the AST keeps them.
COMMENT : '#' ~[\r\n]* -> channel(HIDDEN) ;
WS      : [ \t\r\n\f\uFEFF]+ -> skip ;

// ---- Keywords (a keyword may still name a field; see fieldName in KclParser.g4) ----
// Keep them together, IMPORT first and SELF last: compiler/syntax/parse.cpp relies on the range.
IMPORT   : 'import' ;
AS       : 'as' ;
LET      : 'let' ;
PARAM    : 'param' ;
TYPE     : 'type' ;
ENUM     : 'enum' ;
SCHEMA   : 'schema' ;
EXTENDS  : 'extends' ;
FN       : 'fn' ;
RESOURCE : 'resource' ;
PROVIDER : 'provider' ;
BACKEND  : 'backend' ;
OUTPUT   : 'output' ;
CHECK    : 'check' ;
FOR      : 'for' ;
IN       : 'in' ;
IF       : 'if' ;
THEN     : 'then' ;
ELSE     : 'else' ;
TRUE_KW     : 'true' ;
FALSE_KW    : 'false' ;
NULL_KW     : 'null' ;
SELF     : 'self' ;

// ---- Literals ----
// Rule order breaks ties between equally long matches; the longest match wins otherwise. So a
// well-formed literal beats the BAD_* catch-alls below only when both cover the same text, and a
// number glued to letters that are not a unit (`16GB`, `5mins`) becomes one BAD_NUMBER token.

// `v1.29.4`, `v1.30.0-rc.1`: `v` then exactly three numbers. `v1` alone is an identifier.
VERSION  : 'v' Num '.' Num '.' Num ('-' SemverIds)? ('+' SemverIds)? ;
// `v1.29`, `v1.2.3.4`, `v1.2.3x`: version-shaped but malformed (a field name never starts with a
// digit, so `v1.29` cannot be member access).
BAD_VERSION : 'v' Num ('.' Num)+ ('-' SemverIds)? ('+' SemverIds)? [A-Za-z0-9_]* ;

CIDR     : Num '.' Num '.' Num '.' Num '/' Num ;
IPV4     : Num '.' Num '.' Num '.' Num ;
DURATION : (Digits DurationUnit)+ ;
SIZE     : Digits SizeUnit ;
PERCENT  : Digits ('.' Digits)? '%' ;
FLOAT    : Digits '.' Digits Exponent? | Digits Exponent ;
INT      : Digits | '0' [xX] HexDigit+ ('_' HexDigit+)* ;
// A number glued to letters that are not a unit (`16GB`, `5mins`, `1.5h`, `0x1g`, `1_`), or dotted
// numbers that are not an address (`1.2.3`, `1.2.3.4.5`, `1.2.3/8`).
BAD_NUMBER
  : Digits ('.' Digits)* [A-Za-z_] [A-Za-z0-9_]*
  | Digits '.' Digits '.' Digits ('.' Digits)* ('/' Digits)? [A-Za-z0-9_]*
  ;

// A single-line string. `${...}` is an interpolation (the full front end splits it into parts); it
// may hold nested strings and braces, so `"${f("x")}"` is one token.
STRING   : '"' StringChar* '"' ;
// `"""` ... `"""` spans lines; escapes as in STRING.
TRIPLE_STRING : '"""' ( '\\' . | . )*? '"""' ;
// A string cut off by the end of its line or of the file. The parser accepts it as a string and
// reports E0102, so one missing quote gives one diagnostic.
UNTERMINATED_STRING : '"' StringChar* '\\'? ;
UNTERMINATED_TRIPLE_STRING : '"""' ( '\\' . | ~["\\] | '"' ~'"' | '""' ~'"' )* '\\'? ;

// ---- Punctuation and operators ----
LBRACE   : '{' ;
RBRACE   : '}' ;
LBRACK   : '[' ;
RBRACK   : ']' ;
LPAREN   : '(' ;
RPAREN   : ')' ;
COMMA    : ',' ;
DOT      : '.' ;
RANGE    : '..' ;
COLON    : ':' ;
ASSIGN   : '=' ;
QUESTION : '?' ;
COALESCE : '??' ;
ARROW    : '->' ;
FAT_ARROW : '=>' ;
AT       : '@' ;
PLUS     : '+' ;
MINUS    : '-' ;
STAR     : '*' ;
SLASH    : '/' ;
PERCENT_SIGN : '%' ;
BANG     : '!' ;
EQ       : '==' ;
NE       : '!=' ;
LT       : '<' ;
LE       : '<=' ;
GT       : '>' ;
GE       : '>=' ;
AND      : '&&' ;
OR       : '||' ;

IDENT    : [A-Za-z_] [A-Za-z0-9_]* ;

// Any other character: the parser reports it as unexpected, so the lexer never fails.
ERROR_CHAR : . ;

// ---- Fragments ----
fragment Num          : [0-9]+ ;
fragment Digits       : [0-9]+ ('_' [0-9]+)* ;
fragment HexDigit     : [0-9a-fA-F] ;
fragment Exponent     : [eE] [+-]? Digits ;
fragment DurationUnit : 'ms' | 's' | 'm' | 'h' | 'd' ;
fragment SizeUnit     : [kMGTPE] | [KMGTPE] 'i' ;
fragment SemverIds    : [0-9A-Za-z-]+ ('.' [0-9A-Za-z-]+)* ;
fragment StringChar   : '\\' ~[\r\n] | Interpolation | ~["\\\r\n] ;
fragment Interpolation : '${' InterpolationBody '}' ;
fragment InterpolationBody : ( '"' StringChar* '"' | '{' InterpolationBody '}' | ~[{}"\r\n] )* ;
