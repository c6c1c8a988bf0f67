// Provider diagnostics as kc reports them: about the resource (its span when they carry none), and
// never showing a secret. Providers echo values in messages ("got \"...\""); the text of every
// attribute that is never printed becomes "(sensitive)" before anyone sees the message.
#pragma once

#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/value.h"

namespace kc::plan {

// The texts to hide: the values (strings, and the literal form of other scalars, at any depth)
// of the attributes `names` in each of `attributes` (maps; others are ignored). Texts shorter
// than kShortestHiddenText are left out, so that a one-letter secret does not shred messages.
inline constexpr size_t kShortestHiddenText = 4;
std::vector<std::string> secret_texts(const std::vector<std::string>& names,
                                      const std::vector<const sdk::Value*>& attributes);

// Appends `from` to `into`: a diagnostic without a span gets `at`; every secret text in its
// message, labels and notes is replaced. True when `from` has errors.
bool append_provider_diagnostics(diag::Diagnostics& into, const diag::Diagnostics& from,
                                 source::Span at, const std::vector<std::string>& secrets);

}  // namespace kc::plan
