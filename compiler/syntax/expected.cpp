// expected_parts(): token sets in words (expected.h). Categories are recognised by tokens only they
// contain together, then their tokens are dropped and the rest is spelled one by one.
#include "compiler/syntax/expected.h"

#include <algorithm>
#include <initializer_list>

namespace kc::syntax {

namespace {

using K = TokenKind;

// Keywords, which may all name a field.
constexpr K kKeywords[] = {K::IMPORT, K::AS,      K::LET,      K::PARAM,    K::TYPE,     K::ENUM,
                           K::SCHEMA, K::EXTENDS, K::FN,       K::RESOURCE, K::PROVIDER, K::BACKEND,
                           K::OUTPUT, K::CHECK,   K::FOR,      K::IN,       K::IF,       K::THEN,
                           K::ELSE,   K::TRUE_KW, K::FALSE_KW, K::NULL_KW,  K::SELF};

class KindSet {
 public:
  explicit KindSet(std::vector<TokenKind> kinds) : kinds_(std::move(kinds)) {}
  bool has(K kind) const { return std::ranges::find(kinds_, kind) != kinds_.end(); }
  bool has_all(std::initializer_list<K> kinds) const {
    return std::ranges::all_of(kinds, [&](K k) { return has(k); });
  }
  template <typename Range>
  void drop(const Range& kinds) {
    for (K kind : kinds)
      std::erase(kinds_, kind);
  }
  void drop(std::initializer_list<K> kinds) { drop<std::initializer_list<K>>(kinds); }
  bool empty() const { return kinds_.empty(); }
  const std::vector<K>& kinds() const { return kinds_; }

 private:
  std::vector<K> kinds_;
};

}  // namespace

std::vector<std::string> expected_parts(std::vector<TokenKind> expected) {
  std::ranges::sort(expected);
  expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
  KindSet set(std::move(expected));
  std::vector<std::string> categories;

  // An expression could go on: operators and suffixes matter only when nothing else would do.
  bool continues = set.has_all({K::PLUS, K::STAR, K::AND});
  if (continues) {
    set.drop({K::PLUS, K::MINUS, K::STAR, K::SLASH, K::PERCENT_SIGN, K::EQ, K::NE, K::LT, K::LE,
              K::GT, K::GE, K::AND, K::OR, K::COALESCE, K::DOT, K::LPAREN, K::LBRACK, K::LBRACE,
              K::WITH});
  }
  if (set.has_all({K::INT, K::LBRACK, K::IDENT})) {
    categories.push_back("an expression");
    set.drop({K::INT,      K::FLOAT,    K::DURATION,    K::SIZE,   K::PERCENT,     K::VERSION,
              K::IPV4,     K::CIDR,     K::BAD_LITERAL, K::STRING, K::STRING_OPEN, K::TRUE_KW,
              K::FALSE_KW, K::NULL_KW,  K::SELF,        K::LBRACK, K::LBRACE,      K::IDENT,
              K::WITH,     K::RESOURCE, K::LPAREN,      K::MINUS,  K::BANG,        K::IF});
  }
  if (set.has_all({K::SELF, K::THEN, K::IDENT})) {
    categories.push_back("a field name");
    set.drop(kKeywords);
    set.drop({K::IDENT, K::WITH});
  }
  if (set.has_all({K::IMPORT, K::LET, K::SCHEMA})) {
    categories.push_back("a declaration");
    set.drop({K::IMPORT, K::LET, K::PARAM, K::OUTPUT, K::TYPE, K::ENUM, K::SCHEMA, K::FN,
              K::PROVIDER, K::BACKEND, K::IDENT, K::WITH});
  }
  if (set.has_all({K::IDENT, K::LBRACK, K::LBRACE}) && !set.has(K::INT)) {
    categories.push_back("a type");
    set.drop({K::IDENT, K::WITH, K::LBRACK, K::LBRACE});
  }
  if (set.has(K::STRING)) {
    categories.push_back("a string");
    set.drop({K::STRING, K::STRING_OPEN});
  }
  if (set.has(K::IDENT)) {
    categories.push_back("a name");
    set.drop({K::IDENT, K::WITH});
  }
  if (!categories.empty() || set.kinds().size() > 1) set.drop({K::QUESTION});
  std::vector<std::string> parts;
  for (K kind : set.kinds()) {
    // STRING_MIDDLE and STRING_CLOSE are both "`}`".
    std::string part(spelling(kind));
    if (std::ranges::find(parts, part) == parts.end()) parts.push_back(std::move(part));
  }
  parts.insert(parts.end(), categories.begin(), categories.end());
  if (parts.empty() && continues) parts.emplace_back("an operator");
  return parts;
}

std::string join_alternatives(const std::vector<std::string>& parts) {
  if (parts.empty()) return "something else";
  std::string out = parts[0];
  for (size_t i = 1; i < parts.size(); ++i)
    out += (i + 1 == parts.size() ? " or " : ", ") + parts[i];
  return out;
}

}  // namespace kc::syntax
