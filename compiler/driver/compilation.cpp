// Module loading (files, imports, cycles) and the sequencing of the compiler's phases.
#include "compiler/driver/compilation.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "compiler/eval/read_below.h"
#include "compiler/sema/check.h"
#include "compiler/syntax/parse.h"

namespace kc::driver {

namespace fs = std::filesystem;
using diag::Code;

namespace {

std::string canonical(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::path(path), ec);
  return ec ? path : p.string();
}

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

Compilation::Compilation(CompileOptions options, const sdk::SchemaSource& schemas,
                         const FileSystem& fs)
    : options_(std::move(options)), schemas_(schemas), fs_(fs) {}

int32_t Compilation::load_root() {
  const std::string& root = options_.path;
  module_dir_ = fs_.is_directory(root) ? root : fs::path(root).parent_path().string();
  if (module_dir_.empty()) module_dir_ = ".";
  int32_t index = load_module(root, source::display_path(root), source::Span{});
  program_.root = index < 0 ? 0 : static_cast<uint32_t>(index);
  return index;
}

void Compilation::parse_root() {
  follow_imports_ = false;
  load_root();
}

void Compilation::check() {
  int32_t index = load_root();
  if (index >= 0 && options_.expression) add_expression(static_cast<uint32_t>(index));
  // The prelude: std/cluster, seen by every module (LANGUAGE.md 1). Without an installed standard
  // library there is none, and names from it are unknown.
  if (index >= 0) {
    if (auto path = resolve_import("std/cluster", module_dir_)) {
      program_.prelude = load_module(*path, "std/cluster", source::Span{});
    }
  }
  // Checking a tree that syntax errors cut short mostly reports their echoes (a block closed too
  // early misses its required fields), so a module with syntax errors stops here.
  if (index < 0 || diagnostics_.has_errors()) return;
  if (check_cache_ != nullptr && !options_.expression) {
    check_through_cache();
    return;
  }
  checked_ =
      std::make_shared<const sema::CheckedProgram>(sema::check(program_, schemas_, diagnostics_));
}

void Compilation::check_through_cache() {
  std::string root_key = canonical(options_.path);
  std::optional<sema::PriorCheck> prior = check_cache_->prior(root_key, program_, schemas_);
  size_t reused =
      prior ? static_cast<size_t>(std::count(prior->carry.begin(), prior->carry.end(), true)) : 0;
  diag::Diagnostics reported;
  checked_ = std::make_shared<const sema::CheckedProgram>(
      sema::check(program_, schemas_, reported, prior ? &*prior : nullptr));
  diagnostics_.append(reported);
  check_cache_->store(root_key, program_, files_, checked_, std::move(reported), schemas_, reused);
}

eval::DesiredState Compilation::evaluate(const eval::EvalInputs& inputs,
                                         diag::Diagnostics& diagnostics) {
  if (!checked_) return {};
  eval::EvalInputs with_files = inputs;
  std::string root = module_dir_;
  with_files.builtins.read_file = [root](std::string_view relative, std::string* error) {
    return eval::read_file_below(root, relative, error);
  };
  return eval::evaluate(*checked_, schemas_, with_files, diagnostics);
}

void Compilation::add_expression(uint32_t root) {
  std::string text = fmt::format("{} = {}", kExprExport, *options_.expression);
  source::FileId id = sources_.add("--expr", std::move(text));
  syntax::ParseResult parsed = syntax::parse(sources_, id);
  diagnostics_.append(parsed.diagnostics);
  // More than one declaration means the text was not one expression (`1 x = 2`).
  if (!parsed.diagnostics.has_errors() && parsed.file.decls.size() != 1) {
    diagnostics_.error(Code::E0101, parsed.file.decls[1].span, "`--expr` takes one expression")
        .with_label("this is more than one");
    return;
  }
  files_.push_back(std::make_shared<const ast::File>(std::move(parsed.file)));
  program_.modules[root].files.push_back(files_.back().get());
}

int32_t Compilation::load_module(const std::string& path, const std::string& name,
                                 source::Span site) {
  std::string key = canonical(path);
  if (auto it = std::find(loading_.begin(), loading_.end(), key); it != loading_.end()) {
    std::string chain;
    for (auto step = it; step != loading_.end(); ++step) {
      chain += program_.modules[module_by_path_[*step]].name + " -> ";
    }
    diagnostics_.error(Code::E0203, site, fmt::format("import cycle: {}{}", chain, name))
        .with_label("this import closes the cycle");
    return sema::kNoModule;
  }
  if (auto it = module_by_path_.find(key); it != module_by_path_.end()) return it->second;

  std::vector<std::string> paths;
  std::string dir;
  if (fs_.is_directory(path)) {
    paths = fs_.kcl_files(path);
    dir = path;
    if (paths.empty()) {
      diagnostics_.error(Code::E0202, site, fmt::format("no .kcl files in `{}`", name));
      return sema::kNoModule;
    }
  } else if (fs_.is_file(path)) {
    paths.push_back(path);
    dir = fs::path(path).parent_path().string();
    if (dir.empty()) dir = ".";
  } else {
    diagnostics_.error(Code::E0202, site, fmt::format("module `{}` not found", name))
        .with_label("no such file or directory");
    return sema::kNoModule;
  }

  auto index = static_cast<int32_t>(program_.modules.size());
  program_.modules.push_back(sema::SourceModule{name, dir, {}, {}});
  module_by_path_[key] = index;
  loading_.push_back(key);

  for (const std::string& file_path : paths) {
    std::optional<std::string> text = fs_.read(file_path);
    if (!text) {
      diagnostics_.error(Code::E0202, site, fmt::format("cannot read `{}`", file_path));
      continue;
    }
    source::FileId id = sources_.add(source::display_path(file_path), std::move(*text));
    std::string file_key = paths.size() == 1 && dir != path
                               ? key
                               : (fs::path(key) / fs::path(file_path).filename()).string();
    ParsedFile parsed = parse_file(file_key, id);
    diagnostics_.append(parsed.diagnostics);
    files_.push_back(std::move(parsed.file));
    program_.modules[index].files.push_back(files_.back().get());
  }

  // Imports are loaded after the module's own files so that a cycle names complete modules.
  for (uint32_t f = 0; follow_imports_ && f < program_.modules[index].files.size(); ++f) {
    const ast::File& file = *program_.modules[index].files[f];
    for (uint32_t d = 0; d < file.decls.size(); ++d) {
      const auto* import = std::get_if<ast::Import>(&file.decls[d].node);
      if (import == nullptr) continue;
      int32_t target = sema::kNoModule;
      if (auto resolved = resolve_import(import->path, dir)) {
        target = load_module(*resolved, import->path, import->path_span);
      } else {
        auto& d_ = diagnostics_.error(Code::E0202, import->path_span,
                                      fmt::format("import `{}` not found", import->path));
        if (starts_with(import->path, "std/")) {
          d_.with_note("the standard library has no such module");
        } else if (!starts_with(import->path, "./") && !starts_with(import->path, "../")) {
          d_.with_note(fmt::format(
              "write `./{0}` for a module beside this file, or `std/{0}` for the standard library",
              import->path));
        } else {
          d_.with_label(fmt::format("looked for `{}.kcl` and a directory `{}` in `{}`",
                                    import->path, import->path, source::display_path(dir)));
        }
      }
      program_.modules[index].imports[{f, d}] = target;
    }
  }
  loading_.pop_back();
  return index;
}

ParsedFile Compilation::parse_file(const std::string& file_key, source::FileId id) {
  const source::SourceFile& file = sources_.file(id);
  if (parse_cache_ != nullptr) {
    if (const ParsedFile* cached = parse_cache_->find(file_key, id, file.path(), file.text())) {
      return *cached;
    }
  }
  syntax::ParseResult result = syntax::parse(sources_, id);
  ParsedFile parsed{std::make_shared<const ast::File>(std::move(result.file)),
                    std::move(result.diagnostics)};
  if (parse_cache_ != nullptr) {
    parse_cache_->store(file_key, id, file.path(), std::string(file.text()), parsed);
  }
  return parsed;
}

std::optional<std::string> Compilation::resolve_import(const std::string& spec,
                                                       const std::string& from_dir) const {
  std::vector<std::string> bases;
  std::string rest = spec;
  if (starts_with(spec, "std/")) {
    bases = options_.stdlib_dirs;
  } else if (starts_with(spec, "./") || starts_with(spec, "../")) {
    bases.push_back(from_dir);
  } else {
    return std::nullopt;
  }
  for (const std::string& base : bases) {
    fs::path candidate = (fs::path(base) / rest).lexically_normal();
    if (candidate.extension() == ".kcl") {
      if (fs_.is_file(candidate.string())) return candidate.string();
      continue;
    }
    fs::path file = candidate;
    file += ".kcl";
    if (fs_.is_file(file.string())) return file.string();
    if (fs_.is_directory(candidate.string())) return candidate.string();
  }
  return std::nullopt;
}

std::string Compilation::dump_ast() const {
  std::string out;
  if (program_.modules.empty()) return out;
  for (const ast::File* file : program_.modules[program_.root].files) {
    out += fmt::format("file {}\n", sources_.file(file->file).path());
    out += syntax::dump(*file, sources_);
  }
  return out;
}

std::string Compilation::dump_types() const {
  return checked_ ? sema::dump_types(*checked_) : std::string();
}

}  // namespace kc::driver
