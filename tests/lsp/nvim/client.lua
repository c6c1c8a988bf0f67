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

  -- The labels completion offers at a position (0-based line and character).
  local function completion_labels(line, character)
    local completion = request('textDocument/completion', {
      textDocument = vim.lsp.util.make_text_document_params(),
      position = { line = line, character = character },
    })
    local labels = {}
    for _, item in ipairs(completion and completion.items or {}) do labels[#labels + 1] = item.label end
    return labels
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
        field and field.contents.value:find('(field) Pool.size: int = 3', 1, true), vim.inspect(field))

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
  local labels = completion_labels(last - 1, 8)
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
  local defaults_hint = false
  for _, hint in ipairs(hints or {}) do
    if hint.label == 'zone = net.default_zone' then defaults_hint = true end
  end
  check('an inlay hint shows the default that applies', defaults_hint, vim.inspect(hints))

  local folds = request('textDocument/foldingRange',
                        { textDocument = vim.lsp.util.make_text_document_params() })
  check('folding ranges', folds and #folds >= 1, vim.inspect(folds))

  -- A code lens on an instance that owns a resource, with the count by type.
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, {
    'schema Lab {', '  let network = resource sim.network main { cidr = 10.0.0.0/16, region = "eu" }',
    '}', 'lab = Lab {}',
  })
  local lab_line = vim.api.nvim_buf_line_count(buf) - 1
  local lenses = request('textDocument/codeLens',
                         { textDocument = vim.lsp.util.make_text_document_params() })
  check('a code lens counts the resources an instance owns',
        lenses and #lenses == 1 and lenses[1].range.start.line == lab_line and
          lenses[1].command.title == '1 resource (1 sim.network)', vim.inspect(lenses))
  vim.api.nvim_buf_set_lines(buf, lab_line - 3, lab_line + 1, false, {})

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

  -- Import path completion: inside `import "std/` the standard library's modules, each item a
  -- textEdit over the typed path.
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, { 'import "std/' })
  local import_line = vim.api.nvim_buf_line_count(buf) - 1
  local paths = request('textDocument/completion', {
    textDocument = vim.lsp.util.make_text_document_params(),
    position = { line = import_line, character = 12 },
  })
  local net_item
  for _, item in ipairs(paths and paths.items or {}) do
    if item.label == 'std/net' then net_item = item end
  end
  check('import path completion offers std/net',
        net_item and net_item.textEdit and net_item.textEdit.range.start.character == 8 and
          net_item.textEdit.newText == 'std/net', vim.inspect(paths))
  vim.api.nvim_buf_set_lines(buf, import_line, import_line + 1, false, {})

  -- Code action "add missing required fields": applied by the client, the E0303 goes away.
  vim.api.nvim_buf_set_lines(buf, -1, -1, false,
                             { 'schema Host {', '  name: string', '  port: int', '}', 'h = Host {}' })
  local instance_line = vim.api.nvim_buf_line_count(buf) - 1
  local function missing_field_error()
    for _, d in ipairs(diagnostics()) do if d.code == 'E0303' then return true end end
    return false
  end
  vim.wait(30000, missing_field_error, 20)
  local fixes = request('textDocument/codeAction', {
    textDocument = vim.lsp.util.make_text_document_params(),
    range = { start = { line = instance_line, character = 5 }, ['end'] = { line = instance_line, character = 5 } },
    context = { diagnostics = {} },
  })
  local add_fields
  for _, action in ipairs(fixes or {}) do
    if action.title == 'Add missing required fields `name`, `port`' then add_fields = action end
  end
  check('a quick fix adds the missing required fields', add_fields ~= nil, vim.inspect(fixes))
  if add_fields then vim.lsp.util.apply_workspace_edit(add_fields.edit, 'utf-16') end
  local instance = vim.api.nvim_buf_get_lines(buf, instance_line, instance_line + 4, false)
  check('the fix wrote the fields with placeholders',
        vim.deep_equal(instance, { 'h = Host {', '  name = ""', '  port = 0', '}' }),
        vim.inspect(instance))
  check('the missing-field error clears after the fix',
        vim.wait(30000, function() return not missing_field_error() end, 20),
        vim.inspect(diagnostics()))

  -- Range formatting: of two misaligned lines only the selected one changes.
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, { 'first   =    1', 'second   =    2' })
  local first_line = vim.api.nvim_buf_line_count(buf) - 2
  local range_edits = request('textDocument/rangeFormatting', {
    textDocument = vim.lsp.util.make_text_document_params(),
    range = { start = { line = first_line, character = 0 }, ['end'] = { line = first_line, character = 3 } },
    options = { tabSize = 2, insertSpaces = true },
  })
  if range_edits then vim.lsp.util.apply_text_edits(range_edits, buf, 'utf-16') end
  local formatted = vim.api.nvim_buf_get_lines(buf, first_line, first_line + 2, false)
  check('range formatting changes only the selected declaration',
        vim.deep_equal(formatted, { 'first = 1', 'second   =    2' }), vim.inspect(formatted))

  -- Names, schema fields and enum members: definition of a schema from an instance head, rename
  -- of a field at an instance key (the declaration and the member access follow), hover on an
  -- enum member with its doc comment.
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, {
    'enum Tier {', '  ## The cheap one.', '  bronze', '  gold', '}',
    'schema Rack {', '  slots: int = 4', '  tier: Tier = Tier.bronze', '}',
    'rack = Rack { slots = 8 }', 'rack_size = rack.slots', 'fancy = Tier.bronze',
  })
  local rack_line = vim.api.nvim_buf_line_count(buf) - 7
  local head = request('textDocument/definition', position_params('Rack { slots', 1))
  check('definition of a schema from an instance head',
        head and head.range and head.range.start.line == rack_line and
          head.range.start.character == 7, vim.inspect(head))
  params = position_params('Rack { slots', 8)
  params.newName = 'units'
  local renamed = request('textDocument/rename', params)
  if renamed then vim.lsp.util.apply_workspace_edit(renamed, 'utf-16') end
  local rack_text = table.concat(vim.api.nvim_buf_get_lines(buf, rack_line, -1, false), '\n')
  local _, units = rack_text:gsub('units', '')
  check('rename of a field renames its declaration, key and member access',
        units == 3 and not rack_text:find('slots', 1, true), rack_text)
  local tier = request('textDocument/hover', position_params('Tier.bronze', 6))
  check('hover on an enum member shows the enum, the member and its doc',
        tier and tier.contents.value:find('(enum member) Tier.bronze', 1, true) and
          tier.contents.value:find('The cheap one.', 1, true), vim.inspect(tier))

  -- While a line is being typed (the module does not parse): signature help of the open call,
  -- its active parameter counted by commas, and members of a name declared on the new lines.
  vim.api.nvim_buf_set_lines(buf, -1, -1, false,
                             { 'spare = Pool { size = 2 }', 'gw = ipnet.host(ipnet.cidr(x), ' })
  local typing = vim.api.nvim_buf_line_count(buf)
  local open_call = request('textDocument/signatureHelp', {
    textDocument = vim.lsp.util.make_text_document_params(),
    position = { line = typing - 1, character = 31 },
  })
  check('signature help on a call being typed', open_call and open_call.activeParameter == 1 and
          open_call.signatures[1].label == 'fn host(network: cidr, n: int) -> ip',
        vim.inspect(open_call))
  vim.api.nvim_buf_set_lines(buf, typing - 1, typing, false, { 'gw = spare.' })
  local spare_labels = completion_labels(typing - 1, 11)
  check('completion of members of a name declared on the new lines',
        vim.tbl_contains(spare_labels, 'size') and vim.tbl_contains(spare_labels, 'zone'),
        vim.inspect(spare_labels))
  vim.api.nvim_buf_set_lines(buf, typing - 2, typing, false, {})

  -- Completion of what a context expects: the fields of the schema an instance builds, the
  -- members of the enum a field expects, resource types after `resource`.
  -- The schema is declared first, and the module checks with it (documentSymbol analyses the
  -- text); then the instance is typed.
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, { 'enum Size { small, large }',
    'schema Box {', '  size: Size = small', '  label: string = ""', '}' })
  local outline = request('textDocument/documentSymbol',
                          { textDocument = vim.lsp.util.make_text_document_params() })
  local box_declared = false
  for _, s in ipairs(outline or {}) do box_declared = box_declared or s.name == 'Box' end
  check('the schema to instantiate is declared', box_declared, vim.inspect(outline))
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, { 'box = Box {', '  ' })
  local body = vim.api.nvim_buf_line_count(buf)
  local fields = completion_labels(body - 1, 2)
  check('completion of the fields of the schema being instantiated',
        vim.tbl_contains(fields, 'size') and vim.tbl_contains(fields, 'label'), vim.inspect(fields))
  vim.api.nvim_buf_set_lines(buf, body - 1, body, false, { '  size = ' })
  local members = completion_labels(body - 1, 9)
  check('completion of the members of the enum a field expects',
        vim.deep_equal(members, { 'small', 'large' }), vim.inspect(members))
  vim.api.nvim_buf_set_lines(buf, body - 1, body, false, { '}', 'extra = resource ' })
  local types = completion_labels(body, 17)
  check('completion of resource types after `resource`',
        vim.tbl_contains(types, 'sim.machine') and vim.tbl_contains(types, 'sim.network'),
        vim.inspect(types))
  vim.api.nvim_buf_set_lines(buf, body - 7, body + 1, false, {})

  -- Shutdown and exit.
  client.stop()
  check('the server exits after shutdown', vim.wait(30000, function() return client.is_stopped() end, 20))
end

local ok, err = pcall(main)
if not ok then check('the run', false, tostring(err)) end
finish()
