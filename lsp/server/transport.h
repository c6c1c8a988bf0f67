// The LSP base protocol on byte streams: messages framed by a `Content-Length` header (LSP 3.17,
// "Base Protocol"). Knows nothing of JSON-RPC beyond the bytes of one message body.
#pragma once

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>

namespace kc::lsp {

enum class ReadStatus {
  Message,    // `body` holds one complete message
  End,        // the stream ended cleanly between messages
  Malformed,  // the header was unusable (`error` says why); the stream cannot be resynchronised
};

struct ReadResult {
  ReadStatus status = ReadStatus::End;
  std::string body;
  std::string error;
};

// Bodies larger than this are refused as Malformed rather than allocated.
inline constexpr size_t kMaxMessageBytes = 64u << 20;

// Reads one message: header lines ending in CRLF (a bare LF is accepted too), an empty line, then
// exactly Content-Length bytes. Unknown headers (Content-Type) are ignored.
ReadResult read_message(std::istream& in);

// Writes `body` with its header and flushes, so the client sees each message at once.
void write_message(std::ostream& out, std::string_view body);

}  // namespace kc::lsp
