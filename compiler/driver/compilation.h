// Compilation: runs the compiler's phases for one root module — load and parse (with imports),
// check, evaluate — and owns everything they produce. Single-threaded. The CLI and (later) the
// language server drive the compiler only through this class.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/driver/check_cache.h"
#include "compiler/driver/file_system.h"
#include "compiler/driver/parse_cache.h"
#include "compiler/eval/evaluate.h"
#include "compiler/sema/checked.h"
#include "compiler/sema/program.h"
#include "compiler/source/source.h"
#include "compiler/syntax/ast.h"
#include "providers/sdk/schema.h"

namespace kc::driver {

struct CompileOptions {
  std::string path = ".";                // the root module: a directory or a .kcl file
  std::vector<std::string> stdlib_dirs;  // searched in order for `std/...` imports
  // `kc eval --expr EXPR`: an expression evaluated in the root module's scope, as the export
  // kExprExport of an extra file named `--expr`.
  std::optional<std::string> expression;
};

inline constexpr const char* kExprExport = "__expr__";

class Compilation {
 public:
  Compilation(CompileOptions options, const sdk::SchemaSource& schemas, const FileSystem& fs);

  // Parses through `cache` (parse_cache.h): files whose parse it holds are not parsed again, and
  // the parses made are stored in it. The result is the same as without a cache. Call before
  // check() or parse_root(); the cache must outlive those calls (the trees it hands out are shared,
  // so they stay valid as long as this compilation).
  void use_parse_cache(ParseCache* cache) { parse_cache_ = cache; }
  // Checks through `cache` (check_cache.h): the modules an earlier compilation of the same root
  // checked, and that neither changed nor see a change, are not checked again. The result is the
  // same as without a cache. Use with a parse cache; not with CompileOptions::expression.
  void use_check_cache(CheckCache* cache) { check_cache_ = cache; }

  // Loads the root module and everything it imports, parses and checks it. Diagnostics accumulate;
  // a missing root module is an E0202 without a span. Checking is skipped when loading or parsing
  // reported errors (checked() stays null).
  void check();
  // Loads and parses only the root module's files, without following imports or checking
  // (`kc check --dump=ast` shows the parser's output for code the checker does not accept yet).
  // Use instead of check(), not with it.
  void parse_root();
  // Evaluates the checked root module, reporting into `diagnostics` (the compilation's own, or a
  // scratch list for re-evaluations). Call after check(); may be called again with other inputs
  // (the runtime re-evaluates once outputs of new resources are known).
  eval::DesiredState evaluate(const eval::EvalInputs& inputs, diag::Diagnostics& diagnostics);

  source::SourceManager& sources() { return sources_; }
  diag::Diagnostics& diagnostics() { return diagnostics_; }
  // The root module's directory: where `.kc/` (state, provider data) lives.
  const std::string& module_dir() const { return module_dir_; }
  const sema::CheckedProgram* checked() const { return checked_.get(); }

  std::string dump_ast() const;    // every file of the root module
  std::string dump_types() const;  // every module's symbols

 private:
  // Loads the module at `path` (file or directory); returns its index, or kNoModule after
  // reporting E0202 at `site`.
  int32_t load_module(const std::string& path, const std::string& name, source::Span site);
  std::optional<std::string> resolve_import(const std::string& spec,
                                            const std::string& from_dir) const;

  // The parse of the file at `file_key` (canonical path) just added to sources_ as `id`.
  ParsedFile parse_file(const std::string& file_key, source::FileId id);
  // Adds the `--expr` file to the root module.
  void add_expression(uint32_t root);
  // check()'s last step with a check cache.
  void check_through_cache();
  // Resolves root path, module_dir_ and program_.root.
  int32_t load_root();

  CompileOptions options_;
  bool follow_imports_ = true;
  const sdk::SchemaSource& schemas_;
  const FileSystem& fs_;
  source::SourceManager sources_;
  diag::Diagnostics diagnostics_;
  ParseCache* parse_cache_ = nullptr;
  CheckCache* check_cache_ = nullptr;
  // Every parsed file (sema::Program points into them); shared with the parse cache, if any.
  std::vector<std::shared_ptr<const ast::File>> files_;
  sema::Program program_;
  std::map<std::string, int32_t> module_by_path_;  // canonical path -> module index
  std::vector<std::string> loading_;               // canonical paths being loaded (cycle check)
  // Shared with the check cache, if any.
  std::shared_ptr<const sema::CheckedProgram> checked_;
  std::string module_dir_ = ".";
};

}  // namespace kc::driver
