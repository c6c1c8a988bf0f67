// Content-Length framing.
#include "lsp/server/transport.h"

#include <charconv>

namespace kc::lsp {
namespace {

ReadResult malformed(std::string why) {
  ReadResult result;
  result.status = ReadStatus::Malformed;
  result.error = std::move(why);
  return result;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

ReadResult read_message(std::istream& in) {
  bool any_header = false;
  bool have_length = false;
  size_t length = 0;
  std::string line;
  while (true) {
    if (!std::getline(in, line)) {
      if (!any_header) return ReadResult{};  // a clean end between messages
      return malformed("the stream ended inside a message header");
    }
    std::string_view text = trim(line);
    if (text.empty()) {
      if (!any_header) continue;  // tolerate stray blank lines between messages
      break;
    }
    any_header = true;
    size_t colon = text.find(':');
    if (colon == std::string_view::npos) {
      return malformed("header line without a colon: `" + std::string(text) + "`");
    }
    std::string_view name = trim(text.substr(0, colon));
    std::string_view value = trim(text.substr(colon + 1));
    if (!iequals(name, "Content-Length")) continue;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (ec != std::errc() || end != value.data() + value.size()) {
      return malformed("Content-Length is not a number: `" + std::string(value) + "`");
    }
    have_length = true;
  }
  if (!have_length) return malformed("a message header without Content-Length");
  if (length > kMaxMessageBytes) {
    return malformed("a message of " + std::to_string(length) + " bytes is larger than the limit");
  }
  ReadResult result;
  result.body.resize(length);
  in.read(result.body.data(), static_cast<std::streamsize>(length));
  if (static_cast<size_t>(in.gcount()) != length) {
    return malformed("the stream ended inside a message body");
  }
  result.status = ReadStatus::Message;
  return result;
}

void write_message(std::ostream& out, std::string_view body) {
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

}  // namespace kc::lsp
