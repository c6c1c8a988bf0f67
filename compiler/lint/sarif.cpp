// The SARIF renderer. Fingerprints hash the rule, the file, the text of the finding's line and the
// message (not the line number), then number repeats, so a finding keeps its identity when lines
// above it are added or removed.
#include "compiler/lint/sarif.h"

#include <fmt/format.h>

#include <cctype>
#include <map>

#include "compiler/lint/rule.h"

namespace kc::lint {

namespace {

using Json = nlohmann::ordered_json;

std::string_view level_of(diag::Severity severity) {
  switch (severity) {
    case diag::Severity::Error:
      return "error";
    case diag::Severity::Warning:
      return "warning";
    case diag::Severity::Info:
      return "note";
  }
  return "warning";
}

uint64_t fnv1a(std::string_view text, uint64_t hash = 0xcbf29ce484222325ULL) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

bool placed(const source::Span& span, const source::SourceManager& sources) {
  return span.valid() && span.file < sources.size();
}

Json region(const source::Span& span, const source::SourceManager& sources) {
  const source::SourceFile& file = sources.file(span.file);
  source::LineCol begin = file.line_col(span.begin);
  source::LineCol end = file.line_col(span.end);
  Json out = Json::object();
  out["startLine"] = begin.line;
  out["startColumn"] = begin.column;
  out["endLine"] = end.line;
  // An empty span still marks one column.
  out["endColumn"] =
      (end.line == begin.line && end.column <= begin.column) ? begin.column + 1 : end.column;
  return out;
}

Json artifact(const source::Span& span, const source::SourceManager& sources) {
  const std::string& path = sources.file(span.file).path();
  Json out = Json::object();
  out["uri"] = path_uri(path);
  if (path.empty() || path[0] != '/') out["uriBaseId"] = "%SRCROOT%";
  return out;
}

Json physical(const source::Span& span, const source::SourceManager& sources) {
  Json out = Json::object();
  out["artifactLocation"] = artifact(span, sources);
  out["region"] = region(span, sources);
  return out;
}

Json text_message(std::string text) {
  Json out = Json::object();
  out["text"] = std::move(text);
  return out;
}

class Writer {
 public:
  Writer(const source::SourceManager& sources, const SarifOptions& options)
      : sources_(sources), options_(options) {}

  Json run(const diag::Diagnostics& diagnostics) {
    Json results = Json::array();
    Json notifications = Json::array();
    for (const diag::Diagnostic& d : diagnostics.all()) {
      if (!placed(d.span, sources_)) {
        Json note = Json::object();
        note["level"] = level_of(d.severity);
        note["message"] = text_message(fmt::format("{}: {}", d.code_string(), d.message));
        notifications.push_back(std::move(note));
        continue;
      }
      results.push_back(result(d));
    }
    Json driver = Json::object();
    driver["name"] = "kc";
    driver["semanticVersion"] = options_.tool_version;
    driver["informationUri"] = options_.help_uri_base + "lint/README.md";
    driver["rules"] = rules_;
    Json tool = Json::object();
    tool["driver"] = std::move(driver);
    Json invocation = Json::object();
    invocation["executionSuccessful"] = true;
    if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;
    Json run = Json::object();
    run["tool"] = std::move(tool);
    run["invocations"] = Json::array({std::move(invocation)});
    run["columnKind"] = "unicodeCodePoints";
    run["results"] = std::move(results);
    return run;
  }

 private:
  // The descriptor of a result's rule, added on first use: the log describes the rules it reports.
  size_t add_rule(const std::string& id, const RuleInfo* info, const diag::Diagnostic* compile) {
    if (auto it = index_.find(id); it != index_.end()) return it->second;
    Json rule = Json::object();
    rule["id"] = id;
    Json configuration = Json::object();
    if (info != nullptr) {
      std::string uri = fmt::format("{}lint/{}.md", options_.help_uri_base, info->name);
      rule["shortDescription"] = text_message(std::string(info->summary));
      rule["fullDescription"] = text_message(std::string(info->help));
      Json help = Json::object();
      help["text"] = fmt::format("{}\n\n{}\n\nSee {}", info->summary, info->help, uri);
      help["markdown"] =
          fmt::format("**{}**\n\n{}\n\n[Documentation]({})", info->summary, info->help, uri);
      rule["help"] = std::move(help);
      rule["helpUri"] = uri;
      configuration["level"] = level_of(info->severity);
      rule["defaultConfiguration"] = std::move(configuration);
      Json properties = Json::object();
      properties["tags"] = Json::array({"kc", "lint", std::string(info->family)});
      rule["properties"] = std::move(properties);
    } else {
      std::string title(diag::code_title(compile->code));
      std::string anchor = id;
      for (char& c : anchor)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string uri = fmt::format("{}diagnostics.md#{}", options_.help_uri_base, anchor);
      rule["shortDescription"] = text_message(title);
      Json help = Json::object();
      help["text"] = fmt::format("{}: {}. See {}", id, title, uri);
      rule["help"] = std::move(help);
      rule["helpUri"] = uri;
      configuration["level"] = "error";
      rule["defaultConfiguration"] = std::move(configuration);
      Json properties = Json::object();
      properties["tags"] = Json::array({"kc", "compile"});
      rule["properties"] = std::move(properties);
    }
    rules_.push_back(std::move(rule));
    index_[id] = rules_.size() - 1;
    return rules_.size() - 1;
  }

