-- Drives `kc lsp` from Neovim's own LSP client (headless), feature by feature, the way an editor
-- uses it: Neovim frames the messages, sends incremental changes as the buffer is edited, converts
-- positions, and applies the edits the server returns. Run by tests/lsp/nvim/run.sh, which sets
-- KC (the binary) and WORKSPACE (a copy of workspace/). Prints PASS/FAIL lines and a summary; exits
-- with 1 when anything failed.
local kc = os.getenv('KC')
local root = os.getenv('WORKSPACE')
local passed, failed = 0, 0

local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    print('PASS ' .. name)
  else
    failed = failed + 1
    print('FAIL ' .. name .. (detail and (': ' .. detail) or ''))
  end
end

local function finish()
  print(string.format('%d passed, %d failed', passed, failed))
  io.stdout:flush()
  vim.cmd(failed == 0 and 'qall!' or 'cquit 1')
end

-- Sets the cursor on the first occurrence of `needle` in the buffer, `offset` bytes into it.
local function cursor_at(needle, offset)
  for row, line in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col then
      vim.api.nvim_win_set_cursor(0, { row, col - 1 + (offset or 0) })
      return true
    end
  end
  error('not in the buffer: ' .. needle)
end

-- Any Lua error (a server that died, an unexpected answer) fails the run instead of hanging it.
local function main()
  local client_id = vim.lsp.start_client({
    name = 'kc',
    cmd = { kc, 'lsp' },
    root_dir = root,
    -- Send each change at once, so a request right after an edit sees it.
    flags = { debounce_text_changes = 0 },
    on_exit = function(code) print('kc lsp exited with ' .. code) end,
  })
  if not client_id then error('the client did not start') end

  vim.cmd('edit ' .. root .. '/main.kcl')
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  if not client or not vim.wait(30000, function() return client.initialized end, 20) then
    error('initialize did not complete')
  end

  local function request(method, params)
    local response = client.request_sync(method, params, 30000, buf)
    if not response then return nil, 'no response (timeout)' end
    if response.err then return nil, vim.inspect(response.err) end
    return response.result
  end

  local function position_params(needle, offset)
    cursor_at(needle, offset)
    return vim.lsp.util.make_position_params()
  end

  -- Diagnostics arrive after didOpen.
  local function diagnostics() return vim.diagnostic.get(buf) end
  vim.wait(30000, function() return #diagnostics() > 0 end, 20)
  local found = diagnostics()
  check('diagnostics after opening', #found == 1 and found[1].code == 'E0301',
        vim.inspect(found))

  -- An edit through the buffer: Neovim sends it as an incremental change. `len(5)` becomes
  -- `len(pools)`, which clears the error.
  cursor_at('len(5)')
  local row = vim.api.nvim_win_get_cursor(0)[1]
  local line = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]
  vim.api.nvim_buf_set_lines(buf, row - 1, row, false, { (line:gsub('len%(5%)', 'len(pools)')) })
  check('diagnostics cleared after an incremental edit',
        vim.wait(30000, function() return #diagnostics() == 0 end, 20), vim.inspect(diagnostics()))

  local hover = request('textDocument/hover', position_params('pools[', 1))
  check('hover shows the let, its type and doc',
        hover and hover.contents.value:find('let pools', 1, true) and
          hover.contents.value:find('Pools by name.', 1, true), vim.inspect(hover))

  local field = request('textDocument/hover', position_params('.size', 2))
  check('hover on a field through member access',
        field and field.contents.value:find('(field) size: int', 1, true), vim.inspect(field))

  local definition = request('textDocument/definition', position_params('default_zone', 2))
  check('definition jumps into the imported module',
        definition and definition.uri and definition.uri:find('lib/net.kcl', 1, true) and
          definition.range.start.line == 1, vim.inspect(definition))

  local params = position_params('pools[', 1)
  params.context = { includeDeclaration = true }
  local references = request('textDocument/references', params)
  check('references of a let (declaration and two uses)', references and #references == 3,
        vim.inspect(references))

  local prepared = request('textDocument/prepareRename', position_params('pools[', 1))
  check('prepareRename names the symbol', prepared and prepared.placeholder == 'pools',
        vim.inspect(prepared))

  params = position_params('pools[', 1)
  params.newName = 'machine_pools'
  local edit = request('textDocument/rename', params)
  if edit then vim.lsp.util.apply_workspace_edit(edit, 'utf-16') end
  local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
  local _, uses = text:gsub('machine_pools', '')
  check('rename applied by the client renames every use', uses == 3, text)

  local refused = client.request_sync('textDocument/rename',
    vim.tbl_extend('force', position_params('host', 1), { newName = 'schema' }), 30000, buf)
  check('rename to a keyword is refused', refused and refused.err ~= nil, vim.inspect(refused))

  local signature = request('textDocument/signatureHelp', position_params('0/24, 1)', 6))
  check('signature help inside a call', signature and signature.activeParameter == 1 and
          signature.signatures[1].label == 'fn host(network: cidr, n: int) -> ip',
        vim.inspect(signature))

  -- Completion on an unfinished line: append `x = net.` and ask after the dot.
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, { 'x = net.' })
  local last = vim.api.nvim_buf_line_count(buf)
  -- (The position is written out: a normal-mode cursor cannot stand after the last character.)
  local completion = request('textDocument/completion', {
    textDocument = vim.lsp.util.make_text_document_params(),
    position = { line = last - 1, character = 8 },
  })
  local labels = {}
  for _, item in ipairs(completion and completion.items or {}) do labels[#labels + 1] = item.label end
  check('completion after `net.` while the line is unfinished',
        vim.tbl_contains(labels, 'default_zone'), vim.inspect(labels))
  vim.api.nvim_buf_set_lines(buf, last - 1, last, false, {})

  local symbols = request('textDocument/documentSymbol',
                          { textDocument = vim.lsp.util.make_text_document_params() })
  local names = {}
  for _, s in ipairs(symbols or {}) do names[#names + 1] = s.name end
  check('document symbols', vim.tbl_contains(names, 'Pool') and vim.tbl_contains(names, 'total'),
        vim.inspect(names))

  local workspace = request('workspace/symbol', { query = 'zone' })
  check('workspace symbols find the imported module\'s export',
        workspace and #workspace >= 1 and workspace[1].name == 'default_zone', vim.inspect(workspace))

  local tokens = request('textDocument/semanticTokens/full',
                         { textDocument = vim.lsp.util.make_text_document_params() })
  check('semantic tokens', tokens and #tokens.data > 0 and #tokens.data % 5 == 0)

  local hints = request('textDocument/inlayHint', {
    textDocument = vim.lsp.util.make_text_document_params(),
    range = { start = { line = 0, character = 0 }, ['end'] = { line = 99, character = 0 } },
  })
  check('inlay hints', hints and #hints >= 1 and hints[1].label:find('Pool', 1, true),
        vim.inspect(hints))

  local folds = request('textDocument/foldingRange',
                        { textDocument = vim.lsp.util.make_text_document_params() })
  check('folding ranges', folds and #folds >= 1, vim.inspect(folds))

  local lenses = request('textDocument/codeLens',
                         { textDocument = vim.lsp.util.make_text_document_params() })
  check('code lenses answer', lenses ~= nil, vim.inspect(lenses))

  -- A quick fix: an unused import offers its removal.
  vim.api.nvim_buf_set_lines(buf, 0, 0, false, { 'import "std/semver" as semver' })
  vim.wait(30000, function()
    for _, d in ipairs(diagnostics()) do if d.code == 'unused-import' then return true end end
    return false
  end, 20)
  local actions = request('textDocument/codeAction', {
    textDocument = vim.lsp.util.make_text_document_params(),
    range = { start = { line = 0, character = 25 }, ['end'] = { line = 0, character = 25 } },
    context = { diagnostics = {} },
  })
  check('a quick fix for the unused import',
        actions and #actions == 1 and actions[1].title == 'remove the import', vim.inspect(actions))
  if actions and actions[1] then vim.lsp.util.apply_workspace_edit(actions[1].edit, 'utf-16') end
  check('the fix removed the line',
        vim.api.nvim_buf_get_lines(buf, 0, 1, false)[1] == 'import "./lib" as net')

  -- Formatting: misalign a line, let the server format the whole buffer.
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, { 'spaced   =    1' })
  vim.lsp.buf.formatting_sync(nil, 30000)
  local tail = vim.api.nvim_buf_get_lines(buf, -2, -1, false)[1]
  check('formatting through the client', tail == 'spaced = 1', tail)

  -- Shutdown and exit.
  client.stop()
  check('the server exits after shutdown', vim.wait(30000, function() return client.is_stopped() end, 20))
end

local ok, err = pcall(main)
if not ok then check('the run', false, tostring(err)) end
finish()
