// Saved plans: making, detecting, reading and validating plan files for `plan`, `apply` and `show`.
#include "cli/saved_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "compiler/eval/encoding.h"
#include "support/files.h"

namespace kc::cli {
namespace {

namespace fs = std::filesystem;

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
}

// Digests of every file the session loaded (module, imports, standard library), by absolute path.
std::map<std::string, std::string> source_digests(Session& session) {
  std::map<std::string, std::string> digests;
  const source::SourceManager& sources = session.compilation().sources();
  for (source::FileId id = 0; id < sources.size(); ++id) {
    const source::SourceFile& file = sources.file(id);
    if (file.path() == "--expr") continue;  // `kc eval --expr`, never a plan's source
    digests[absolute_path(file.path())] = eval::sha256_hex(file.text());
  }
  return digests;
}

}  // namespace

plan::PlanFile make_plan_file(Session& session, const std::string& module_path,
                              const PlanRun& run) {
  plan::PlanFile file;
  file.kc_version = KC_VERSION;
  file.lineage = run.state.lineage;
  file.serial = run.state.serial;
  file.module = absolute_path(module_path);
  file.module_dir = absolute_path(session.module_dir());
  for (const auto& [path, sha256] : source_digests(session))
    file.sources.push_back({path, sha256});
  for (const auto& [name, input] : session.params())
    file.inputs.push_back({name, input.value, input.origin});
  file.inputs_sha256 = plan::inputs_digest(file.inputs);
  file.drift = run.drift;
  file.plan = run.plan;
  return file;
}

bool write_saved_plan(Session& session, const plan::PlanFile& file, const std::string& path) {
  std::string error;
  if (plan::write_plan_file(path, plan::encode_plan_file(file, &session.compilation().sources()),
                            &error)) {
    return true;
  }
  session.diagnostics().error(diag::Code::E0505, source::Span{},
                              fmt::format("cannot write the plan to `{}`: {}", path, error));
  return false;
}

bool names_saved_plan(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  if (fs::path(path).extension() != ".kcl") return true;
  bool missing = false;
  std::string error;
  std::optional<std::string> text = support::read_whole_file(path, &missing, &error);
  return text && plan::looks_like_plan_file(*text);
}

std::optional<plan::PlanFile> read_saved_plan(const std::string& path, diag::Diagnostics& diags,
                                              const source::SourceManager* sources,
                                              std::string* text_out) {
  bool missing = false;
  std::string error;
  std::optional<std::string> text = support::read_whole_file(path, &missing, &error);
  if (!text) {
    diags.error(diag::Code::E0505, source::Span{},
                fmt::format("cannot read the saved plan `{}`: {}", path,
                            missing ? std::string("no such file") : error));
    return std::nullopt;
  }
  if (text_out != nullptr) *text_out = *text;
  return plan::decode_plan_file(*text, path, diags, sources);
}

std::map<std::string, eval::ParamInput> saved_inputs(const plan::PlanFile& file) {
  std::map<std::string, eval::ParamInput> params;
  for (const plan::PlanInput& input : file.inputs)
    params[input.name] = eval::ParamInput{input.value, input.origin};
  return params;
}

bool check_saved_plan(const plan::PlanFile& file, Session& session, state::State& state,
                      diag::Diagnostics& diags) {
  auto stale = [&](std::string message) -> diag::Diagnostic& {
    return diags.error(diag::Code::E0502, source::Span{}, std::move(message))
        .with_note("run `kc plan --out FILE` again, review it, and apply the new file");
  };
  if (file.kc_version != KC_VERSION) {
    stale(fmt::format("this plan was made by kc {}; this is kc {}", file.kc_version, KC_VERSION));
    return false;
  }
  bool nothing_stored = file.serial == 0 && state.serial == 0;
  if (!nothing_stored && file.lineage != state.lineage) {
    stale(fmt::format("this plan was made for another state (lineage {}); `{}` has lineage {}",
                      file.lineage, source::display_path(file.module_dir), state.lineage));
    return false;
  }
  if (file.serial != state.serial) {
    stale(fmt::format(
        "the state has changed since this plan was made (serial {} then, {} now): run `kc plan` "
        "again",
        file.serial, state.serial));
    return false;
  }

  std::map<std::string, std::string> then;
  for (const plan::SourceDigest& s : file.sources)
    then[s.path] = s.sha256;
  std::map<std::string, std::string> now = source_digests(session);
  std::vector<std::string> changes;
  for (const auto& [path, sha256] : then) {
    auto it = now.find(path);
    if (it == now.end()) {
      changes.push_back(
          fmt::format("`{}` is no longer part of the module", source::display_path(path)));
    } else if (it->second != sha256) {
      changes.push_back(fmt::format("`{}` was edited", source::display_path(path)));
    }
  }
  for (const auto& [path, sha256] : now) {
    if (then.count(path) == 0) {
      changes.push_back(fmt::format("`{}` was added", source::display_path(path)));
    }
  }
  if (!changes.empty()) {
    auto& d = stale(
        fmt::format("the module's sources changed since this plan was made: {}", changes.front()));
    for (size_t i = 1; i < changes.size(); ++i)
      d.with_note(changes[i]);
    return false;
  }
  // An empty state gets a fresh lineage each time it is read: adopt the plan's, so that the first
  // save records the lineage the plan was made for.
  if (nothing_stored) state.lineage = file.lineage;
  return true;
}

}  // namespace kc::cli
