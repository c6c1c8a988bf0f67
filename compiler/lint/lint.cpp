// The lint engine: rule families, then `# kc:ignore` suppression and the unused-ignore rule.
#include "compiler/lint/lint.h"

#include <fmt/format.h>

#include <map>
#include <tuple>

#include "compiler/lint/context.h"
#include "compiler/lint/edits.h"
#include "compiler/lint/suppress.h"
#include "compiler/sema/suggest.h"

namespace kc::lint {

namespace {

struct FileIgnores {
  source::FileId file = source::kNoFile;
  std::vector<Ignore> ignores;
};

std::vector<FileIgnores> collect_ignores(const Context& context) {
  std::vector<FileIgnores> out;
  for (uint32_t m : context.modules()) {
    for (const ast::File* file : context.checked().source(m).files) {
      if (file->file == source::kNoFile) continue;
      FileIgnores entry{file->file, find_ignores(*file, context.sources().file(file->file))};
      if (!entry.ignores.empty()) out.push_back(std::move(entry));
    }
  }
  return out;
}

// Marks the ignores that silence `finding`; true when one does.
bool suppressed(const Context& context, const diag::Diagnostic& finding,
                std::vector<FileIgnores>& all) {
  if (!finding.span.valid()) return false;
  bool hit = false;
  for (FileIgnores& entry : all) {
    if (entry.file != finding.span.file) continue;
    uint32_t line = context.sources().file(finding.span.file).line_col(finding.span.begin).line;
    for (Ignore& ignore : entry.ignores) {
      if (ignore.rule_name != finding.rule) continue;
      if (ignore.file_wide || ignore.line == line) {
        ignore.used = true;
        hit = true;
      }
    }
  }
  return hit;
}

// The fix for the unused names of one comment: removing the whole comment when none of its names
// is used, else rewriting its list of names to the used ones. Only the first unused name of a
// comment carries the fix, so that it is applied once.
void fix_unused(const Context& context, const std::vector<const Ignore*>& comment_ignores,
                const Ignore& ignore, diag::Diagnostic& finding) {
  const Ignore* first_unused = nullptr;
  std::vector<std::string> kept;
  for (const Ignore* other : comment_ignores) {
    if (other->used) {
      kept.push_back(other->rule_name);
    } else if (first_unused == nullptr) {
      first_unused = other;
    }
  }
  if (first_unused != &ignore) return;
  const source::SourceFile& file = context.sources().file(ignore.comment.file);
  if (kept.empty()) {
    source::Span span = ignore.trailing ? trailing_comment_span(file, ignore.comment)
                                        : deletion_span(file, ignore.comment, true);
    finding.with_fix("remove the comment", span, "");
    return;
  }
  source::Span names{ignore.comment.file, comment_ignores.front()->name_span.begin,
                     comment_ignores.back()->name_span.end};
  std::string list;
  for (const std::string& name : kept)
    list += (list.empty() ? "" : ", ") + name;
  finding.with_fix("keep only the rules that are silenced", names, list);
}

// Whether the data `rule` reads was there: without it the rule is skipped.
bool can_run(const Context& context, Rule rule) {
  const LintInput& input = context.input();
  switch (rule) {
    case Rule::KubernetesVersionEol:
      return input.releases != nullptr;
    case Rule::NetworkPluginFeature:
      return input.plugins != nullptr;
    case Rule::AddonIncompatible:
      return input.addons != nullptr;
    case Rule::UpgradeSkipsMinor:
      return input.stored != nullptr;
    default:
      return true;
  }
}

void report_unused(const Context& context, Reporter& out, std::vector<FileIgnores>& all) {
  for (FileIgnores& entry : all) {
    std::map<uint32_t, std::vector<const Ignore*>> by_comment;
    for (const Ignore& ignore : entry.ignores)
      by_comment[ignore.comment.begin].push_back(&ignore);
    const std::string& path = context.sources().file(entry.file).path();
    // A rule that is off here, or could not run, finds nothing; its ignores are not stale.
    for (Ignore& ignore : entry.ignores) {
      if (!ignore.rule) continue;
      if (!context.config().severity(*ignore.rule, path) || !can_run(context, *ignore.rule)) {
        ignore.used = true;
      }
    }
    for (const Ignore& ignore : entry.ignores) {
      if (ignore.used) continue;
      const std::vector<const Ignore*>& siblings = by_comment[ignore.comment.begin];
      const char* directive = ignore.file_wide ? "kc:ignore-file" : "kc:ignore";
      if (ignore.rule_name.empty()) {
        diag::Diagnostic& d =
            out.report(Rule::UnusedIgnore, ignore.name_span,
                       fmt::format("`{}` names no rule, so it silences nothing", directive));
        d.with_label("write the rule to silence after it");
        fix_unused(context, siblings, ignore, d);
        continue;
      }
      if (!ignore.rule) {
        diag::Diagnostic& d =
            out.report(Rule::UnusedIgnore, ignore.name_span,
                       fmt::format("`{}` names an unknown rule `{}`", directive, ignore.rule_name));
        if (auto near = sema::closest(ignore.rule_name, rule_names())) {
          d.with_label(fmt::format("did you mean `{}`?", *near));
        }
        fix_unused(context, siblings, ignore, d);
        continue;
      }
      diag::Diagnostic& d = out.report(
          Rule::UnusedIgnore, ignore.name_span,
          ignore.file_wide
              ? fmt::format("`{}` finds nothing in this file to silence", ignore.rule_name)
              : fmt::format("`{}` finds nothing on line {} to silence", ignore.rule_name,
                            ignore.line));
      fix_unused(context, siblings, ignore, d);
    }
  }
}

bool same_finding(const diag::Diagnostic& a, const diag::Diagnostic& b) {
  return a.rule == b.rule && a.span == b.span && a.message == b.message;
}

}  // namespace

diag::Diagnostics lint(const LintInput& input, const diag::Diagnostics& compile) {
  diag::Diagnostics out;
  bool run_rules = input.checked != nullptr && !compile.has_errors();
  for (const diag::Diagnostic& d : compile.all()) {
    if (run_rules && d.rule.empty() && d.code == diag::Code::E0306) continue;
    out.add(d);
  }
  if (!run_rules) {
    out.sort();
    return out;
  }
  Context context(input, compile);
  Reporter reporter(context);
  for (const FamilyEntry& family : rule_families())
    family.run(context, reporter);

  std::vector<FileIgnores> ignores = collect_ignores(context);
  std::vector<diag::Diagnostic> kept;
  for (const diag::Diagnostic& finding : reporter.findings()) {
    if (suppressed(context, finding, ignores)) continue;
    bool duplicate = false;
    for (const diag::Diagnostic& earlier : kept) {
      if (same_finding(earlier, finding)) duplicate = true;
    }
    if (!duplicate) kept.push_back(finding);
  }
  Reporter meta(context);
  report_unused(context, meta, ignores);
  for (const diag::Diagnostic& finding : kept)
    out.add(finding);
  for (const diag::Diagnostic& finding : meta.findings())
    out.add(finding);
  out.sort();
  return out;
}

}  // namespace kc::lint
