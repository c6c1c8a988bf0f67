// Starts `kc lsp` for .kcl files and stops it with the editor. Everything the editor shows beyond
// highlighting (diagnostics, completion, hover, navigation, rename, formatting, lenses) comes from
// the server; this file only connects the two.
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const command = vscode.workspace.getConfiguration('kc').get<string>('path', 'kc');
  const serverOptions: ServerOptions = {
    command,
    args: ['lsp'],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'kcl' }],
    synchronize: {
      // Files of a module that are not open still count: tell the server when they change.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.kcl'),
    },
  };
  client = new LanguageClient('kc', 'KCL (kc)', serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => client?.stop() });
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
