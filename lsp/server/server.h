// Server: the language server's protocol logic. It takes one JSON-RPC message at a time and
// returns the messages to send (responses and notifications) in order; it owns no thread and no
// stream, so tests drive it directly and `run_server` (below) puts it on stdin/stdout.
#pragma once

#include <chrono>
#include <istream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "lsp/server/analysis.h"
#include "lsp/server/documents.h"
#include "lsp/server/navigation.h"
#include "lsp/server/overlay_file_system.h"
#include "lsp/server/positions.h"
#include "lsp/server/stale_analysis.h"
#include "providers/sdk/schema.h"

namespace kc::lsp {

using Json = nlohmann::json;

struct ServerOptions {
  std::vector<std::string> stdlib_dirs;  // searched for `std/...` imports and lint data tables
  std::string version;                   // reported in serverInfo
  // How long diagnostics wait after a change for the next one (typing). Zero: they are published
  // within the handling of the message that changed the module (the synchronous mode of tests).
  std::chrono::milliseconds debounce{0};
};

// JSON-RPC and LSP error codes the server sends.
enum ErrorCode : int {
  kParseError = -32700,
  kInvalidRequest = -32600,
  kMethodNotFound = -32601,
  kInvalidParams = -32602,
  kServerNotInitialized = -32002,
  kRequestFailed = -32803,
  kRequestCancelled = -32800,
  kContentModified = -32801,
};

class Server {
 public:
  Server(ServerOptions options, const sdk::SchemaSource& schemas);

  using Clock = std::chrono::steady_clock;

  // Handles one message body. Every request gets exactly one response; malformed input gets an
  // error response, never an exception.
  std::vector<Json> handle(std::string_view body);
  // The same for a message already parsed.
  std::vector<Json> handle_message(const Json& message);

  // With a debounce: when the earliest waiting diagnostics are due, and the publications of those
  // due by `now`.
  std::optional<Clock::time_point> next_due() const;
  std::vector<Json> publish_due(Clock::time_point now);

  bool exit_requested() const { return exit_requested_; }
  // 0 when `shutdown` came before `exit`, 1 otherwise (LSP 3.17, "exit").
  int exit_code() const { return shutdown_ ? 0 : 1; }

 private:
  void dispatch(const Json& message, std::vector<Json>& out);
  Json initialize(const Json& params);
  void did_open(const Json& params, std::vector<Json>& out);
  void did_change(const Json& params, std::vector<Json>& out);
  void did_close(const Json& params, std::vector<Json>& out);
  Json formatting(const Json& params);
  Json range_formatting(const Json& params);
  Json hover(const Json& params);
  Json definition(const Json& params);
  Json document_symbols(const Json& params);
  Json find_references(const Json& params);
  Json folding(const Json& params);
  Json signature(const Json& params);
  std::optional<SignatureInfo> signature_while_typing(const Json& params);
  Json inlay_hints(const Json& params);
  Json semantic_tokens_full(const Json& params);
  Json completion(const Json& params);
  Json code_lenses(const Json& params);
  Json workspace_symbols(const Json& params);
  Json code_actions(const Json& params);
  Json prepare_rename(const Json& params);
  Json rename(const Json& params);
  // A document of the module holding `path` changed: drops its analysis and those of the modules
  // that import it, and publishes their new diagnostics now (no debounce, or `now`) or once the
  // debounce has passed.
  void module_changed(const std::string& path, std::vector<Json>& out, bool now = false);
  // Compiles the module in `module_dir` and publishes diagnostics for its open documents (none
  // open: nothing to do).
  void publish_module_diagnostics(const std::string& module_dir, std::vector<Json>& out);
  // The analysis of the module holding `path`, compiled now unless one is cached from the last
  // change to that module's documents.
  const Analysis& analysis_for(const std::string& path);
  const Analysis& analysis_of_module(const std::string& module_dir);
  // Where params.textDocument and params.position point: the analysis of the document's module,
  // the file in it and the byte offset. While the module does not check (syntax errors): the
  // module's last analysis that checked, with `stale` carrying its offsets to the current text
  // (stale_analysis.h); nullopt when there is none or the position lies in text edited since.
  struct Cursor {
    const Analysis& analysis;
    FileRef file;
    uint32_t offset = 0;
    std::shared_ptr<StaleAnalysis> stale;  // null when `analysis` is of the current text
  };
  std::optional<Cursor> cursor(const Json& params);
  // The checked analyses of the workspace's other modules (under the workspace folders, and of
  // the open documents) besides `current`, for references and rename across modules.
  // The module's last analysis that checked (the current one when it checks); null when none did.
  const Analysis* last_checked_analysis(const std::string& module_dir);
  // `broken`, when given, receives the directories of those that do not check (syntax errors).
  std::vector<const Analysis*> other_modules(const Analysis& current,
                                             std::vector<std::string>* broken = nullptr);
  // Whether a file of the module in `module_dir`, as the editor has it, holds `name` as a word.
  bool module_mentions(const std::string& module_dir, std::string_view name) const;
  // A module directory as messages show it: relative to the first workspace folder below it.
  std::string shown_dir(const std::string& module_dir) const;

  ServerOptions options_;
  const sdk::SchemaSource& schemas_;
  DocumentStore documents_;
  OverlayFileSystem fs_{documents_};
  // By module directory: the analysis of the current text (dropped when a document of the module
  // changes), and the last one that checked (what completion reads while the text does not).
  std::map<std::string, std::shared_ptr<const Analysis>> analyses_;
  std::map<std::string, std::shared_ptr<const Analysis>> last_checked_;
  // Every file parsed for an analysis, reused while its text is the same (parse_cache.h).
  driver::ParseCache parse_cache_;
  // Per module directory, its last check: an edit re-checks only the modules it can change.
  driver::CheckCache check_cache_;
  // The lint data tables, parsed again only when their files change.
  lint::DataTableCache data_tables_;
  // Modules whose diagnostics wait for the debounce: directory -> when due.
  std::map<std::string, Clock::time_point> pending_;
  std::vector<std::string> roots_;  // workspace folders from `initialize` (absolute paths)
  PositionEncoding encoding_ = PositionEncoding::Utf16;
  bool snippet_support_ = false;  // completionItem.snippetSupport from `initialize`
  bool initialized_ = false;
  bool shutdown_ = false;
  bool exit_requested_ = false;
};

// The wire form of a message: compact JSON, invalid UTF-8 replaced by U+FFFD.
std::string serialize(const Json& message);

// Reads framed messages from `in` and writes the server's answers to `out` until `exit` or the end
// of the input. Returns the process exit code.
// Synchronous: one message at a time, in order, on this thread. Otherwise a reader thread queues
// messages while this thread works through them: a request the client cancelled
// (`$/cancelRequest`) before its turn gets RequestCancelled, one about a document with a newer
// edit already queued gets ContentModified, and debounced diagnostics go out when due and nothing
// is waiting.
int run_server(Server& server, std::istream& in, std::ostream& out, bool synchronous);

}  // namespace kc::lsp
