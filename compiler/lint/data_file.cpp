// Reading the lint data tables and locating YAML nodes in them.
#include "compiler/lint/data_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kc::lint {

std::optional<DataFile> read_data_file(const std::vector<std::string>& stdlib_dirs,
                                       std::string_view relative) {
  for (const std::string& dir : stdlib_dirs) {
    std::filesystem::path path = std::filesystem::path(dir) / relative;
    std::ifstream in(path, std::ios::binary);
    if (!in) continue;
    std::ostringstream text;
    text << in.rdbuf();
    return DataFile{path.lexically_normal().string(), text.str()};
  }
  return std::nullopt;
}

source::Span yaml_span(const source::SourceManager& sources, source::FileId file,
                       const YAML::Node& node) {
  uint32_t width = node.IsScalar() ? static_cast<uint32_t>(node.Scalar().size()) : 1;
  return yaml_span(sources, file, node.Mark(), width);
}

source::Span yaml_span(const source::SourceManager& sources, source::FileId file,
                       const YAML::Mark& mark, uint32_t width) {
  const source::SourceFile& source = sources.file(file);
  if (mark.line < 0) return source::Span{file, 0, 0};
  auto line = static_cast<uint32_t>(mark.line + 1);
  if (line > source.line_count()) return source::Span{file, 0, 0};
  std::string_view text = source.line_text(line);
  auto line_begin = static_cast<uint32_t>(text.data() - source.text().data());
  auto begin = line_begin + static_cast<uint32_t>(std::min<size_t>(mark.column, text.size()));
  auto line_end = line_begin + static_cast<uint32_t>(text.size());
  return source::Span{file, begin, std::min(begin + std::max<uint32_t>(width, 1), line_end)};
}

std::optional<MinorVersion> parse_minor_version(std::string_view text) {
  size_t dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view part) -> std::optional<int64_t> {
    int64_t value = 0;
    if (part.empty() || part.size() > 9 ||
        part.find_first_not_of("0123456789") != std::string_view::npos) {
      return std::nullopt;
    }
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (ec != std::errc() || end != part.data() + part.size()) return std::nullopt;
    return value;
  };
  std::optional<int64_t> major = number(text.substr(0, dot));
  std::optional<int64_t> minor = number(text.substr(dot + 1));
  if (!major || !minor) return std::nullopt;
  return MinorVersion{*major, *minor};
}

std::string to_string(const MinorVersion& version) {
  return fmt::format("{}.{}", version.major, version.minor);
}

bool read_data_table(
    source::SourceManager& sources, const std::string& path, std::string text,
    std::string_view table, diag::Diagnostics& diagnostics,
    const std::function<bool(const YAML::Node& root, const DataProblem& fail)>& read) {
  source::FileId file = sources.add(source::display_path(path), std::move(text));
  auto report = [&](source::Span span, const std::string& why) {
    diagnostics.error(diag::Code::E0505, span, fmt::format("the {} is malformed: {}", table, why));
    return false;
  };
  DataProblem fail = [&](const YAML::Node* at, const std::string& why) {
    return report(at ? yaml_span(sources, file, *at) : source::Span{file, 0, 0}, why);
  };
  try {
    return read(YAML::Load(std::string(sources.file(file).text())), fail);
  } catch (const YAML::Exception& e) {  // yaml-cpp reports only by exception; stop it here
    return report(yaml_span(sources, file, e.mark), e.msg);
  }
}

}  // namespace kc::lint
