// `kc fmt [--check] [--diff] [PATH...]`: canonical formatting of .kcl files in place, or of
// standard input (`-`) to standard output. Files with syntax errors are reported and never touched.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <memory>

#include "cli/commands.h"
#include "cli/session.h"
#include "compiler/diag/render.h"
#include "compiler/format/diff.h"
#include "compiler/format/format.h"
#include "support/files.h"

namespace kc::cli {
namespace {

namespace fs = std::filesystem;

struct FmtOptions {
  std::vector<std::string> paths;
  bool check = false;
  bool diff = false;
  std::string diagnostics = "human";
  bool no_color = false;
};

// Every `.kcl` file below `dir`, sorted; directories named `.kc` and hidden ones are skipped, and
// so are symlinks (a file is formatted where it lives, once).
std::vector<std::string> kcl_files_under(const std::string& dir, std::string& error) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    std::string name = entry.path().filename().string();
    std::error_code type_ec;
    if (entry.is_directory(type_ec)) {
      if (!name.empty() && name[0] == '.') it.disable_recursion_pending();
      continue;
    }
    if (entry.path().extension() == ".kcl" && !entry.is_symlink(type_ec) &&
        entry.is_regular_file(type_ec)) {
      files.push_back(entry.path().string());
    }
  }
  if (ec) error = ec.message();
  std::sort(files.begin(), files.end());
  return files;
}

class Formatter {
 public:
  explicit Formatter(const FmtOptions& options) : options_(options) {}

  int run() {
    std::vector<std::string> paths = options_.paths;
    if (paths.empty()) paths.push_back(".");
    for (const std::string& path : paths) {
      if (path == "-") {
        standard_input();
        continue;
      }
      std::error_code ec;
      if (fs::is_directory(path, ec)) {
        std::string error;
        for (const std::string& file : kcl_files_under(path, error))
          this->file(file);
        if (!error.empty()) unreadable(path, error);
      } else {
        this->file(path);
      }
    }
    diag::RenderOptions render;
    diag::parse_format(options_.diagnostics, render.format);
    render.color = use_color(STDERR_FILENO, options_.no_color);
    diagnostics_.sort();
    if (render.format == diag::Format::Json || !diagnostics_.empty()) {
      std::cerr << diag::render(diagnostics_, sources_, render);
    }
    bool reporting = options_.check || options_.diff;
    return diagnostics_.has_errors() || (reporting && changed_) ? 1 : 0;
  }

 private:
  void unreadable(const std::string& path, const std::string& why) {
    diagnostics_.error(diag::Code::E0505, source::Span{},
                       "cannot read `" + source::display_path(path) + "`: " + why);
  }

  void standard_input() {
    std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    source::FileId id = sources_.add("<stdin>", std::move(text));
    format::FormatResult result = format::format_file(sources_, id);
    diagnostics_.append(result.diagnostics);
    if (!result.ok) return;
    changed_ = changed_ || result.changed;
    if (options_.diff) {
      std::cout << format::unified_diff(sources_.file(id).text(), result.text, "<stdin>",
                                        "<stdin>");
    } else if (!options_.check) {
      std::cout << result.text;
    }
  }

  void file(const std::string& path) {
    bool missing = false;
    std::string error;
    std::optional<std::string> text = support::read_whole_file(path, &missing, &error);
    if (!text) {
      unreadable(path, missing ? "no such file or directory" : error);
      return;
    }
    std::string shown = source::display_path(path);
    source::FileId id = sources_.add(shown, std::move(*text));
    format::FormatResult result = format::format_file(sources_, id);
    diagnostics_.append(result.diagnostics);
    if (!result.ok || !result.changed) return;
    changed_ = true;
    if (options_.check) std::cout << shown << "\n";
    if (options_.diff) {
      std::cout << format::unified_diff(sources_.file(id).text(), result.text, "a/" + shown,
                                        "b/" + shown);
    }
    if (options_.check || options_.diff) return;
    write(path, shown, result.text);
  }

  // Replaces the file atomically, keeping its permissions; through a symlink, the target.
  void write(const std::string& path, const std::string& shown, const std::string& text) {
    std::error_code ec;
    fs::path target = fs::canonical(path, ec);
    if (ec) target = path;
    struct stat info {};
    mode_t mode = ::stat(target.c_str(), &info) == 0 ? (info.st_mode & 07777) : 0644;
    std::string error;
    if (!support::write_file_atomically(target.string(), text, mode, &error)) {
      diagnostics_.error(diag::Code::E0505, source::Span{},
                         "cannot write `" + shown + "`: " + error);
    }
  }

  const FmtOptions& options_;
  source::SourceManager sources_;
  diag::Diagnostics diagnostics_;
  bool changed_ = false;
};

}  // namespace

void add_fmt_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<FmtOptions>();
  CLI::App* command = app.add_subcommand("fmt", "Format .kcl files canonically, in place");
  command->add_option("paths", options->paths,
                      "Files or directories (every .kcl below; default: .); - formats standard "
                      "input to standard output");
  command->add_flag("--check", options->check,
                    "Write nothing; list the files that would change and exit 1 if any would");
  command->add_flag("--diff", options->diff,
                    "Write nothing; print a unified diff of each change and exit 1 if any");
  command
      ->add_option("--diagnostics", options->diagnostics, "Diagnostic format: human, short or json")
      ->check(CLI::IsMember({"human", "short", "json"}));
  command->add_flag("--no-color", options->no_color, "Never colour the output");
  command->callback([options, &exit_code] { exit_code = Formatter(*options).run(); });
}

}  // namespace kc::cli
