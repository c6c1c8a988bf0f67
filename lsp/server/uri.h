// `file://` URIs (RFC 8089 as editors send them) to and from absolute paths.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kc::lsp {

// `file:///home/a%20b/x.kcl` -> `/home/a b/x.kcl`; nullopt for other schemes, remote hosts and
// malformed escapes.
std::optional<std::string> uri_to_path(std::string_view uri);
// An absolute path -> its `file://` URI, escaping every byte outside the unreserved set and `/`.
std::string path_to_uri(std::string_view path);

}  // namespace kc::lsp
