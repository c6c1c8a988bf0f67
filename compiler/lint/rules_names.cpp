// Names: `let`s, `param`s and imports nothing reads, and bindings that hide another of the same
// name (a local over an outer local, a module declaration or the prelude; a module declaration
// over the prelude). Reads the checker's name resolution; nothing is resolved again.
#include <fmt/format.h>

#include <set>
#include <utility>

#include "compiler/lint/edits.h"
#include "compiler/lint/values.h"
#include "compiler/lint/walk.h"

namespace kc::lint {

namespace {

using SymbolKey = std::pair<uint32_t, int32_t>;  // module, symbol

// Every symbol some NameRef resolves to, and per module the names used as qualifiers in types
// and schema literals (`sizes.Small`), which name imports without a NameRef.
struct Uses {
  std::set<SymbolKey> symbols;
  std::map<uint32_t, std::set<std::string>> qualifiers;
};

Uses collect_uses(const Context& context) {
  Uses uses;
  const sema::CheckedProgram& checked = context.checked();
  for (uint32_t m = 0; m < checked.modules.size(); ++m) {
    for (const auto& names : checked.modules[m].names) {
      for (const auto& [expr, target] : names) {
        if (target.symbol >= 0) uses.symbols.insert({target.module, target.symbol});
      }
    }
  }
  for (uint32_t m : context.modules()) {
    const auto& files = checked.source(m).files;
    for (uint32_t f = 0; f < files.size(); ++f) {
      const ast::File* file = files[f];
      // `net.subnet(...)`: the checker resolves the member, not the module name before it.
      for (const ast::Expr& expr : file->exprs) {
        const auto* member = std::get_if<ast::Member>(&expr.node);
        if (member == nullptr) continue;
        const auto* object = std::get_if<ast::NameRef>(&file->expr(member->object).node);
        if (object == nullptr) continue;
        const auto& names = checked.modules[m].names;
        bool resolved_elsewhere = f < names.size() && names[f].count(member->object.index) > 0;
        if (!resolved_elsewhere) uses.qualifiers[m].insert(object->name.text);
      }
      for (const ast::TypeExpr& type : file->types) {
        if (type.name.module) uses.qualifiers[m].insert(type.name.module->text);
      }
      for (const ast::Expr& expr : file->exprs) {
        if (const auto* record = std::get_if<ast::RecordLit>(&expr.node)) {
          if (record->schema && record->schema->module) {
            uses.qualifiers[m].insert(record->schema->module->text);
          }
        }
      }
    }
  }
  return uses;
}

// Whether values of `type` are resources, or lists or maps of them.
bool makes_resources(const sema::TypeTable& types, sema::TypeId type) {
  const sema::Type& t = types.get(types.core(type));
  if (t.kind == sema::TypeKind::Resource) return true;
  if (t.kind == sema::TypeKind::List || t.kind == sema::TypeKind::Map) {
    return makes_resources(types, t.element);
  }
  return false;
}

void unused(const Context& context, Reporter& out) {
  Uses uses = collect_uses(context);
  for (uint32_t m : context.modules()) {
    const sema::CheckedModule& module = context.checked().modules[m];
    for (uint32_t s = 0; s < module.symbols.size(); ++s) {
      const sema::Symbol& symbol = module.symbols[s];
      if (symbol.name.empty() || symbol.name[0] == '_') continue;
      if (uses.symbols.count({m, static_cast<int32_t>(s)})) continue;
      const ast::File& file = context.file(m, symbol.file);
      if (symbol.decl >= file.decls.size()) continue;
      const ast::Decl& decl = file.decls[symbol.decl];
      switch (symbol.kind) {
        case sema::SymbolKind::Let: {
          diag::Diagnostic& d =
              out.report(Rule::UnusedLet, symbol.span,
                         fmt::format("`{}` is never read", symbol.name))
                  .with_label(fmt::format("remove it, or name it `_{}`", symbol.name));
          if (makes_resources(context.checked().types, symbol.type)) {
            d.with_note(
                "the resources it makes are not managed: only those reachable from exports and "
                "outputs are in the desired state; export it to manage them");
          }
          break;
        }
        case sema::SymbolKind::Param:
          out.report(Rule::UnusedParam, symbol.span,
                     fmt::format("param `{}` is never read", symbol.name))
              .with_label("a `--var` for it changes nothing");
          break;
        case sema::SymbolKind::Import: {
          if (uses.qualifiers[m].count(symbol.name)) break;
          const auto* import = std::get_if<ast::Import>(&decl.node);
          if (import == nullptr) break;
          const source::SourceFile& text = context.sources().file(file.file);
          out.report(Rule::UnusedImport, symbol.span,
                     fmt::format("`{}` is imported but never used", import->path))
              .with_fix("remove the import", deletion_span(text, decl.span, true), "");
          break;
        }
        default:
          break;
      }
    }
  }
}

// Names the prelude declares for every module (its imports are its own).
std::map<std::string, const sema::Symbol*> prelude_names(const Context& context) {
  std::map<std::string, const sema::Symbol*> names;
  int32_t prelude = context.checked().program->prelude;
  if (prelude < 0) return names;
  for (const sema::Symbol& symbol :
       context.checked().modules[static_cast<size_t>(prelude)].symbols) {
    if (symbol.kind != sema::SymbolKind::Import) names.emplace(symbol.name, &symbol);
  }
  return names;
}

class ShadowWalker {
 public:
  ShadowWalker(const Context& context, Reporter& out, uint32_t module,
               const std::map<std::string, const sema::Symbol*>& prelude)
      : context_(context), out_(out), module_(module), prelude_(prelude) {}

