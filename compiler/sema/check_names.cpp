// Names: what a bare name, a member access or a call refers to. A bare name is looked up in the
// locals (comprehension and generator variables, function parameters), then the schema instance
// being typed, then the module's declarations, then the prelude (std/cluster). Where an enum is
// expected, a bare member name of that enum wins over declarations (LANGUAGE.md 3).
#include "compiler/sema/builtins.h"
#include "compiler/sema/checker.h"
#include "compiler/sema/domain_members.h"
#include "compiler/sema/suggest.h"

namespace kc::sema {

namespace {

bool declaration_kind(SymbolKind kind) {
  return kind == SymbolKind::Import || kind == SymbolKind::Type || kind == SymbolKind::Enum ||
         kind == SymbolKind::Schema || kind == SymbolKind::Fn;
}

bool is_std_module(const SourceModule& module) {
  return module.name.rfind("std/", 0) == 0;
}

}  // namespace

std::optional<Checker::Declared> Checker::lookup(uint32_t m, std::string_view name) const {
  const CheckedModule& module = out_.modules[m];
  if (auto it = module.by_name.find(name); it != module.by_name.end()) {
    return Declared{m, it->second};
  }
  int32_t prelude = program_.prelude;
  if (prelude == kNoModule || static_cast<uint32_t>(prelude) == m) return std::nullopt;
  const CheckedModule& std_cluster = out_.modules[static_cast<uint32_t>(prelude)];
  if (auto it = std_cluster.by_name.find(name);
      it != std_cluster.by_name.end() && public_kind(std_cluster.symbols[it->second].kind)) {
    return Declared{static_cast<uint32_t>(prelude), it->second};
  }
  return std::nullopt;
}

void Checker::find_visible_modules() {
  size_t count = program_.modules.size();
  visible_.assign(count, {});
  for (uint32_t m = 0; m < count; ++m) {
    std::vector<bool> seen(count, false);
    std::vector<uint32_t> pending{m};
    if (program_.prelude != kNoModule) pending.push_back(static_cast<uint32_t>(program_.prelude));
    while (!pending.empty()) {
      uint32_t next = pending.back();
      pending.pop_back();
      if (seen[next]) continue;
      seen[next] = true;
      visible_[m].push_back(next);
      for (const auto& [at, target] : program_.modules[next].imports) {
        if (target != kNoModule) pending.push_back(static_cast<uint32_t>(target));
      }
    }
  }
}

std::vector<std::string> Checker::visible_names(uint32_t m) const {
  std::vector<std::string> names;
  for (const auto& entry : out_.modules[m].by_name)
    names.push_back(entry.first);
  if (program_.prelude != kNoModule && static_cast<uint32_t>(program_.prelude) != m) {
    const CheckedModule& std_cluster = out_.modules[static_cast<uint32_t>(program_.prelude)];
    for (const auto& [name, index] : std_cluster.by_name) {
      if (public_kind(std_cluster.symbols[index].kind)) names.push_back(name);
    }
  }
  return names;
}

std::optional<Checker::Declared> Checker::lookup_qualified(uint32_t m,
                                                           const ast::QualifiedName& name,
                                                           bool report) {
  if (!name.module) {
    std::optional<Declared> found = lookup(m, name.name.text);
    if (found) note_symbol_use(m, name.name.span, *found);
    if (!found && report) {
      unknown_member(Code::E0201, name.name.span, name.name.text,
                     fmt::format("unknown name {}", ticked(name.name.text)), visible_names(m));
    }
    return found;
  }
  std::optional<Declared> import = lookup(m, name.module->text);
  if (!import || symbol(*import).kind != SymbolKind::Import) {
    if (report) {
      unknown_member(Code::E0201, name.module->span, name.module->text,
                     fmt::format("no imported module {}", ticked(name.module->text)),
                     visible_names(m));
    }
    return std::nullopt;
  }
  note_symbol_use(m, name.module->span, *import);
  int32_t target = symbol(*import).module;
  if (target == kNoModule) return std::nullopt;  // the import was reported
  const CheckedModule& module = out_.modules[static_cast<uint32_t>(target)];
  if (auto it = module.by_name.find(name.name.text);
      it != module.by_name.end() && public_kind(module.symbols[it->second].kind)) {
    note_symbol_use(m, name.name.span, Declared{static_cast<uint32_t>(target), it->second});
    return Declared{static_cast<uint32_t>(target), it->second};
  }
  if (report) {
    std::vector<std::string> names;
    for (const auto& s : module.symbols)
      if (public_kind(s.kind)) names.push_back(s.name);
    unknown_member(Code::E0201, name.name.span, name.name.text,
                   fmt::format("module {} has no {}", ticked(program_.modules[target].name),
                               ticked(name.name.text)),
                   names);
  }
  return std::nullopt;
}

bool Checker::bound_locally(std::string_view name) {
  for (const auto& local : locals_) {
    if (local.first == name) return true;
  }
  if (!instance_) return false;
  const SchemaInfo& info = schema_fields(instance_->module, instance_->symbol);
  return info.find_field(name) != nullptr || info.find_let(name) != nullptr;
}

std::optional<Checker::Declared> Checker::static_path(uint32_t m, uint32_t f, ExprId id) {
  const ast::Expr& e = file(m, f).expr(id);
  if (const auto* ref = std::get_if<ast::NameRef>(&e.node)) {
    if (bound_locally(ref->name.text)) return std::nullopt;
    std::optional<Declared> found = lookup(m, ref->name.text);
    if (found && declaration_kind(symbol(*found).kind)) {
      note_symbol_use(m, ref->name.span, *found);
      return found;
    }
    return std::nullopt;
  }
  if (const auto* member = std::get_if<ast::Member>(&e.node)) {
    std::optional<Declared> base = static_path(m, f, member->object);
    if (!base || symbol(*base).kind != SymbolKind::Import || symbol(*base).module == kNoModule) {
      return std::nullopt;
    }
    auto target = static_cast<uint32_t>(symbol(*base).module);
    const CheckedModule& module = out_.modules[target];
    auto it = module.by_name.find(member->member.text);
    if (it == module.by_name.end()) return std::nullopt;
    SymbolKind kind = module.symbols[it->second].kind;
    if (kind == SymbolKind::Export || !declaration_kind(kind) || kind == SymbolKind::Import) {
      return std::nullopt;
    }
    note_symbol_use(m, member->member.span, Declared{target, it->second});
    return Declared{target, it->second};
  }
  return std::nullopt;
}

std::optional<TypeId> Checker::contextual_member(uint32_t m, uint32_t f, ExprId id,
                                                 std::string_view name,
                                                 std::optional<TypeId> expected) {
  if (!expected) return std::nullopt;
  TypeId want = types_.core(*expected);
  if (types_.kind(want) != TypeKind::Enum) return std::nullopt;
  const EnumInfo* info = out_.enumeration(want);
  if (info == nullptr || !info->has(name)) return std::nullopt;
  for (const auto& local : locals_) {
    if (local.first == name) return std::nullopt;
  }
  out_.modules[m].names[f][id.index] = NameTarget{m, kEnumMember};
  const Type& enum_type = types_.get(want);
  note_member_use(m, file(m, f).expr(id).span, NameUse::Kind::EnumMember, enum_type.module_index,
                  enum_type.symbol, std::string(name));
  return want;
}

TypeId Checker::self_ref(Span at) {
  if (self_type_) return *self_type_;
  auto& d = diags_.error(Code::E0201, at, "`self` is only available in `check` blocks")
                .with_label("no value is being checked here");
  if (instance_) d.with_note("defaults and `let`s read the instance's fields by their bare names");
  return types_.error();
}

TypeId Checker::name_ref(uint32_t m, uint32_t f, ExprId id, const ast::NameRef& ref,
                         std::optional<TypeId> expected) {
  const std::string& name = ref.name.text;
  if (auto member = contextual_member(m, f, id, name, expected)) return *member;
  CheckedModule& module = out_.modules[m];
  for (auto local = locals_.rbegin(); local != locals_.rend(); ++local) {
    if (local->first != name) continue;
    module.names[f][id.index] = NameTarget{m, kLocalName};
    return local->second;
  }
  if (instance_) {
    schema_fields(instance_->module, instance_->symbol);
    const SchemaInfo& info = out_.modules[instance_->module].schemas[instance_->symbol];
    if (const FieldInfo* field = info.find_field(name)) {
      module.names[f][id.index] = NameTarget{m, kInstanceName};
      note_member_use(m, ref.name.span, NameUse::Kind::Field, instance_->module, instance_->symbol,
                      name);
      return types_.value_type(field->type);
    }
    if (const SchemaLet* let = info.find_let(name)) {
      module.names[f][id.index] = NameTarget{m, kInstanceName};
      note_member_use(m, ref.name.span, NameUse::Kind::Field, instance_->module, instance_->symbol,
                      name);
      return schema_let_type(instance_->module, instance_->symbol,
                             static_cast<size_t>(let - info.lets.data()));
    }
  }
  std::optional<Declared> found = lookup(m, name);
  if (!found) {
    module.names[f][id.index] = NameTarget{m, -1};
    if (unknown_enum_name(m, ref.name, expected)) return types_.error();
    std::vector<std::string> candidates = visible_names(m);
    for (const auto& local : locals_)
      candidates.push_back(local.first);
    if (instance_) {
      const SchemaInfo& info = out_.modules[instance_->module].schemas[instance_->symbol];
      for (const auto& field : info.fields)
        candidates.push_back(field.name);
      for (const auto& let : info.lets)
        candidates.push_back(let.name);
    }
    unknown_member(Code::E0201, ref.name.span, name, fmt::format("unknown name {}", ticked(name)),
                   candidates);
    return types_.error();
  }
  module.names[f][id.index] = NameTarget{found->module, static_cast<int32_t>(found->symbol)};
  const Symbol& target = symbol(*found);
  switch (target.kind) {
    case SymbolKind::Fn:
      diags_
          .error(Code::E0301, ref.name.span,
                 fmt::format("{} is a function, not a value", ticked(name)))
          .with_label(fmt::format("call it: {}", ticked(name + "(...)")));
      return types_.error();
    case SymbolKind::Type:
    case SymbolKind::Schema:
    case SymbolKind::Enum: {
      auto& d =
          diags_.error(Code::E0301, ref.name.span,
                       fmt::format("{} is {}, not a value", ticked(name), a_kind(target.kind)));
      if (target.kind == SymbolKind::Enum) {
        d.with_label(fmt::format("name a member: {}", ticked(name + ".member")));
      } else if (target.kind == SymbolKind::Schema) {
        d.with_label(fmt::format("make an instance: {}", ticked(name + " { ... }")));
      }
      return types_.error();
    }
    default:
      return symbol_type(found->module, found->symbol);
  }
}

TypeId Checker::member(uint32_t m, uint32_t f, ExprId id, const ast::Member& node) {
  const std::string& name = node.member.text;
  Span at = node.member.span;
  if (std::optional<Declared> base = static_path(m, f, node.object)) {
    const Symbol& target = symbol(*base);
    if (target.kind == SymbolKind::Enum) {
      const EnumInfo& info = out_.modules[base->module].enums[base->symbol];
      out_.modules[m].expr_types[f][node.object.index] = target.type;
      if (info.has(name)) {
        out_.modules[m].names[f][id.index] = NameTarget{m, kEnumMember};
        note_member_use(m, at, NameUse::Kind::EnumMember, base->module, base->symbol, name);
        return target.type;
      }
      return unknown_member(
          Code::E0302, at, name,
          fmt::format("enum {} has no member {}", ticked(info.name), ticked(name)), info.members);
    }
    if (target.kind != SymbolKind::Import) {
      infer(m, f, node.object, std::nullopt);  // reports "not a value"
      return types_.error();
    }
  }
  module_allowed_ = true;  // `mod.name` is the one place a module may stand
  TypeId object = infer(m, f, node.object, std::nullopt);
  const Type type = types_.get(object);  // a copy: checking below may intern new types
  switch (type.kind) {
    case TypeKind::Error:
    case TypeKind::Any:
      return object;
    case TypeKind::Module: {
      const CheckedModule& target = out_.modules[type.module_index];
      const Symbol* found = target.find(name);
      if (found && found->kind == SymbolKind::Export) {
        return symbol_type(type.module_index, static_cast<uint32_t>(found - target.symbols.data()));
      }
      std::vector<std::string> exports;
      for (const auto& s : target.symbols) {
        if (s.kind == SymbolKind::Export) exports.push_back(s.name);
      }
      if (found && !public_kind(found->kind) && found->kind != SymbolKind::Import) {
        diags_
            .error(Code::E0201, at,
                   fmt::format("{} is a {} of module {}, private to it", ticked(name),
                               ticked(kind_word(found->kind)),
                               ticked(program_.modules[type.module_index].name)))
            .with_label("not an export")
            .with_note("a module's exports are its top-level `name = value` fields");
        return types_.error();
      }
      return unknown_member(
          Code::E0201, at, name,
          fmt::format("module {} has no export {}",
                      ticked(program_.modules[type.module_index].name), ticked(name)),
          exports);
    }
    case TypeKind::Resource: {
      const sdk::ResourceSchema* schema = schemas_.find_resource(type.name);
      if (schema == nullptr) return types_.error();
      if (const sdk::AttributeSchema* attr = schema->find(name)) {
        NameUse use;
        use.kind = NameUse::Kind::Attribute;
        use.resource = type.name;
        use.member = name;
        use.span = at;
        note_use(m, std::move(use));
        return types_.from_schema(attr->type);
      }
      std::vector<std::string> names;
      for (const auto& a : schema->attributes)
        names.push_back(a.name);
      return unknown_member(Code::E0302, at, name,
                            fmt::format("{} has no attribute {}", ticked(type.name), ticked(name)),
                            names);
    }
    case TypeKind::Schema:
      return schema_member(m, object, node.member);
    case TypeKind::Record: {
      std::vector<std::string> names;
      for (const auto& [field, field_type] : type.fields) {
        if (field == name) return field_type;
        names.push_back(field);
      }
      return unknown_listed(Code::E0302, at, name,
                            fmt::format("record has no field {}", ticked(name)), names,
                            "record's fields");
    }
    case TypeKind::Map:
      return type.element;
    case TypeKind::Version:
    case TypeKind::Cidr:
    case TypeKind::Duration:
    case TypeKind::Bytes:
    case TypeKind::Percent:
    case TypeKind::Ip: {
      if (auto member_type = domain_member_type(types_, type.kind, name)) return *member_type;
      return unknown_member(Code::E0302, at, name,
                            fmt::format("{} has no member {}", quoted_type(object), ticked(name)),
                            domain_member_names(type.kind));
    }
    default: {
      auto& d = diags_.error(Code::E0301, at, fmt::format("{} has no fields", quoted_type(object)));
      d.with_label(fmt::format("cannot read {} here", ticked("." + name)));
      if (type.kind == TypeKind::Optional) {
        d.with_note("the value may be null: give it a default with `??` first");
      }
      return types_.error();
    }
  }
}

TypeId Checker::schema_member(uint32_t m, TypeId schema, const ast::Name& name) {
  const Type& type = types_.get(schema);
  uint32_t sm = type.module_index, ss = type.symbol;
  const SchemaInfo& info = schema_fields(sm, ss);
  if (const FieldInfo* field = info.find_field(name.text)) {
    note_schema_member(m, name.span, schema, name.text);
    return types_.value_type(field->type);
  }
  if (const SchemaLet* let = info.find_let(name.text)) {
    note_schema_member(m, name.span, schema, name.text);
    return schema_let_type(sm, ss, static_cast<size_t>(let - info.lets.data()));
  }
  std::vector<std::string> names;
  for (const auto& field : info.fields)
    names.push_back(field.name);
  for (const auto& let : info.lets)
    names.push_back(let.name);
  return unknown_member(Code::E0302, name.span, name.text,
                        fmt::format("{} has no field {}", ticked(info.name), ticked(name.text)),
                        names);
}

TypeId Checker::unknown_listed(Code code, Span at, const std::string& name, std::string message,
                               const std::vector<std::string>& candidates,
                               std::string_view listed_as) {
  auto& d = diags_.error(code, at, std::move(message));
  if (auto best = closest(name, candidates)) {
    d.with_label(fmt::format("did you mean {}?", ticked(*best)))
        .with_fix(fmt::format("replace with {}", ticked(*best)), at, *best);
  } else if (candidates.empty()) {
    d.with_label(fmt::format("there are no {}", listed_as));
  } else {
    d.with_note(fmt::format("the {} are {}", listed_as, joined(candidates)));
  }
  return types_.error();
}

TypeId Checker::unknown_member(Code code, Span at, const std::string& name, std::string message,
                               const std::vector<std::string>& candidates) {
  auto& d = diags_.error(code, at, std::move(message));
  if (auto best = closest(name, candidates)) {
    d.with_label(fmt::format("did you mean {}?", ticked(*best)))
        .with_fix(fmt::format("replace with {}", ticked(*best)), at, *best);
  }
  return types_.error();
}

// A call of a function (`f(x)`, `net.subnet(x)`) or of a built-in.
TypeId Checker::call(uint32_t m, uint32_t f, Span span, const ast::Call& node) {
  const ast::Expr& callee_expr = file(m, f).expr(node.callee);
  auto infer_args = [&] {
    for (ExprId arg : node.args)
      infer(m, f, arg, std::nullopt);
    return types_.error();
  };
  if (std::optional<Declared> target = static_path(m, f, node.callee)) {
    const Symbol& fn = symbol(*target);
    const ast::Name& name = std::holds_alternative<ast::Member>(callee_expr.node)
                                ? std::get<ast::Member>(callee_expr.node).member
                                : std::get<ast::NameRef>(callee_expr.node).name;
    if (fn.kind == SymbolKind::Fn) return function_call(m, f, node, name, *target);
    diags_
        .error(Code::E0301, name.span,
               fmt::format("{} is {}, not a function", ticked(name.text), a_kind(fn.kind)))
        .with_secondary(fn.span, "declared here");
    return infer_args();
  }
  if (const auto* member = std::get_if<ast::Member>(&callee_expr.node)) {
    std::optional<Declared> base = static_path(m, f, member->object);
    if (base && symbol(*base).kind == SymbolKind::Import) {
      int32_t target = symbol(*base).module;
      if (target == kNoModule) return infer_args();
      std::vector<std::string> fns;
      for (const auto& s : out_.modules[static_cast<uint32_t>(target)].symbols)
        if (s.kind == SymbolKind::Fn) fns.push_back(s.name);
      unknown_member(
          Code::E0201, member->member.span, member->member.text,
          fmt::format("module {} has no function {}", ticked(program_.modules[target].name),
                      ticked(member->member.text)),
          fns);
      return infer_args();
    }
    infer(m, f, node.callee, std::nullopt);
    diags_.error(Code::E0301, callee_expr.span, "only functions can be called")
        .with_label("this is a value");
    return infer_args();
  }
  const auto* callee = std::get_if<ast::NameRef>(&callee_expr.node);
  if (callee == nullptr) {
    infer(m, f, node.callee, std::nullopt);
    diags_.error(Code::E0301, callee_expr.span, "only functions can be called")
        .with_label("this is a value");
    return infer_args();
  }
  const ast::Name& name = callee->name;
  bool builtin = is_builtin(name.text) && !is_intrinsic(name.text);
  if (bound_locally(name.text)) {
    auto& d = diags_.error(Code::E0301, name.span,
                           fmt::format("{} is a value, not a function", ticked(name.text)));
    if (builtin) hint_hidden_builtin(name.text, d);
    return infer_args();
  }
  if (auto found = lookup(m, name.text)) {
    auto& d = diags_
                  .error(Code::E0301, name.span,
                         fmt::format("{} is {}, not a function", ticked(name.text),
                                     a_kind(symbol(*found).kind)))
                  .with_secondary(symbol(*found).span, "declared here");
    if (builtin) hint_hidden_builtin(name.text, d);
    return infer_args();
  }
  bool allowed =
      is_builtin(name.text) && (!is_intrinsic(name.text) || is_std_module(program_.modules[m]));
  if (!allowed && is_builtin(name.text)) {
    // `__net_subnet` backs `subnet` of `std/net`: point at the public function.
    std::string rest = name.text.substr(2);
    std::string module = rest.substr(0, rest.find('_'));
    std::string public_name = rest.substr(rest.find('_') + 1);
    diags_
        .error(Code::E0201, name.span,
               fmt::format("{} is internal to the standard library", ticked(name.text)))
        .with_label(fmt::format("call {} instead", ticked(module + "." + public_name)))
        .with_note(fmt::format("it is a function of {}: `import \"std/{}\"`, then `{}.{}(...)`",
                               ticked("std/" + module), module, module, public_name));
    return infer_args();
  }
  if (!allowed) {
    unknown_member(Code::E0201, name.span, name.text,
                   fmt::format("unknown function {}", ticked(name.text)), builtin_names());
    return infer_args();
  }
  std::vector<TypeId> args;
  for (ExprId arg : node.args)
    args.push_back(infer(m, f, arg, std::nullopt));
  BuiltinTyping typing = builtin_type(types_, name.text, args);
  if (typing.result) return *typing.result;
  std::string found;
  for (TypeId arg : args)
    found += (found.empty() ? "" : ", ") + quoted_type(arg);
  diags_.error(Code::E0301, span, typing.error)
      .with_label(args.empty() ? std::string("called with no arguments")
                               : fmt::format("called with {}", found));
  return types_.error();
}

TypeId Checker::function_call(uint32_t m, uint32_t f, const ast::Call& node, const ast::Name& name,
                              Declared fn) {
  out_.modules[m].names[f][node.callee.index] =
      NameTarget{fn.module, static_cast<int32_t>(fn.symbol)};
  if (states_[fn.module][fn.symbol] == State::InProgress) {
    diags_.error(Code::E0402, name.span, fmt::format("function {} calls itself", ticked(name.text)))
        .with_label("functions cannot recurse, directly or through others")
        .with_secondary(symbol(fn).span, "the function");
    for (ExprId arg : node.args)
      infer(m, f, arg, std::nullopt);
    return types_.error();
  }
  symbol_type(fn.module, fn.symbol);
  // A copy: checking the arguments may add functions.
  const FnSignature signature = out_.modules[fn.module].functions[fn.symbol];
  if (node.args.size() < signature.required || node.args.size() > signature.params.size()) {
    std::string takes = signature.required == signature.params.size()
                            ? fmt::format("{}", signature.params.size())
                            : fmt::format("{} to {}", signature.required, signature.params.size());
    auto& d = diags_.error(Code::E0301, name.span,
                           fmt::format("{} takes {} argument{}, found {}", ticked(name.text), takes,
                                       signature.params.size() == 1 ? "" : "s", node.args.size()));
    // The standard library's files are not the user's: show its signature instead.
    if (is_std_module(program_.modules[fn.module])) {
      d.with_note(fmt::format("{} is {}", ticked(name.text), signature_text(fn)));
    } else {
      d.with_secondary(symbol(fn).span, "declared here");
    }
    for (ExprId arg : node.args)
      infer(m, f, arg, std::nullopt);
    return types_.error();
  }
  const Symbol& fn_symbol = symbol(fn);
  const auto& decl = std::get<ast::Fn>(file(fn.module, fn_symbol.file).decls[fn_symbol.decl].node);
  bool std_fn = is_std_module(program_.modules[fn.module]);
  for (size_t i = 0; i < node.args.size(); ++i) {
    const ast::Name& param = decl.params[i].name;
    if (std_fn) {
      check_against(m, f, node.args[i], signature.params[i], Span{},
                    fmt::format("{} is {}", ticked(name.text), signature_text(fn)));
    } else {
      check_against(m, f, node.args[i], signature.params[i], param.span,
                    fmt::format("{} is declared as {} here", ticked(param.text),
                                quoted_type(signature.params[i])));
    }
  }
  return types_.value_type(signature.result);
}

// `fn(network: cidr, n: int) -> ip`, for messages about calls.
std::string Checker::signature_text(Declared fn) const {
  const Symbol& fn_symbol = symbol(fn);
  const auto& decl = std::get<ast::Fn>(file(fn.module, fn_symbol.file).decls[fn_symbol.decl].node);
  const FnSignature& signature = out_.modules[fn.module].functions.at(fn.symbol);
  std::string params;
  for (size_t i = 0; i < decl.params.size() && i < signature.params.size(); ++i) {
    params += fmt::format("{}{}: {}{}", params.empty() ? "" : ", ", decl.params[i].name.text,
                          types_.to_string(signature.params[i]),
                          decl.params[i].default_value ? " = ..." : "");
  }
  return ticked(
      fmt::format("fn {}({}) -> {}", fn_symbol.name, params, types_.to_string(signature.result)));
}

}  // namespace kc::sema
