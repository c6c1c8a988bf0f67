// Provider diagnostics with secrets hidden (provider_messages.h).
#include "runtime/plan/provider_messages.h"

#include <algorithm>

#include "providers/sdk/literal.h"

namespace kc::plan {

namespace {

void collect(const sdk::Value& value, std::vector<std::string>& out) {
  switch (value.kind()) {
    case sdk::Kind::Null:
    case sdk::Kind::Unknown:
    case sdk::Kind::Bool:
      return;
    case sdk::Kind::String:
      out.push_back(value.as_string());
      return;
    case sdk::Kind::List:
      for (const sdk::Value& item : value.as_list())
        collect(item, out);
      return;
    case sdk::Kind::Map:
      for (const auto& entry : value.as_map())
        collect(entry.second, out);
      return;
    default:
      out.push_back(sdk::kcl_literal(value));
  }
}

void hide(std::string& text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    for (size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + sizeof "(sensitive)" - 1)) {
      text.replace(at, secret.size(), "(sensitive)");
    }
  }
}

}  // namespace

std::vector<std::string> secret_texts(const std::vector<std::string>& names,
                                      const std::vector<const sdk::Value*>& attributes) {
  std::vector<std::string> texts;
  for (const sdk::Value* map : attributes) {
    if (map == nullptr || map->kind() != sdk::Kind::Map) continue;
    for (const std::string& name : names) {
      if (const sdk::Value* value = map->find(name)) collect(*value, texts);
    }
  }
  std::erase_if(texts, [](const std::string& t) { return t.size() < kShortestHiddenText; });
  // Longest first, so that a secret containing another is hidden whole.
  std::sort(texts.begin(), texts.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
  return texts;
}

bool append_provider_diagnostics(diag::Diagnostics& into, const diag::Diagnostics& from,
                                 source::Span at, const std::vector<std::string>& secrets) {
  for (diag::Diagnostic d : from.all()) {
    if (!d.span.valid()) d.span = at;
    hide(d.message, secrets);
    hide(d.label, secrets);
    for (diag::Label& label : d.secondary)
      hide(label.message, secrets);
    for (std::string& note : d.notes)
      hide(note, secrets);
    into.add(std::move(d));
  }
  return from.has_errors();
}

}  // namespace kc::plan
