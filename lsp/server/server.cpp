// Message dispatch, document sync, diagnostics and formatting.
#include "lsp/server/server.h"

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "compiler/format/format.h"
#include "compiler/format/range.h"
#include "lsp/server/analysis.h"
#include "lsp/server/code_actions.h"
#include "lsp/server/completion.h"
#include "lsp/server/diagnostics_json.h"
#include "lsp/server/folding.h"
#include "lsp/server/navigation.h"
#include "lsp/server/references.h"
#include "lsp/server/semantic_tokens.h"
#include "lsp/server/text_names.h"
#include "lsp/server/transport.h"
#include "lsp/server/uri.h"
#include "lsp/server/workspace_modules.h"

namespace kc::lsp {
namespace {

// A malformed params object: reported to the client as InvalidParams (or `code`).
struct BadParams {
  std::string message;
  int code = kInvalidParams;
};

const Json& member(const Json& object, const char* key) {
  if (!object.is_object() || !object.contains(key)) {
    throw BadParams{std::string("missing `") + key + "`"};
  }
  return object.at(key);
}

std::string string_member(const Json& object, const char* key) {
  const Json& value = member(object, key);
  if (!value.is_string()) throw BadParams{std::string("`") + key + "` must be a string"};
  return value.get<std::string>();
}

int64_t int_member(const Json& object, const char* key) {
  const Json& value = member(object, key);
  if (!value.is_number_integer()) throw BadParams{std::string("`") + key + "` must be an integer"};
  return value.get<int64_t>();
}

Position position_of(const Json& json) {
  return Position{static_cast<uint32_t>(int_member(json, "line")),
                  static_cast<uint32_t>(int_member(json, "character"))};
}

// The absolute path of params.textDocument.uri.
std::string document_path(const Json& params) {
  std::string uri = string_member(member(params, "textDocument"), "uri");
  std::optional<std::string> path = uri_to_path(uri);
  if (!path) throw BadParams{"only file:// URIs are supported, not `" + uri + "`"};
  return std::filesystem::path(*path).lexically_normal().string();
}

Json response(const Json& id, Json result) {
  return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

Json error_response(const Json& id, int code, const std::string& message) {
  return Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

Json notification(const std::string& method, Json params) {
  return Json{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

}  // namespace

std::string serialize(const Json& message) {
  // Documents may hold invalid UTF-8, and messages quote them: replace, never throw.
  return message.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Server::Server(ServerOptions options, const sdk::SchemaSource& schemas)
    : options_(std::move(options)), schemas_(schemas) {}

std::vector<Json> Server::handle(std::string_view body) {
  Json message = Json::parse(body, nullptr, false);
  if (message.is_discarded()) {
    return {error_response(nullptr, kParseError, "the message is not valid JSON")};
  }
  return handle_message(message);
}

std::vector<Json> Server::handle_message(const Json& message) {
  std::vector<Json> out;
  if (!message.is_object() || !message.contains("method") || !message["method"].is_string()) {
    bool response = message.is_object() && message.contains("id") && !message.contains("method") &&
                    (message.contains("result") || message.contains("error"));
    if (response) return out;  // to a request of ours; the server sends none yet
    Json id = message.is_object() && message.contains("id") ? message["id"] : Json(nullptr);
    out.push_back(error_response(id, kInvalidRequest, "a message needs a string `method`"));
    return out;
  }
  dispatch(message, out);
  return out;
}

void Server::dispatch(const Json& message, std::vector<Json>& out) {
  const std::string method = message["method"].get<std::string>();
  const bool is_request = message.contains("id");
  const Json id = is_request ? message["id"] : Json(nullptr);
  const Json params = message.contains("params") ? message["params"] : Json::object();

  if (method == "exit") {
    exit_requested_ = true;
    return;
  }
  if (!initialized_ && method != "initialize") {
    if (is_request) {
      out.push_back(error_response(id, kServerNotInitialized, "the server is not initialized"));
    }
    return;
  }
  if (shutdown_ && is_request) {
    out.push_back(error_response(id, kInvalidRequest, "the server is shutting down"));
    return;
  }
  try {
    if (method == "initialize") {
      out.push_back(response(id, initialize(params)));
    } else if (method == "shutdown") {
      shutdown_ = true;
      out.push_back(response(id, nullptr));
    } else if (method == "textDocument/didOpen") {
      did_open(params, out);
    } else if (method == "textDocument/didChange") {
      did_change(params, out);
    } else if (method == "textDocument/didClose") {
      did_close(params, out);
    } else if (method == "textDocument/formatting") {
      out.push_back(response(id, formatting(params)));
    } else if (method == "textDocument/rangeFormatting") {
      out.push_back(response(id, range_formatting(params)));
    } else if (method == "textDocument/hover") {
      out.push_back(response(id, hover(params)));
    } else if (method == "textDocument/definition") {
      out.push_back(response(id, definition(params)));
    } else if (method == "textDocument/documentSymbol") {
      out.push_back(response(id, document_symbols(params)));
    } else if (method == "textDocument/codeLens") {
      out.push_back(response(id, code_lenses(params)));
    } else if (method == "textDocument/completion") {
      out.push_back(response(id, completion(params)));
    } else if (method == "textDocument/semanticTokens/full") {
      out.push_back(response(id, semantic_tokens_full(params)));
    } else if (method == "textDocument/inlayHint") {
      out.push_back(response(id, inlay_hints(params)));
    } else if (method == "workspace/symbol") {
      out.push_back(response(id, workspace_symbols(params)));
    } else if (method == "textDocument/signatureHelp") {
      out.push_back(response(id, signature(params)));
    } else if (method == "textDocument/foldingRange") {
      out.push_back(response(id, folding(params)));
    } else if (method == "textDocument/codeAction") {
      out.push_back(response(id, code_actions(params)));
    } else if (method == "textDocument/references") {
      out.push_back(response(id, find_references(params)));
    } else if (method == "textDocument/prepareRename") {
      out.push_back(response(id, prepare_rename(params)));
    } else if (method == "textDocument/rename") {
      out.push_back(response(id, rename(params)));
    } else if (is_request) {
      out.push_back(error_response(id, kMethodNotFound, "`" + method + "` is not supported"));
    }
    // Other notifications (initialized, didSave, $/cancelRequest, $/setTrace) need no answer.
  } catch (const BadParams& bad) {
    if (is_request) out.push_back(error_response(id, bad.code, bad.message));
  } catch (const Json::exception& e) {
    if (is_request) out.push_back(error_response(id, kInvalidParams, e.what()));
  }
}

Json Server::initialize(const Json& params) {
  initialized_ = true;
  // UTF-8 when the client offers it (no conversion of offsets), else the mandatory UTF-16.
  encoding_ = PositionEncoding::Utf16;
  if (params.contains("capabilities")) {
    const Json& general = params["capabilities"].value("general", Json::object());
    for (const Json& offered : general.value("positionEncodings", Json::array())) {
      if (offered == "utf-8") encoding_ = PositionEncoding::Utf8;
    }
    const Json& text_document = params["capabilities"].value("textDocument", Json::object());
    const Json& completion = text_document.value("completion", Json::object());
    snippet_support_ =
        completion.value("completionItem", Json::object()).value("snippetSupport", false) == true;
  }
  // The workspace folders (or the older rootUri) bound where references and rename look for
  // modules that import the one being edited.
  roots_.clear();
  if (params.contains("workspaceFolders") && params["workspaceFolders"].is_array()) {
    for (const Json& folder : params["workspaceFolders"]) {
      if (!folder.is_object() || !folder.contains("uri") || !folder["uri"].is_string()) continue;
      if (auto path = uri_to_path(folder["uri"].get<std::string>())) roots_.push_back(*path);
    }
  }
  if (roots_.empty() && params.contains("rootUri") && params["rootUri"].is_string()) {
    if (auto path = uri_to_path(params["rootUri"].get<std::string>())) roots_.push_back(*path);
  }
  Json capabilities = {
      {"positionEncoding", encoding_name(encoding_)},
      {"textDocumentSync",
       {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
      {"documentFormattingProvider", true},
      {"documentRangeFormattingProvider", true},
      {"hoverProvider", true},
      {"definitionProvider", true},
      {"documentSymbolProvider", true},
      {"referencesProvider", true},
      {"foldingRangeProvider", true},
      {"inlayHintProvider", true},
      {"codeLensProvider", {{"resolveProvider", false}}},
      {"completionProvider", {{"triggerCharacters", {".", "\"", "/"}}}},
      {"semanticTokensProvider",
       {{"legend",
         {{"tokenTypes", semantic_token_types()}, {"tokenModifiers", semantic_token_modifiers()}}},
        {"full", true}}},
      {"workspaceSymbolProvider", true},
      {"signatureHelpProvider", {{"triggerCharacters", {"(", ","}}}},
      {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}},
      {"renameProvider", {{"prepareProvider", true}}},
  };
  return Json{{"capabilities", capabilities},
              {"serverInfo", {{"name", "kc"}, {"version", options_.version}}}};
}

void Server::did_open(const Json& params, std::vector<Json>& out) {
  const Json& item = member(params, "textDocument");
  Document document;
  document.path = document_path(params);
  document.uri = string_member(item, "uri");
  document.version = int_member(item, "version");
  document.text = string_member(item, "text");
  std::string path = document.path;
  documents_.open(std::move(document));
  module_changed(path, out, true);
}

void Server::did_change(const Json& params, std::vector<Json>& out) {
  std::string path = document_path(params);
  int64_t version = int_member(member(params, "textDocument"), "version");
  std::vector<TextChange> changes;
  for (const Json& entry : member(params, "contentChanges")) {
    TextChange change;
    change.text = string_member(entry, "text");
    if (entry.contains("range")) {
      change.whole = false;
      change.start = position_of(member(entry["range"], "start"));
      change.end = position_of(member(entry["range"], "end"));
    }
    changes.push_back(std::move(change));
  }
  if (documents_.change(path, version, changes, encoding_)) module_changed(path, out);
}

void Server::did_close(const Json& params, std::vector<Json>& out) {
  std::string path = document_path(params);
  const Document* document = documents_.find(path);
  if (document == nullptr) return;
  std::string uri = document->uri;
  documents_.close(path);
  // A closed file's problems are no longer the editor's to show.
  out.push_back(notification("textDocument/publishDiagnostics",
                             {{"uri", uri}, {"diagnostics", Json::array()}}));
  module_changed(path, out);
}

const Analysis& Server::analysis_for(const std::string& path) {
  return analysis_of_module(std::filesystem::path(path).parent_path().string());
}

const Analysis& Server::analysis_of_module(const std::string& module_dir) {
  auto it = analyses_.find(module_dir);
  if (it == analyses_.end()) {
    AnalysisInputs inputs{&fs_, &schemas_, &options_.stdlib_dirs};
    auto analysis = std::make_shared<const Analysis>(
        analyze_module(module_dir, inputs, {&parse_cache_, &check_cache_, &data_tables_}));
    if (analysis->compilation->checked() != nullptr) last_checked_[module_dir] = analysis;
    it = analyses_.emplace(module_dir, std::move(analysis)).first;
  }
  return *it->second;
}

const Analysis* Server::last_checked_analysis(const std::string& module_dir) {
  analysis_of_module(module_dir);  // records the current analysis when it checks
  auto last = last_checked_.find(module_dir);
  return last == last_checked_.end() ? nullptr : last->second.get();
}

namespace {

// Whether the analysis compiled a file of the module in `module_dir` (its own or an import).
bool reads_module(const Analysis& analysis, const std::string& module_dir) {
  for (const std::string& file : analysis.paths) {
    if (std::filesystem::path(file).parent_path().string() == module_dir) return true;
  }
  return false;
}

}  // namespace

void Server::module_changed(const std::string& path, std::vector<Json>& out, bool now) {
  std::string module_dir = std::filesystem::path(path).parent_path().string();
  // The module itself and every analysed module that imports it, directly or not, see the change.
  std::vector<std::string> affected{module_dir};
  for (const auto& [dir, analysis] : analyses_) {
    if (dir != module_dir && reads_module(*analysis, module_dir)) affected.push_back(dir);
  }
  for (const std::string& dir : affected) {
    analyses_.erase(dir);
    if (options_.debounce.count() == 0) {
      publish_module_diagnostics(dir, out);
    } else {
      pending_[dir] = Clock::now() + (now ? Clock::duration{} : options_.debounce);
    }
  }
}

std::optional<Server::Clock::time_point> Server::next_due() const {
  std::optional<Clock::time_point> due;
  for (const auto& [dir, when] : pending_) {
    if (!due || when < *due) due = when;
  }
  return due;
}

std::vector<Json> Server::publish_due(Clock::time_point now) {
  std::vector<Json> out;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second > now) {
      ++it;
      continue;
    }
    std::string module_dir = it->first;
    it = pending_.erase(it);
    publish_module_diagnostics(module_dir, out);
  }
  return out;
}

void Server::publish_module_diagnostics(const std::string& module_dir, std::vector<Json>& out) {
  auto in_module = [&module_dir](const std::string& open_path) {
    return std::filesystem::path(open_path).parent_path().string() == module_dir;
  };
  const auto& open = documents_.all();
  if (std::none_of(open.begin(), open.end(),
                   [&](const auto& entry) { return in_module(entry.first); })) {
    return;  // nothing to show it in
  }
  const Analysis& analysis = analysis_of_module(module_dir);
  std::map<std::string, Json> by_path = diagnostics_by_path(analysis, encoding_);
  for (const auto& [open_path, document] : documents_.all()) {
    if (!in_module(open_path)) continue;
    auto it = by_path.find(open_path);
    Json list = it == by_path.end() ? Json::array() : it->second;
    out.push_back(notification(
        "textDocument/publishDiagnostics",
        {{"uri", document.uri}, {"version", document.version}, {"diagnostics", std::move(list)}}));
  }
}

Json Server::formatting(const Json& params) {
  std::string path = document_path(params);
  const Document* document = documents_.find(path);
  if (document == nullptr) return nullptr;
  source::SourceManager sources;
  source::FileId file = sources.add(path, document->text);
  format::FormatResult result = format::format_file(sources, file);
  if (!result.ok) return nullptr;  // syntax errors: the diagnostics already say where
  if (!result.changed) return Json::array();
  LineIndex index(document->text);
  Position end = index.position(static_cast<uint32_t>(document->text.size()), encoding_);
  Json range = {{"start", {{"line", 0}, {"character", 0}}},
                {"end", {{"line", end.line}, {"character", end.character}}}};
  return Json::array({{{"range", range}, {"newText", result.text}}});
}

// The edits of whole-file formatting within the requested lines, widened to the top-level
// declarations they overlap; a selection ending at the start of a line leaves that line out.
Json Server::range_formatting(const Json& params) {
  std::string path = document_path(params);
  const Document* document = documents_.find(path);
  if (document == nullptr) return nullptr;
  const Json& range = member(params, "range");
  Position start = position_of(member(range, "start"));
  Position end = position_of(member(range, "end"));
  uint32_t last_line = end.character == 0 && end.line > start.line ? end.line - 1 : end.line;
  source::SourceManager sources;
  source::FileId file = sources.add(path, document->text);
  format::RangeFormatResult result = format::format_lines(sources, file, start.line, last_line);
  if (!result.ok) return nullptr;  // syntax errors: the diagnostics already say where
  LineIndex index(document->text);
  Json edits = Json::array();
  for (const format::LineReplacement& edit : result.edits) {
    source::Span replaced{file, index.offset({static_cast<uint32_t>(edit.first), 0}, encoding_),
                          index.offset({static_cast<uint32_t>(edit.end), 0}, encoding_)};
    edits.push_back({{"range", range_json(index, replaced, encoding_)}, {"newText", edit.text}});
  }
  return edits;
}

std::optional<Server::Cursor> Server::cursor(const Json& params) {
  std::string path = document_path(params);
  Position position = position_of(member(params, "position"));
  const Analysis& analysis = analysis_for(path);
  if (analysis.compilation->checked() != nullptr) {
    std::optional<FileRef> file = find_file(analysis, path);
    if (!file) return std::nullopt;
    const source::SourceManager& sources = analysis.compilation->sources();
    uint32_t offset = LineIndex(sources.file(file->ast->file).text()).offset(position, encoding_);
    return Cursor{analysis, *file, offset, nullptr};
  }
  // The current text does not check: answer from the last analysis that did, where the text
  // around the cursor is still the same (stale_analysis.h).
  const Analysis* last = last_checked_analysis(std::filesystem::path(path).parent_path().string());
  if (last == nullptr) return std::nullopt;
  const Analysis& old = *last;
  std::optional<FileRef> file = find_file(old, path);
  if (!file) return std::nullopt;
  auto stale = std::make_shared<StaleAnalysis>(
      old, [this](const std::string& file_path) { return fs_.read(file_path); });
  std::string_view now = stale->current_text(file->ast->file);
  std::optional<uint32_t> offset =
      stale->to_old(file->ast->file, LineIndex(now).offset(position, encoding_));
  if (!offset) return std::nullopt;
  return Cursor{old, *file, *offset, std::move(stale)};
}

Json Server::hover(const Json& params) {
  std::optional<Cursor> at = cursor(params);
  if (!at) return nullptr;
  const Analysis& analysis = at->analysis;
  std::optional<HoverInfo> info = lsp::hover(analysis, at->file, at->offset);
  if (!info) return nullptr;
  Json location = LspConverter(analysis, encoding_, at->stale.get()).location(info->span);
  Json result = {{"contents", {{"kind", "markdown"}, {"value", info->markdown}}}};
  if (!location.is_null()) result["range"] = location["range"];
  return result;
}

Json Server::definition(const Json& params) {
  std::optional<Cursor> at = cursor(params);
  if (!at) return nullptr;
  const Analysis& analysis = at->analysis;
  std::optional<source::Span> target = lsp::definition(analysis, at->file, at->offset);
  return target ? LspConverter(analysis, encoding_, at->stale.get()).location(*target)
                : Json(nullptr);
}

Json Server::document_symbols(const Json& params) {
  std::string path = document_path(params);
  const Analysis& analysis = analysis_for(path);
  std::optional<FileRef> file = find_file(analysis, path);
  if (!file) return Json::array();
  LspConverter convert(analysis, encoding_);
  auto to_json = [&](const OutlineItem& item, auto& self) -> Json {
    Json children = Json::array();
    for (const OutlineItem& child : item.children)
      children.push_back(self(child, self));
    return Json{{"name", item.name},
                {"detail", item.detail},
                {"kind", item.kind},
                {"range", convert.range(item.span)},
                {"selectionRange", convert.range(item.name_span)},
                {"children", std::move(children)}};
  };
  Json symbols = Json::array();
  for (const OutlineItem& item : outline(analysis, *file))
    symbols.push_back(to_json(item, to_json));
  return symbols;
}

std::vector<const Analysis*> Server::other_modules(const Analysis& current,
                                                   std::vector<std::string>* broken) {
  std::set<std::string> dirs;
  for (const std::string& dir : workspace_module_dirs(roots_))
    dirs.insert(dir);
  for (const auto& [path, document] : documents_.all())
    dirs.insert(std::filesystem::path(path).parent_path().string());
  std::vector<const Analysis*> others;
  for (const std::string& dir : dirs) {
    const Analysis& analysis = analysis_of_module(dir);
    if (&analysis == &current) continue;
    if (analysis.compilation->checked() != nullptr) {
      others.push_back(&analysis);
    } else if (broken != nullptr) {
      broken->push_back(dir);
    }
  }
  return others;
}

std::string Server::shown_dir(const std::string& module_dir) const {
  for (const std::string& root : roots_) {
    std::filesystem::path relative = std::filesystem::path(module_dir).lexically_relative(root);
    if (!relative.empty() && *relative.begin() != "..") return relative.string();
  }
  return module_dir;
}

bool Server::module_mentions(const std::string& module_dir, std::string_view name) const {
  for (const std::string& file : fs_.kcl_files(module_dir)) {
    std::optional<std::string> text = fs_.read(file);
    if (text && mentions_identifier(*text, name)) return true;
  }
  return false;
}

Json Server::find_references(const Json& params) {
  std::optional<Cursor> at = cursor(params);
  if (!at) return nullptr;
  const Analysis& analysis = at->analysis;
  std::optional<TargetAt> symbol = target_at(analysis, at->file, at->offset);
  if (!symbol) return nullptr;
  bool declaration = params.value("context", Json::object()).value("includeDeclaration", false);
  Json locations = Json::array();
  std::set<std::string> seen;  // modules share imports: each location once
  auto add = [&](const Analysis& where, const Target& target, StaleAnalysis* stale) {
    LspConverter convert(where, encoding_, stale);
    for (const source::Span& span : references(where, target, declaration)) {
      Json location = convert.location(span);
      if (location.is_null()) continue;  // edited since the analysis
      if (seen.insert(location.dump()).second) locations.push_back(std::move(location));
    }
  };
  add(analysis, symbol->target, at->stale.get());
  // Other modules of the workspace that import the declaring module use it too.
  std::vector<std::string> broken;
  for (const Analysis* other : other_modules(analysis, &broken)) {
    if (auto translated = translate_target(analysis, symbol->target, *other)) {
      add(*other, *translated, nullptr);
    }
  }
  // One with syntax errors: the uses its last analysis that checked knew, where its text is the
  // same now.
  for (const std::string& dir : broken) {
    const Analysis* last = last_checked_analysis(dir);
    if (last == nullptr) continue;
    if (auto translated = translate_target(analysis, symbol->target, *last)) {
      StaleAnalysis stale(*last,
                          [this](const std::string& file_path) { return fs_.read(file_path); });
      add(*last, *translated, &stale);
    }
  }
  return locations;
}

namespace {

// The name at `offset` if the user may rename it (references.h: renamable); otherwise throws
// RequestFailed with the reason. Never from a stale analysis: text typed since the last check may
// name the symbol too, and renaming only the old uses would break the code.
Renamable rename_target(const Analysis& analysis, const FileRef& file, uint32_t offset,
                        bool stale) {
  if (stale) throw BadParams{"the module has syntax errors: fix them to rename", kRequestFailed};
  Renamable found = renamable(analysis, file, offset);
  if (!found.target) throw BadParams{found.refusal, kRequestFailed};
  return found;
}

}  // namespace

Json Server::prepare_rename(const Json& params) {
  std::optional<Cursor> at = cursor(params);
  if (!at) return nullptr;
  const Analysis& analysis = at->analysis;
  Renamable symbol = rename_target(analysis, at->file, at->offset, at->stale != nullptr);
  return Json{{"range", LspConverter(analysis, encoding_).range(symbol.target->name)},
              {"placeholder", symbol.placeholder}};
}

Json Server::rename(const Json& params) {
  std::string new_name = string_member(params, "newName");
  if (!is_identifier(new_name)) {
    throw BadParams{"`" + new_name + "` is not a name (a keyword, or not one identifier)",
                    kRequestFailed};
  }
  std::optional<Cursor> at = cursor(params);
  if (!at) return nullptr;
  const Analysis& analysis = at->analysis;
  Renamable symbol = rename_target(analysis, at->file, at->offset, at->stale != nullptr);
  Json changes = Json::object();
  std::set<std::string> seen;  // modules share imports: each edit once
  auto add = [&](const Analysis& where, const Target& target) {
    RenameEdits renamed = rename_edits(where, target, new_name);
    if (!renamed.refusal.empty()) throw BadParams{renamed.refusal, kRequestFailed};
    LspConverter convert(where, encoding_);
    for (const RenameEdit& edit : renamed.edits) {
      Json location = convert.location(edit.span);
      if (location.is_null() || !seen.insert(location.dump()).second) continue;
      Json& edits = changes[location["uri"].get<std::string>()];
      if (edits.is_null()) edits = Json::array();
      edits.push_back({{"range", location["range"]}, {"newText", edit.text}});
    }
  };
  // A module of the workspace with syntax errors may use the name where no analysis sees it:
  // renaming without it would break it.
  std::vector<std::string> broken;
  std::vector<const Analysis*> others = other_modules(analysis, &broken);
  for (const std::string& dir : broken) {
    if (!module_mentions(dir, symbol.placeholder)) continue;
    throw BadParams{"the module in `" + shown_dir(dir) + "` has syntax errors and may use `" +
                        symbol.placeholder + "`: fix them to rename",
                    kRequestFailed};
  }
  add(analysis, symbol.target->target);
  // Other modules of the workspace that import the declaring module are renamed with it.
  for (const Analysis* other : others) {
    if (auto translated = translate_target(analysis, symbol.target->target, *other)) {
      add(*other, *translated);
    }
  }
  return Json{{"changes", std::move(changes)}};
}

Json Server::code_lenses(const Json& params) {
  std::string path = document_path(params);
  const Analysis& analysis = analysis_for(path);
  std::optional<FileRef> file = find_file(analysis, path);
  Json lenses = Json::array();
  if (!file) return lenses;
  LspConverter convert(analysis, encoding_);
  for (const ResourceLens& lens : resource_lenses(analysis, *file)) {
    std::string title = std::to_string(lens.total) + (lens.total == 1 ? " resource" : " resources");
    std::string parts;
    for (const auto& [type, count] : lens.by_type)
      parts += (parts.empty() ? "" : ", ") + std::to_string(count) + " " + type;
    title += " (" + parts + ")";
    // No command: the lens only informs (editors show a title without one as plain text).
    lenses.push_back(
        {{"range", convert.range(lens.name)}, {"command", {{"title", title}, {"command", ""}}}});
  }
  return lenses;
}

Json Server::completion(const Json& params) {
  std::string path = document_path(params);
  const Document* document = documents_.find(path);
  if (document == nullptr) return Json::array();
  CompletionContext context;
  context.text = document->text;
  context.offset =
      LineIndex(document->text).offset(position_of(member(params, "position")), encoding_);
  context.analysis = last_checked_analysis(std::filesystem::path(path).parent_path().string());
  context.schemas = &schemas_;
  context.path = path;
  context.fs = &fs_;
  context.stdlib_dirs = &options_.stdlib_dirs;
  context.snippets = snippet_support_;
  LineIndex index(document->text);
  Json items = Json::array();
  for (const CompletionItem& item : complete(context)) {
    Json entry = {{"label", item.label}, {"kind", item.kind}};
    if (!item.detail.empty()) entry["detail"] = item.detail;
    if (!item.doc.empty()) entry["documentation"] = {{"kind", "markdown"}, {"value", item.doc}};
    if (!item.filter.empty()) entry["filterText"] = item.filter;
    if (item.replace_begin) {
      source::Span replaced{0, *item.replace_begin, context.offset};
      entry["textEdit"] = {{"range", range_json(index, replaced, encoding_)},
                           {"newText", item.insert.empty() ? item.label : item.insert}};
    } else if (!item.insert.empty()) {
      entry["insertText"] = item.insert;
    }
    if (item.snippet) entry["insertTextFormat"] = 2;
    items.push_back(std::move(entry));
  }
  return Json{{"isIncomplete", false}, {"items", std::move(items)}};
}

Json Server::semantic_tokens_full(const Json& params) {
  std::string path = document_path(params);
  const Document* document = documents_.find(path);
  if (document == nullptr) return nullptr;
  const Analysis& analysis = analysis_for(path);
  std::optional<FileRef> file = find_file(analysis, path);
  return Json{{"data", semantic_tokens(document->text, &analysis, file, encoding_)}};
}

Json Server::inlay_hints(const Json& params) {
  std::string path = document_path(params);
  const Analysis& analysis = analysis_for(path);
  std::optional<FileRef> file = find_file(analysis, path);
  if (!file) return Json::array();
  LineIndex index(analysis.compilation->sources().file(file->ast->file).text());
  const Json& range = member(params, "range");
  uint32_t begin = index.offset(position_of(member(range, "start")), encoding_);
  uint32_t end = index.offset(position_of(member(range, "end")), encoding_);
  Json hints = Json::array();
  for (const TypeHint& hint : type_hints(analysis, *file, begin, end)) {
    Position at = index.position(hint.offset, encoding_);
    hints.push_back({{"position", {{"line", at.line}, {"character", at.character}}},
                     {"label", hint.label},
                     {"kind", 1}});  // InlayHintKind.Type
  }
  for (const DefaultsHint& hint : defaults_hints(analysis, *file, begin, end)) {
    Position at = index.position(hint.offset, encoding_);
    hints.push_back({{"position", {{"line", at.line}, {"character", at.character}}},
                     {"label", hint.label},
                     {"paddingLeft", true},
                     {"tooltip", "defaults that apply"}});
  }
  return hints;
}

// The symbols whose names contain the query, from the modules of the open documents (each module,
// and each declaration reached through several, once).
Json Server::workspace_symbols(const Json& params) {
  std::string query = params.value("query", "");
  std::set<std::string> modules;
  std::vector<std::string> paths;
  for (const auto& [path, document] : documents_.all()) {
    if (modules.insert(std::filesystem::path(path).parent_path().string()).second) {
      paths.push_back(path);
    }
  }
  Json symbols = Json::array();
  std::set<std::pair<std::string, uint32_t>> seen;  // (file path, offset): modules share imports
  for (const std::string& path : paths) {
    const Analysis& analysis = analysis_for(path);
    if (analysis.compilation->checked() == nullptr) continue;
    LspConverter convert(analysis, encoding_);
    for (const NamedSymbol& symbol : find_symbols(analysis, query)) {
      if (!seen.emplace(analysis.paths[symbol.span.file], symbol.span.begin).second) continue;
      symbols.push_back({{"name", symbol.name},
                         {"kind", symbol.kind},
                         {"containerName", symbol.container},
                         {"location", convert.location(symbol.span)}});
    }
  }
  return symbols;
}

Json Server::signature(const Json& params) {
  std::optional<SignatureInfo> info;
  if (std::optional<Cursor> at = cursor(params)) {
    info = signature_help(at->analysis, at->file, at->offset);
  }
  if (!info) info = signature_while_typing(params);
  if (!info) return nullptr;
  // Parameter offsets count UTF-16 units unless UTF-8 was agreed.
  LineIndex label(info->label);
  Json parameters = Json::array();
  for (const auto& [begin, end] : info->parameters) {
    parameters.push_back(
        {{"label",
          {label.position(begin, encoding_).character, label.position(end, encoding_).character}}});
  }
  Json signature = {{"label", info->label}, {"parameters", std::move(parameters)}};
  if (!info->doc.empty()) signature["documentation"] = {{"kind", "markdown"}, {"value", info->doc}};
  return Json{{"signatures", Json::array({signature})},
              {"activeSignature", 0},
              {"activeParameter", info->active}};
}

// A call being typed does not parse (`double(1, `): the open parenthesis and its callee are read
// from the text, the function from the module's last analysis that checked.
std::optional<SignatureInfo> Server::signature_while_typing(const Json& params) {
  std::string path = document_path(params);
  const Document* document = documents_.find(path);
  if (document == nullptr) return std::nullopt;
  const Analysis* last = last_checked_analysis(std::filesystem::path(path).parent_path().string());
  if (last == nullptr) return std::nullopt;
  const Analysis& analysis = *last;
  uint32_t offset =
      LineIndex(document->text).offset(position_of(member(params, "position")), encoding_);
  return signature_in_text(*analysis.compilation->checked(), analysis.compilation->sources(),
                           document->text, offset);
}

Json Server::folding(const Json& params) {
  const Document* document = documents_.find(document_path(params));
  if (document == nullptr) return nullptr;
  Json ranges = Json::array();
  for (const FoldingRange& range : folding_ranges(document->text)) {
    Json entry = {{"startLine", range.start_line}, {"endLine", range.end_line}};
    if (range.comment) entry["kind"] = "comment";
    ranges.push_back(std::move(entry));
  }
  return ranges;
}

Json Server::code_actions(const Json& params) {
  std::string path = document_path(params);
  const Json& range = member(params, "range");
  return code_actions_json(analysis_for(path), path, position_of(member(range, "start")),
                           position_of(member(range, "end")), encoding_);
}

namespace {

// What the reader thread hands the worker.
struct Inbox {
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<std::pair<ReadResult, Json>> messages;  // in arrival order, parsed once
  std::set<std::string> cancelled;                   // ids (as JSON text) the client cancelled
};

std::string document_uri_of(const Json& message) {
  if (!message.is_object() || !message.contains("params")) return {};
  const Json& params = message["params"];
  if (!params.is_object() || !params.contains("textDocument")) return {};
  const Json& document = params["textDocument"];
  return document.is_object() && document.contains("uri") && document["uri"].is_string()
             ? document["uri"].get<std::string>()
             : std::string();
}

// Whether the queue holds a change of `uri` made after the request now taken.
bool edited_later(const Inbox& inbox, const std::string& uri) {
  for (const auto& [read, message] : inbox.messages) {
    if (message.is_object() && message.value("method", "") == "textDocument/didChange" &&
        document_uri_of(message) == uri) {
      return true;
    }
  }
  return false;
}

int run_synchronously(Server& server, std::istream& in, std::ostream& out) {
  while (!server.exit_requested()) {
    ReadResult read = read_message(in);
    if (read.status == ReadStatus::End) break;
    if (read.status == ReadStatus::Malformed) {
      // The framing is lost: nothing after this can be trusted to start a message.
      write_message(out, serialize(error_response(nullptr, kParseError, read.error)));
      return 1;
    }
    for (const Json& message : server.handle(read.body))
      write_message(out, serialize(message));
  }
  return server.exit_code();
}

}  // namespace

int run_server(Server& server, std::istream& in, std::ostream& out, bool synchronous) {
  if (synchronous) return run_synchronously(server, in, out);
  auto inbox = std::make_shared<Inbox>();
  // A tied input stream flushes its output stream before every read (std::cin is tied to
  // std::cout). The reader thread would then flush `out` while the worker writes to it, a data
  // race that garbles or strands responses; only the worker may touch `out`.
  in.tie(nullptr);
  // Detached: after `exit` the process ends while it may still wait for input that never comes.
  std::thread([inbox, &in] {
    while (true) {
      ReadResult read = read_message(in);
      Json message;
      if (read.status == ReadStatus::Message) message = Json::parse(read.body, nullptr, false);
      std::lock_guard lock(inbox->mutex);
      if (message.is_object() && message.value("method", "") == "$/cancelRequest" &&
          message.contains("params") && message["params"].is_object() &&
          message["params"].contains("id")) {
        inbox->cancelled.insert(message["params"]["id"].dump());
        continue;
      }
      bool last = read.status != ReadStatus::Message;
      inbox->messages.emplace_back(std::move(read), std::move(message));
      inbox->ready.notify_one();
      if (last) return;
    }
  }).detach();

  auto send = [&out](const std::vector<Json>& messages) {
    for (const Json& message : messages)
      write_message(out, serialize(message));
  };
  while (!server.exit_requested()) {
    std::unique_lock lock(inbox->mutex);
    std::optional<Server::Clock::time_point> due = server.next_due();
    auto has_message = [&] { return !inbox->messages.empty(); };
    if (due) {
      inbox->ready.wait_until(lock, *due, has_message);
    } else {
      inbox->ready.wait(lock, has_message);
    }
    if (inbox->messages.empty()) {  // only the debounce expired
      lock.unlock();
      send(server.publish_due(Server::Clock::now()));
      continue;
    }
    auto [read, message] = std::move(inbox->messages.front());
    inbox->messages.pop_front();
    bool request = read.status == ReadStatus::Message && message.is_object() &&
                   message.contains("id") && message.contains("method");
    // A cancelled request, or one about a document with a newer edit queued, is answered with an
    // error instead of its result: checked before the work and again after it, since the client
    // may cancel or type while the worker computes.
    auto overtaken = [&]() -> Json {
      if (!request) return nullptr;
      if (inbox->cancelled.erase(message["id"].dump()) > 0) {
        return error_response(message["id"], kRequestCancelled, "cancelled by the client");
      }
      std::string uri = document_uri_of(message);
      if (!uri.empty() && edited_later(*inbox, uri)) {
        return error_response(message["id"], kContentModified,
                              "the document changed before the request was answered");
      }
      return nullptr;
    };
    Json early = overtaken();
    lock.unlock();
    if (read.status == ReadStatus::End) break;
    if (read.status == ReadStatus::Malformed) {
      write_message(out, serialize(error_response(nullptr, kParseError, read.error)));
      return 1;
    }
    if (!early.is_null()) {
      send({early});
      continue;
    }
    std::vector<Json> answers =
        message.is_discarded() ? server.handle(read.body) : server.handle_message(message);
    if (request) {
      std::lock_guard again(inbox->mutex);
      Json late = overtaken();
      if (!late.is_null()) {
        for (Json& answer : answers) {
          if (answer.contains("id") && answer["id"] == message["id"]) answer = late;
        }
      }
    }
    send(answers);
  }
  return server.exit_code();
}

}  // namespace kc::lsp
