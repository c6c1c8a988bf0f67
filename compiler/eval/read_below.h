// Reading the files `file("relative/path")` names (LANGUAGE.md 1): only regular files below the
// root module's directory, so evaluation stays hermetic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kc::eval {

// `file` refuses files larger than this.
inline constexpr uintmax_t kMaxReadFileBytes = 64 * 1024 * 1024;

// The contents of `relative` resolved against `root_dir`. nullopt with `error` set ("cannot read
// `../x`: it is outside the root module's directory") when the path is empty or absolute, leaves
// `root_dir` after normalisation (`a/../../x`) or after resolving symlinks, names no regular file,
// is too large or cannot be read.
std::optional<std::string> read_file_below(const std::string& root_dir, std::string_view relative,
                                           std::string* error);

}  // namespace kc::eval
