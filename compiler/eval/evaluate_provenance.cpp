// Provenance (LANGUAGE.md 8): an error about a value also points at the place the value came from
// when that is elsewhere. Names are followed through lets, exports, param defaults and the fields
// and lets of the instance being built, to the expression that computed the value; a failed
// schema check shows the fields it read and where each was set.
#include "compiler/eval/evaluator.h"

namespace kc::eval {

namespace {

// How many names a chain `let a = b`, `let b = c`, ... is followed through.
constexpr int kMaxOriginHops = 16;

}  // namespace

Span Evaluator::slot_origin(const Instance& instance, bool let, size_t index) const {
  const sema::SchemaInfo& info = *instance.info;
  if (let) {
    const sema::ExprRef& code = info.lets[index].value;
    return file(code.module, code.file).expr(code.expr).span;
  }
  const Slot& slot = instance.fields[index];
  if (slot.set_at.valid()) return slot.set_at;
  if (const auto& code = info.fields[index].default_value) {
    return file(code->module, code->file).expr(code->expr).span;
  }
  return Span{};
}

Span Evaluator::origin_of(uint32_t m, uint32_t f, ExprId id) const {
  Span found;
  for (int hop = 0; hop < kMaxOriginHops; ++hop) {
    const ast::Expr* e = &file(m, f).expr(id);
    while (const auto* paren = std::get_if<ast::Paren>(&e->node)) {
      id = paren->inner;
      e = &file(m, f).expr(id);
    }
    const auto* name = std::get_if<ast::NameRef>(&e->node);
    if (name == nullptr) return found;
    auto it = program_.modules[m].names[f].find(id.index);
    if (it == program_.modules[m].names[f].end()) return found;
    const sema::NameTarget& target = it->second;
    if (target.symbol == sema::kInstanceName) {
      if (instances_.empty()) return found;
      const Instance& instance = *instances_.back();
      for (size_t i = 0; i < instance.info->fields.size(); ++i) {
        if (instance.info->fields[i].name == name->name.text)
          return slot_origin(instance, false, i);
      }
      for (size_t i = 0; i < instance.info->lets.size(); ++i) {
        if (instance.info->lets[i].name == name->name.text) return slot_origin(instance, true, i);
      }
      return found;
    }
    if (target.symbol < 0) return found;  // a local: bound right there
    const sema::Symbol& symbol =
        program_.modules[target.module].symbols[static_cast<uint32_t>(target.symbol)];
    const ast::Decl& decl = file(target.module, symbol.file).decls[symbol.decl];
    std::optional<ExprId> value;
    if (const auto* let = std::get_if<ast::Let>(&decl.node)) value = let->value;
    if (const auto* exported = std::get_if<ast::Export>(&decl.node)) value = exported->value;
    if (const auto* param = std::get_if<ast::Param>(&decl.node)) {
      // A param set from outside says so in a note (given_param); its default is in the file.
      if (target.module == program_.program->root && inputs_.params.count(symbol.name)) {
        return found;
      }
      value = param->default_value;
    }
    if (!value) return found;
    m = target.module;
    f = symbol.file;
    id = *value;
    found = file(m, f).expr(id).span;
  }
  return found;
}

void Evaluator::explain_check_reads(diag::Diagnostic& d, const Instance& instance,
                                    const std::vector<std::string>& reads) const {
  constexpr size_t kLongestShownValue = 40;
  const sema::SchemaInfo& info = *instance.info;
  auto explain = [&](bool let, size_t index, const std::string& name, bool secret) {
    const Slot& slot = let ? instance.lets[index] : instance.fields[index];
    Span at = slot_origin(instance, let, index);
    bool has_value = slot.state == Slot::State::Done || slot.state == Slot::State::Set;
    if (!at.valid() || !has_value) return;
    std::optional<std::string> value =
        secret ? std::optional<std::string>(kSensitive) : shown(slot.value);
    std::string what = value && value->size() <= kLongestShownValue
                           ? fmt::format("{} is {}", ticked(name), *value)
                           : ticked(name);
    const char* where = let                                           ? ", computed here"
                        : slot.set_at.valid() && !slot.set_by_default ? ", set here"
                                                                      : ", its default";
    d.with_secondary(at, what + where);
  };
  std::set<std::string> explained;
  for (const std::string& name : reads) {
    if (!explained.insert(name).second) continue;
    for (size_t i = 0; i < info.fields.size(); ++i) {
      if (info.fields[i].name == name) explain(false, i, name, info.fields[i].secret);
    }
    for (size_t i = 0; i < info.lets.size(); ++i) {
      if (info.lets[i].name == name) explain(true, i, name, false);
    }
  }
}

}  // namespace kc::eval
