// Diagnostic codes (from codes.def), the Diagnostic builders and the Diagnostics list.
#include "compiler/diag/diagnostic.h"

#include <algorithm>
#include <array>
#include <tuple>

namespace kc::diag {

namespace {

struct CodeInfo {
  std::string_view name;
  std::string_view title;
};

constexpr std::array kCodeInfo = {
#define KC_DIAG_CODE(name, title) CodeInfo{#name, title},
#include "compiler/diag/codes.def"
#undef KC_DIAG_CODE
};

}  // namespace

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Info:
      return "info";
  }
  return "error";
}

std::string_view code_name(Code code) {
  auto index = static_cast<size_t>(code);
  return index < kCodeInfo.size() ? kCodeInfo[index].name : std::string_view("E0000");
}

std::string_view code_title(Code code) {
  auto index = static_cast<size_t>(code);
  return index < kCodeInfo.size() ? kCodeInfo[index].title : std::string_view();
}

const std::vector<Code>& all_codes() {
  static const std::vector<Code> codes = [] {
    std::vector<Code> list;
    for (size_t i = 0; i < kCodeInfo.size(); ++i)
      list.push_back(static_cast<Code>(i));
    return list;
  }();
  return codes;
}

std::string Diagnostic::code_string() const {
  return rule.empty() ? std::string(code_name(code)) : rule;
}

Diagnostic& Diagnostic::with_label(std::string text) {
  label = std::move(text);
  return *this;
}

Diagnostic& Diagnostic::with_secondary(source::Span at, std::string text) {
  secondary.push_back(Label{at, std::move(text)});
  return *this;
}

Diagnostic& Diagnostic::with_note(std::string text) {
  notes.push_back(std::move(text));
  return *this;
}

Diagnostic& Diagnostic::with_fix(std::string fix_message, source::Span at,
                                 std::string replacement) {
  fixes.push_back(Fix{std::move(fix_message), at, std::move(replacement)});
  return *this;
}

Diagnostic& Diagnostics::error(Code code, source::Span span, std::string message) {
  Diagnostic diagnostic;
  diagnostic.severity = Severity::Error;
  diagnostic.code = code;
  diagnostic.span = span;
  diagnostic.message = std::move(message);
  return add(std::move(diagnostic));
}

Diagnostic& Diagnostics::warning(Code code, source::Span span, std::string message) {
  Diagnostic diagnostic;
  diagnostic.severity = Severity::Warning;
  diagnostic.code = code;
  diagnostic.span = span;
  diagnostic.message = std::move(message);
  return add(std::move(diagnostic));
}

Diagnostic& Diagnostics::add(Diagnostic diagnostic) {
  if (diagnostic.severity == Severity::Error) ++error_count_;
  list_.push_back(std::move(diagnostic));
  return list_.back();
}

void Diagnostics::append(const Diagnostics& other) {
  if (&other == this) {
    Diagnostics copy = other;
    append(copy);
    return;
  }
  list_.reserve(list_.size() + other.list_.size());
  for (const Diagnostic& diagnostic : other.list_)
    add(diagnostic);
}

// Diagnostics without a span go last; the sort is stable, so equal keys keep their report order.
void Diagnostics::sort() {
  auto key = [](const Diagnostic& d) {
    return d.span.valid() ? std::make_tuple(0, d.span.file, d.span.begin)
                          : std::make_tuple(1, source::kNoFile, uint32_t{0});
  };
  std::stable_sort(list_.begin(), list_.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
}

}  // namespace kc::diag