  void file(const ast::File& file) {
    file_ = &file;
    for (const ast::Decl& decl : file.decls) {
      std::visit([&](const auto& node) { decl_node(node); }, decl.node);
    }
  }

 private:
  struct Local {
    std::string name;
    source::Span span;
  };

  template <typename T>
  void decl_node(const T& node) {
    using D = std::decay_t<T>;
    if constexpr (std::is_same_v<D, ast::Let> || std::is_same_v<D, ast::Export> ||
                  std::is_same_v<D, ast::Output>) {
      expr(node.value);
    } else if constexpr (std::is_same_v<D, ast::Param>) {
      if (node.default_value) expr(*node.default_value);
    } else if constexpr (std::is_same_v<D, ast::Fn>) {
      for (const ast::FnParam& param : node.params) {
        if (param.default_value) expr(*param.default_value);
      }
      size_t mark = scope_.size();
      for (const ast::FnParam& param : node.params)
        bind(param.name);
      expr(node.body);
      scope_.resize(mark);
    } else if constexpr (std::is_same_v<D, ast::Schema>) {
      for (const ast::SchemaItem& item : node.items) {
        if (const auto* field = std::get_if<ast::FieldDecl>(&item.node)) {
          if (field->default_value) expr(*field->default_value);
        } else if (const auto* let = std::get_if<ast::Let>(&item.node)) {
          expr(let->value);
        } else if (const auto* check = std::get_if<ast::CheckBlock>(&item.node)) {
          checks(*check);
        }
      }
    } else if constexpr (std::is_same_v<D, ast::TypeAlias>) {
      if (node.check) checks(*node.check);
    } else if constexpr (std::is_same_v<D, ast::Provider> || std::is_same_v<D, ast::Backend>) {
      body(node.body);
    }
  }

  void checks(const ast::CheckBlock& block) {
    for (const ast::CheckLine& line : block.lines) {
      expr(line.condition);
      expr(line.message);
    }
  }

