// Diagnostics as data: what every phase returns next to its result. Never thrown; accumulated in a
// Diagnostics list and rendered only at the edge (cli/, lsp/) by the renderers in render.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/source/source.h"

namespace kc::diag {

enum class Severity : uint8_t { Error, Warning, Info };
std::string_view severity_name(Severity severity);

// Stable compile codes, registered in codes.def.
enum class Code : uint16_t {
#define KC_DIAG_CODE(name, title) name,
#include "compiler/diag/codes.def"
#undef KC_DIAG_CODE
};
std::string_view code_name(Code code);   // "E0302"
std::string_view code_title(Code code);  // "unknown field"
// Every registered code, in registry order.
const std::vector<Code>& all_codes();

// A span with a message, e.g. "first declared here".
struct Label {
  source::Span span;
  std::string message;
};

// A machine-applicable edit: replace the text of `span` with `replacement`.
struct Fix {
  std::string message;
  source::Span span;
  std::string replacement;
};

struct Diagnostic {
  Severity severity = Severity::Error;
  Code code = Code::E0101;
  // Set for lint findings: the rule name (kebab-case) printed instead of the code.
  std::string rule;
  std::string message;
  source::Span span;  // primary span; may be invalid for diagnostics not about source
  std::string label;  // text under the primary caret (may be empty)
  std::vector<Label> secondary;
  std::vector<std::string> notes;
  std::vector<Fix> fixes;

  // The code as printed: the rule name for lint findings, else "E0302".
  std::string code_string() const;

  // Builders, so call sites read as one expression.
  Diagnostic& with_label(std::string text);
  Diagnostic& with_secondary(source::Span at, std::string text);
  Diagnostic& with_note(std::string text);
  Diagnostic& with_fix(std::string message, source::Span at, std::string replacement);
};

// The diagnostics of one run of one or more phases, in the order they were reported.
class Diagnostics {
 public:
  Diagnostic& error(Code code, source::Span span, std::string message);
  Diagnostic& warning(Code code, source::Span span, std::string message);
  Diagnostic& add(Diagnostic diagnostic);
  void append(const Diagnostics& other);

  bool has_errors() const { return error_count_ > 0; }
  size_t error_count() const { return error_count_; }
  const std::vector<Diagnostic>& all() const { return list_; }
  bool empty() const { return list_.empty(); }

  // Orders by file, then offset, then insertion order: the order in which they are printed.
  void sort();

 private:
  std::vector<Diagnostic> list_;
  size_t error_count_ = 0;
};

}  // namespace kc::diag
