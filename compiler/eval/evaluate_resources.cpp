// Resources at evaluation (LANGUAGE.md 7): the address (owner instance path, type, label), the
// inputs, the dependencies found while evaluating them, and the meta-attributes; and the
// `provider` and `backend` blocks of the root module.
#include <algorithm>
#include <cctype>

#include "compiler/eval/evaluator.h"
#include "compiler/sema/check.h"

namespace kc::eval {

Result Evaluator::resource(uint32_t m, uint32_t f, const ast::Expr& node,
                           const ast::ResourceExpr& res) {
  std::string type = res.provider.text + "." + res.kind.text;
  const sdk::ResourceSchema* schema = schemas_.find_resource(type);
  if (schema == nullptr) return std::nullopt;  // reported by the checker
  DesiredResource desired;
  std::optional<std::string> label = label_value(m, f, res.label);
  if (!label) return std::nullopt;
  if (label->empty()) {
    diags_->error(Code::E0304, res.label.span, "a resource label cannot be empty")
        .with_label("this label is empty")
        .with_note("the label names the resource in its address, the plan and the state");
    return std::nullopt;
  }
  desired.address =
      fmt::format("{}{}{}[{}]", owner_, owner_.empty() ? "" : ".", type, address_key(*label));
  for (const sdk::AttributeSchema& attr : schema->attributes) {
    if (attr.sensitive) desired.sensitive.insert(attr.name);
  }
  desired.type = type;
  desired.provider = res.provider.text;
  desired.span = node.span;

  Deps deps;
  frames_.push_back(&deps);
  sdk::Entries inputs;
  bool ok = true;
  std::set<std::string> seen;
  for (const auto& [key, value_id] : fields(m, f, res.body)) {
    if (!seen.insert(key).second) continue;
    Deps read;
    frames_.push_back(&read);
    Result value = expr(m, f, value_id);
    frames_.pop_back();
    // An attribute computed from a secret is never printed either.
    if (read.erase(kSecretSource) && schema->find(key)) desired.sensitive.insert(key);
    deps.insert(read.begin(), read.end());
    ok = ok && value.has_value();
    if (!value) continue;
    if (key == sema::kDependsOn) continue;  // its reads already became deps
    if (key == sema::kLifecycle) {
      read_lifecycle(*value, desired.lifecycle);
      continue;
    }
    if (key == sema::kRollout) {
      read_rollout(*value, desired.rollout);
      ok = rollout_in_range(m, f, value_id, *value) && ok;
      continue;
    }
    if (key == sema::kHooks) {
      read_hooks(*value, desired.hooks);
      continue;
    }
    inputs.emplace_back(key, std::move(*value));
  }
  frames_.pop_back();
  if (!ok) return std::nullopt;
  deps.erase(desired.address);
  desired.depends_on.assign(deps.begin(), deps.end());
  desired.attributes = Value::map(inputs);

  Span at = Span::cover(res.provider.span, res.label.span);
  Span call = calls_.empty() ? Span{} : calls_.back();
  if (auto it = addresses_.find(desired.address); it != addresses_.end()) {
    report_duplicate_address(desired.address, at, call, it->second.first, it->second.second);
    return std::nullopt;
  }
  addresses_.emplace(desired.address, std::make_pair(at, call));

  Value value = resource_value(*schema, desired.address, inputs);
  resource_values_[&value.as_map()] = {value, desired.address, desired.sensitive};
  out_.resources.push_back(std::move(desired));
  // Whoever reads this value depends on the resource.
  add_deps({out_.resources.back().address});
  return value;
}

std::string address_key(const std::string& label) {
  std::string out = "\"";
  for (char c : label) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string path_member(const std::string& path, const std::string& key) {
  bool identifier = !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0]));
  for (char c : key) {
    identifier = identifier && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  }
  return identifier ? fmt::format("{}.{}", path, key)
                    : fmt::format("{}[{}]", path, address_key(key));
}

// E0404 at both resources; when one `resource` ran twice, at the calls that ran it if they differ.
void Evaluator::report_duplicate_address(const std::string& address, Span at, Span call, Span first,
                                         Span first_call) {
  auto& d = diags_->error(Code::E0404, at,
                          fmt::format("two resources have the address {}", ticked(address)));
  if (first != at) {
    d.with_label("second resource here").with_secondary(first, "first resource here");
  } else if (call.valid() && first_call.valid() && call != first_call) {
    d.with_label("made twice here")
        .with_secondary(first_call, "first made by this call")
        .with_secondary(call, "and again by this call");
  } else {
    d.with_label("made twice here")
        .with_note(
            "this `resource` ran twice with the same owner and label (in a generator, "
            "a function or a schema)");
  }
  d.with_note("an address is the owner's path, the type and the label: make the labels differ");
}

