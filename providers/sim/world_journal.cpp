// world.journal lines: encoding with a checksum, and replay that tolerates a torn last line.
#include "providers/sim/world_journal.h"

#include <cstdio>

#include "providers/sdk/json_parse.h"

namespace kc::sim {
namespace {

using Json = nlohmann::ordered_json;

constexpr size_t kChecksumDigits = 16;

uint64_t fnv1a(std::string_view text) {
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string hex(uint64_t value) {
  char buffer[kChecksumDigits + 1];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
  return buffer;
}

// The JSON text of `line` (without its newline) when its checksum matches; nullopt otherwise.
std::optional<std::string_view> checked_text(std::string_view line) {
  if (line.size() < kChecksumDigits + 2 || line[kChecksumDigits] != ' ') return std::nullopt;
  std::string_view text = line.substr(kChecksumDigits + 1);
  if (line.substr(0, kChecksumDigits) != hex(fnv1a(text))) return std::nullopt;
  return text;
}

}  // namespace

std::string encode_journal_line(const Json& record) {
  std::string text = record.dump();  // compact: strings escape their newlines
  std::string line = hex(fnv1a(text));
  line.reserve(line.size() + text.size() + 2);
  line += ' ';
  line += text;
  line += '\n';
  return line;
}

JournalReplay replay_journal(SimWorld& world, std::string_view bytes) {
  JournalReplay result;
  size_t pos = 0;
  while (pos < bytes.size()) {
    const size_t end = bytes.find('\n', pos);
    if (end == std::string_view::npos) {  // a write cut short
      result.torn = true;
      break;
    }
    const std::string_view line = bytes.substr(pos, end - pos);
    std::optional<std::string_view> text = checked_text(line);
    if (!text) {
      if (end + 1 == bytes.size()) {
        result.torn = true;
      } else {
        result.error = "the line at byte " + std::to_string(pos) + " is damaged";
      }
      break;
    }
    Json record;
    try {
      record = sdk::parse_json(*text);
    } catch (const nlohmann::json::exception&) {
      result.error = "the line at byte " + std::to_string(pos) + " is not JSON";
      break;
    }
    auto generation = record.is_object() ? record.find("generation") : record.end();
    if (generation == record.end() || !generation->is_number_integer()) {
      result.error = "the record at byte " + std::to_string(pos) + " has no `generation`";
      break;
    }
    if (generation->get<int64_t>() != world.generation()) {
      ++result.stale;
    } else {
      std::string error;
      if (!world.apply_record(record, &error)) {
        result.error = "the record at byte " + std::to_string(pos) + ": " + error;
        break;
      }
      ++result.applied;
    }
    pos = end + 1;
    result.consumed = pos;
  }
  return result;
}

}  // namespace kc::sim
