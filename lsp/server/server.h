// Server: the language server's protocol logic. It takes one JSON-RPC message at a time and
// returns the messages to send (responses and notifications) in order; it owns no thread and no
// stream, so tests drive it directly and `run_server` (below) puts it on stdin/stdout.
#pragma once

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
#include "providers/sdk/schema.h"

namespace kc::lsp {

using Json = nlohmann::json;

struct ServerOptions {
  std::vector<std::string> stdlib_dirs;  // searched for `std/...` imports and lint data tables
  std::string version;                   // reported in serverInfo
};

// JSON-RPC and LSP error codes the server sends.
enum ErrorCode : int {
  kParseError = -32700,
  kInvalidRequest = -32600,
  kMethodNotFound = -32601,
  kInvalidParams = -32602,
  kServerNotInitialized = -32002,
  kRequestFailed = -32803,
};

class Server {
 public:
  Server(ServerOptions options, const sdk::SchemaSource& schemas);

  // Handles one message body. Every request gets exactly one response; malformed input gets an
  // error response, never an exception.
  std::vector<Json> handle(std::string_view body);

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
  Json hover(const Json& params);
  Json definition(const Json& params);
  Json document_symbols(const Json& params);
  Json find_references(const Json& params);
  Json folding(const Json& params);
  Json signature(const Json& params);
  Json inlay_hints(const Json& params);
  Json semantic_tokens_full(const Json& params);
  Json completion(const Json& params);
  Json code_lenses(const Json& params);
  Json workspace_symbols(const Json& params);
  Json code_actions(const Json& params);
  Json prepare_rename(const Json& params);
  Json rename(const Json& params);
  // Compiles the module holding `path` and publishes diagnostics for its open documents.
  void publish_module_diagnostics(const std::string& path, std::vector<Json>& out);
  // The analysis of the module holding `path`, compiled now unless one is cached from the last
  // change to that module's documents.
  const Analysis& analysis_for(const std::string& path);
  // Where params.textDocument and params.position point: the analysis of the document's module,
  // the file in it and the byte offset. nullopt when the file was not checked (syntax errors).
  struct Cursor {
    const Analysis& analysis;
    FileRef file;
    uint32_t offset = 0;
  };
  std::optional<Cursor> cursor(const Json& params);

  ServerOptions options_;
  const sdk::SchemaSource& schemas_;
  DocumentStore documents_;
  OverlayFileSystem fs_{documents_};
  // By module directory: the analysis of the current text (dropped when a document of the module
  // changes), and the last one that checked (what completion reads while the text does not).
  std::map<std::string, std::shared_ptr<const Analysis>> analyses_;
  std::map<std::string, std::shared_ptr<const Analysis>> last_checked_;
  PositionEncoding encoding_ = PositionEncoding::Utf16;
  bool initialized_ = false;
  bool shutdown_ = false;
  bool exit_requested_ = false;
};

// The wire form of a message: compact JSON, invalid UTF-8 replaced by U+FFFD.
std::string serialize(const Json& message);

// Reads framed messages from `in` and writes the server's answers to `out` until `exit` or the end
// of the input. Returns the process exit code.
int run_server(Server& server, std::istream& in, std::ostream& out);

}  // namespace kc::lsp