// `max_surge` and `max_unavailable` count resources of the group: an int of 0 or more, or a
// percent of the group from 0% to 100% (E0304 otherwise; they may come from params).
bool Evaluator::rollout_in_range(uint32_t m, uint32_t f, ExprId block, const Value& rollout) {
  const auto* record = std::get_if<ast::RecordLit>(&file(m, f).expr(block).node);
  if (record == nullptr) return true;
  bool ok = true;
  for (const auto& [key, value_id] : fields(m, f, record->body)) {
    if (key != "max_surge" && key != "max_unavailable") continue;
    const Value* bound = rollout.find(key);
    if (bound == nullptr) continue;
    std::optional<std::string> broken;
    if (bound->kind() == sdk::Kind::Int && bound->as_int() < 0) {
      broken = "the least allowed is 0";
    } else if (bound->kind() == sdk::Kind::Percent &&
               (bound->as_percent().value < 0 || bound->as_percent().value > 100)) {
      broken =
          bound->as_percent().value < 0 ? "the least allowed is 0%" : "the most allowed is 100%";
    }
    if (!broken) continue;
    diags_
        ->error(
            Code::E0304, file(m, f).expr(value_id).span,
            fmt::format("{} is out of range for {}", shown(*bound).value_or("value"), ticked(key)))
        .with_label(*broken)
        .with_note(
            "it counts resources of the rollout group: an int of 0 or more, or a percent "
            "of the group from 0% to 100%");
    ok = false;
  }
  return ok;
}

// What a reference to the resource reads: its inputs, and its outputs as stored (or Unknown).
Value Evaluator::resource_value(const sdk::ResourceSchema& schema, const std::string& address,
                                const sdk::Entries& inputs) {
  const Value* stored = nullptr;
  if (inputs_.known) {
    auto it = inputs_.known->find(address);
    if (it != inputs_.known->end()) stored = &it->second;
  }
  sdk::Entries attributes;
  for (const sdk::AttributeSchema& attr : schema.attributes) {
    if (attr.is_input()) {
      auto it = std::find_if(inputs.begin(), inputs.end(),
                             [&](const auto& entry) { return entry.first == attr.name; });
      attributes.emplace_back(attr.name, it == inputs.end() ? Value::null() : it->second);
    } else {
      const Value* known = stored ? stored->find(attr.name) : nullptr;
      attributes.emplace_back(attr.name, known ? *known : Value::unknown());
    }
  }
  return Value::map(std::move(attributes));
}

void Evaluator::read_lifecycle(const Value& value, Lifecycle& lifecycle) {
  if (value.kind() != sdk::Kind::Map) return;
  for (const auto& [key, field] : value.as_map()) {
    if (key == "prevent_destroy" && field.kind() == sdk::Kind::Bool) {
      lifecycle.prevent_destroy = field.as_bool();
    } else if (key == "create_before_destroy" && field.kind() == sdk::Kind::Bool) {
      lifecycle.create_before_destroy = field.as_bool();
    } else if (key == "ignore_changes" && field.kind() == sdk::Kind::List) {
      for (const Value& name : field.as_list()) {
        if (name.kind() == sdk::Kind::String) lifecycle.ignore_changes.push_back(name.as_string());
      }
    }
  }
}

void Evaluator::read_rollout(const Value& value, Rollout& rollout) {
  if (value.kind() != sdk::Kind::Map) return;
  auto bound = [](const Value& v) -> std::optional<RolloutBound> {
    if (v.kind() == sdk::Kind::Int) return RolloutBound{false, static_cast<double>(v.as_int())};
    if (v.kind() == sdk::Kind::Percent) return RolloutBound{true, v.as_percent().value};
    return std::nullopt;
  };
  for (const auto& [key, field] : value.as_map()) {
    if (key == "group" && field.kind() == sdk::Kind::String) {
      rollout.group = field.as_string();
    } else if (key == "max_surge") {
      rollout.max_surge = bound(field);
    } else if (key == "max_unavailable") {
      rollout.max_unavailable = bound(field);
    } else if (key == "quorum" && field.kind() == sdk::Kind::Bool) {
      rollout.quorum = field.as_bool();
    }
  }
}

void Evaluator::read_hooks(const Value& value,
                           std::map<std::string, std::vector<std::string>>& hooks) {
  if (value.kind() != sdk::Kind::Map) return;
  for (const auto& [event, actions] : value.as_map()) {
    if (actions.kind() != sdk::Kind::List) continue;
    for (const Value& action : actions.as_list()) {
      if (action.kind() == sdk::Kind::String) hooks[event].push_back(action.as_string());
    }
  }
}

void Evaluator::configure(uint32_t root) {
  const sema::SourceModule& module = program_.source(root);
  for (uint32_t f = 0; f < module.files.size(); ++f) {
    for (const ast::Decl& decl : module.files[f]->decls) {
      const auto* provider = std::get_if<ast::Provider>(&decl.node);
      const auto* backend = std::get_if<ast::Backend>(&decl.node);
      if (provider == nullptr && backend == nullptr) continue;
      sdk::Entries config;
      bool ok = true;
      for (const auto& [key, value_id] :
           fields(root, f, provider ? provider->body : backend->body)) {
        Result value = expr(root, f, value_id);
        if (!value) {
          ok = false;
          continue;
        }
        config.emplace_back(key, std::move(*value));
      }
      if (!ok) continue;
      if (provider) {
        out_.providers.push_back(ProviderConfig{provider->name.text,
                                                provider->alias ? provider->alias->text : "",
                                                Value::map(std::move(config)), decl.span});
      } else {
        out_.backend =
            ProviderConfig{backend->kind.text, "", Value::map(std::move(config)), decl.span};
      }
    }
  }
}

}  // namespace kc::eval
