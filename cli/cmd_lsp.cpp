// `kc lsp`: the language server on standard input and output (lsp/server, docs/editors.md).
#include <iostream>

#include "cli/commands.h"
#include "cli/session.h"
#include "lsp/server/server.h"
#include "providers/registry/builtin_providers.h"

namespace kc::cli {

void add_lsp_command(CLI::App& app, int& exit_code) {
  CLI::App* command =
      app.add_subcommand("lsp", "Run the language server on standard input and output");
  // Editors pass --stdio by convention (vscode-languageclient's TransportKind.stdio); it is the
  // only transport, so the flag changes nothing.
  static bool stdio = true;
  command->add_flag("--stdio", stdio,
                    "Talk over standard input and output (the default and only way)");
  static bool synchronous = false;
  command->add_flag("--sync", synchronous,
                    "Handle one message at a time and publish diagnostics at once, without "
                    "debouncing or cancellation (deterministic output, for tests)");
  command->callback([&exit_code] {
    std::ios::sync_with_stdio(false);
    providers::BuiltinProviders providers;
    lsp::ServerOptions options;
    options.stdlib_dirs = stdlib_dirs();
    options.version = KC_VERSION;
    // Diagnostics wait this long after a keystroke for the next one.
    if (!synchronous) options.debounce = std::chrono::milliseconds(150);
    lsp::Server server(std::move(options), providers);
    exit_code = lsp::run_server(server, std::cin, std::cout, synchronous);
  });
}

}  // namespace kc::cli
