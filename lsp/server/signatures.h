// Signature help: a function's parameters as a label with the one being typed marked. Read from
// the checked tree when the call parses (navigation.h, signature_help), and from the text before
// the cursor when it does not (`double(1, ` while typing).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/sema/checked.h"
#include "compiler/source/source.h"

namespace kc::lsp {

// The signature of the function called around the cursor, with the parameter the cursor is on.
struct SignatureInfo {
  std::string label;  // `fn subnet(network: cidr, newbits: int, index: int) -> cidr`
  std::vector<std::pair<uint32_t, uint32_t>> parameters;  // [begin, end) of each in `label`
  uint32_t active = 0;
  std::string doc;
};

// The label, parameters and doc comment of the function `fn` of module `module` (active 0);
// nullopt when `fn` is not a function.
std::optional<SignatureInfo> function_signature(const sema::CheckedProgram& checked,
                                                const source::SourceManager& sources,
                                                uint32_t module, const sema::Symbol& fn);

// From the text: the innermost parenthesis still open before `offset` whose callee is a dotted
// name of a function the root module of `checked` sees, and the number of commas before the
// cursor inside it.
std::optional<SignatureInfo> signature_in_text(const sema::CheckedProgram& checked,
                                               const source::SourceManager& sources,
                                               std::string_view text, uint32_t offset);

}  // namespace kc::lsp