  void bind(const ast::Name& name) {
    if (name.text.empty() || name.text == "_" || name.text[0] == '_') {
      scope_.push_back(Local{name.text, name.span});
      return;
    }
    for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
      if (it->name != name.text) continue;
      out_.report(Rule::ShadowedName, name.span,
                  fmt::format("`{}` hides another local of the same name", name.text))
          .with_secondary(it->span, "the hidden one is bound here");
      scope_.push_back(Local{name.text, name.span});
      return;
    }
    const sema::CheckedModule& module = context_.checked().modules[module_];
    if (const sema::Symbol* symbol = module.find(name.text)) {
      out_.report(Rule::ShadowedName, name.span,
                  fmt::format("`{}` hides the module's declaration of the same name", name.text))
          .with_secondary(symbol->span, "the hidden declaration");
    } else if (prelude_.count(name.text)) {
      out_.report(Rule::ShadowedName, name.span,
                  fmt::format("`{}` hides the prelude's `{}` (std/cluster)", name.text, name.text));
    }
    scope_.push_back(Local{name.text, name.span});
  }

  void clauses_then(const std::vector<ast::CompClause>& clauses,
                    std::initializer_list<ast::ExprId> values) {
    size_t mark = scope_.size();
    for (const ast::CompClause& clause : clauses) {
      expr(clause.expr);
      if (clause.kind == ast::CompClause::Kind::For) {
        if (clause.key) bind(*clause.key);
        bind(clause.value);
      }
    }
    for (ast::ExprId value : values)
      expr(value);
    scope_.resize(mark);
  }

  void expr(ast::ExprId id) {
    if (!id.valid() || depth_ > 512) return;
    ++depth_;
    const ast::Expr& node = file_->expr(id);
    if (const auto* comp = std::get_if<ast::ListComp>(&node.node)) {
      clauses_then(comp->clauses, {comp->value});
    } else if (const auto* map = std::get_if<ast::MapComp>(&node.node)) {
      clauses_then(map->clauses, {map->key, map->value});
    } else {
      expr_children(
          *file_, node, [&](ast::ExprId child) { expr(child); },
          [&](ast::BodyId child) { body(child); });
    }
    --depth_;
  }

  void label(const ast::Label& label) {
    if (label.is_string()) expr(label.string);
  }

  void body(ast::BodyId id) {
    if (!id.valid()) return;
    for (const ast::BodyItem& item : file_->body(id).items) {
      if (const auto* assign = std::get_if<ast::FieldAssign>(&item.node)) {
        label(assign->key);
        expr(assign->value);
      } else if (const auto* block = std::get_if<ast::LabelledBlock>(&item.node)) {
        label(block->label);
        body(block->body);
      } else if (const auto* loop = std::get_if<ast::ForItem>(&item.node)) {
        expr(loop->iterable);
        size_t mark = scope_.size();
        if (loop->key) bind(*loop->key);
        bind(loop->value);
        body(loop->body);
        scope_.resize(mark);
      } else if (const auto* branch = std::get_if<ast::IfItem>(&item.node)) {
        for (const ast::IfBranch& b : branch->branches) {
          expr(b.condition);
          body(b.body);
        }
        if (branch->else_body) body(*branch->else_body);
      } else if (const auto* resource = std::get_if<ast::ResourceItem>(&item.node)) {
        expr(resource->resource);
      }
    }
  }

  const Context& context_;
  Reporter& out_;
  uint32_t module_;
  const std::map<std::string, const sema::Symbol*>& prelude_;
  const ast::File* file_ = nullptr;
  std::vector<Local> scope_;
  int depth_ = 0;
};

void shadowed(const Context& context, Reporter& out) {
  std::map<std::string, const sema::Symbol*> prelude = prelude_names(context);
  for (uint32_t m : context.modules()) {
    // Module declarations over the prelude's.
    for (const sema::Symbol& symbol : context.checked().modules[m].symbols) {
      auto it = prelude.find(symbol.name);
      if (it == prelude.end()) continue;
      out.report(Rule::ShadowedName, symbol.span,
                 fmt::format("`{}` hides the prelude's `{}` (std/cluster) in this module",
                             symbol.name, symbol.name))
          .with_note("every module sees the prelude's declarations; rename this one");
    }
    ShadowWalker walker(context, out, m, prelude);
    for (const ast::File* file : context.checked().source(m).files)
      walker.file(*file);
  }
}

}  // namespace

void name_rules(const Context& context, Reporter& out) {
  unused(context, out);
  shadowed(context, out);
}

}  // namespace kc::lint
