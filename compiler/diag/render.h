// The three diagnostic renderers of CLI.md: human (source line and caret), short (one line each for
// problem matchers) and json (one array). Renderers only read diagnostics and sources.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"

namespace kc::diag {

enum class Format : uint8_t { Human, Short, Json };
// Parses "human" / "short" / "json"; false for anything else.
bool parse_format(std::string_view text, Format& out);

struct RenderOptions {
  Format format = Format::Human;
  bool color = false;
};

// Renders every diagnostic. For Json the result is one array (also when empty); for the others one
// block or line per diagnostic, followed by nothing else.
std::string render(const Diagnostics& diagnostics, const source::SourceManager& sources,
                   const RenderOptions& options);

std::string render_human(const Diagnostic& diagnostic, const source::SourceManager& sources,
                         bool color);
std::string render_short(const Diagnostic& diagnostic, const source::SourceManager& sources);

// The json form of one diagnostic (an element of the array of Format::Json), and of a whole list;
// for embedding in other documents such as plan JSON.
nlohmann::ordered_json diagnostic_json(const Diagnostic& diagnostic,
                                       const source::SourceManager& sources);
nlohmann::ordered_json diagnostics_json(const Diagnostics& diagnostics,
                                        const source::SourceManager& sources);

}  // namespace kc::diag