  Json result(const diag::Diagnostic& d) {
    std::string id = d.code_string();
    size_t rule_index = add_rule(id, d.rule.empty() ? nullptr : find_info(d.rule), &d);
    Json out = Json::object();
    out["ruleId"] = id;
    out["ruleIndex"] = rule_index;
    out["level"] = level_of(d.severity);
    std::string message = d.message;
    if (!d.label.empty()) message += fmt::format(" ({})", d.label);
    out["message"] = text_message(std::move(message));
    Json location = Json::object();
    location["physicalLocation"] = physical(d.span, sources_);
    out["locations"] = Json::array({std::move(location)});
    Json related = Json::array();
    for (size_t i = 0; i < d.secondary.size(); ++i) {
      if (!placed(d.secondary[i].span, sources_)) continue;
      Json item = Json::object();
      item["id"] = i + 1;
      item["physicalLocation"] = physical(d.secondary[i].span, sources_);
      item["message"] = text_message(d.secondary[i].message);
      related.push_back(std::move(item));
    }
    if (!related.empty()) out["relatedLocations"] = std::move(related);
    Json fingerprints = Json::object();
    fingerprints["kcFindingHash/v1"] = fingerprint(d, id);
    out["partialFingerprints"] = std::move(fingerprints);
    Json fixes = Json::array();
    for (const diag::Fix& fix : d.fixes) {
      if (!placed(fix.span, sources_)) continue;
      Json replacement = Json::object();
      replacement["deletedRegion"] = region(fix.span, sources_);
      if (fix.span.size() == 0) {
        // An insertion: an empty region at the point.
        replacement["deletedRegion"]["endColumn"] = replacement["deletedRegion"]["startColumn"];
      }
      replacement["insertedContent"] = text_message(fix.replacement);
      Json change = Json::object();
      change["artifactLocation"] = artifact(fix.span, sources_);
      change["replacements"] = Json::array({std::move(replacement)});
      Json item = Json::object();
      item["description"] = text_message(fix.message);
      item["artifactChanges"] = Json::array({std::move(change)});
      fixes.push_back(std::move(item));
    }
    if (!fixes.empty()) out["fixes"] = std::move(fixes);
    if (!d.notes.empty()) {
      Json properties = Json::object();
      properties["notes"] = d.notes;
      out["properties"] = std::move(properties);
    }
    return out;
  }

  static const RuleInfo* find_info(std::string_view name) {
    std::optional<Rule> rule = find_rule(name);
    return rule ? &rule_info(*rule) : nullptr;
  }

  std::string fingerprint(const diag::Diagnostic& d, const std::string& id) {
    const source::SourceFile& file = sources_.file(d.span.file);
    std::string_view line = file.line_text(file.line_col(d.span.begin).line);
    uint64_t hash = fnv1a(id);
    hash = fnv1a("\n", hash);
    hash = fnv1a(file.path(), hash);
    hash = fnv1a("\n", hash);
    hash = fnv1a(trimmed(line), hash);
    hash = fnv1a("\n", hash);
    hash = fnv1a(d.message, hash);
    std::string key = fmt::format("{:016x}", hash);
    return fmt::format("{}:{}", key, ++seen_[key]);
  }

  const source::SourceManager& sources_;
  const SarifOptions& options_;
  Json rules_ = Json::array();
  std::map<std::string, size_t> index_;
  std::map<std::string, int> seen_;
};

}  // namespace

std::string path_uri(std::string_view path) {
  std::string out = path.empty() || path[0] != '/' ? "" : "file://";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

nlohmann::ordered_json sarif_log(const diag::Diagnostics& diagnostics,
                                 const source::SourceManager& sources,
                                 const SarifOptions& options) {
  Json log = Json::object();
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = Json::array({Writer(sources, options).run(diagnostics)});
  return log;
}

}  // namespace kc::lint
