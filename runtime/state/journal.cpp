// The journal's line format and its replay onto a loaded state.
#include "runtime/state/journal.h"

#include <array>
#include <cstdio>

#include "providers/sdk/json_parse.h"
#include "runtime/state/codec.h"

namespace kc::state {
namespace {

using Json = nlohmann::ordered_json;

std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k)
      c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

std::string line_of(const Json& json) {
  // dump() escapes control characters inside strings, so the text holds no newline.
  std::string text = json.dump();
  char crc[9];
  std::snprintf(crc, sizeof crc, "%08x", crc32(text));
  return std::string(crc) + " " + text + "\n";
}

// The JSON of one complete line; nullopt with `problem` when its checksum or syntax is wrong.
std::optional<Json> parse_line(std::string_view line, std::string& problem) {
  if (line.size() < 10 || line[8] != ' ') {
    problem = "it is not a `<crc> <json>` line";
    return std::nullopt;
  }
  std::string_view text = line.substr(9);
  char crc[9];
  std::snprintf(crc, sizeof crc, "%08x", crc32(text));
  if (line.substr(0, 8) != std::string_view(crc, 8)) {
    problem = "its checksum does not match";
    return std::nullopt;
  }
  try {
    return sdk::parse_json(text);
  } catch (const Json::exception& e) {
    problem = std::string("it is not valid JSON (") + e.what() + ")";
    return std::nullopt;
  }
}

constexpr const char* kRecordShape =
    "a record must be an object with one of `upsert`, `remove`, `pending`, `depose`, "
    "`drop_deposed`";

std::optional<JournalEntry> entry_of(const Json& json, const sdk::SchemaSource& schemas,
                                     std::string& problem) {
  if (!json.is_object() || json.size() != 1) {
    problem = kRecordShape;
    return std::nullopt;
  }
  JournalEntry entry;
  if (auto it = json.find("upsert"); it != json.end()) {
    std::optional<ResourceState> resource = resource_from_json(*it, schemas, problem);
    if (!resource) return std::nullopt;
    entry.kind = JournalEntry::Kind::Upsert;
    entry.resource = std::move(*resource);
    return entry;
  }
  if (auto it = json.find("remove"); it != json.end()) {
    if (!it->is_string()) {
      problem = "`remove` must be an address";
      return std::nullopt;
    }
    entry.kind = JournalEntry::Kind::Remove;
    entry.address = it->get<std::string>();
    return entry;
  }
  if (auto it = json.find("pending"); it != json.end()) {
    std::optional<PendingCreate> pending = pending_from_json(*it, problem);
    if (!pending) return std::nullopt;
    entry.kind = JournalEntry::Kind::Pending;
    entry.pending = std::move(*pending);
    return entry;
  }
  if (auto it = json.find("depose"); it != json.end()) {
    std::optional<DeposedObject> deposed = deposed_from_json(*it, schemas, problem);
    if (!deposed) return std::nullopt;
    entry.kind = JournalEntry::Kind::Depose;
    entry.address = deposed->resource.address;
    entry.deposed = std::move(*deposed);
    return entry;
  }
  if (auto it = json.find("drop_deposed"); it != json.end()) {
    if (!it->is_object() || !it->contains("address") || !(*it)["address"].is_string() ||
        !it->contains("key") || !(*it)["key"].is_string()) {
      problem = "`drop_deposed` must be an object with `address` and `key` strings";
      return std::nullopt;
    }
    entry.kind = JournalEntry::Kind::DropDeposed;
    entry.address = (*it)["address"].get<std::string>();
    entry.deposed.resource.address = entry.address;
    entry.deposed.key = (*it)["key"].get<std::string>();
    return entry;
  }
  problem = kRecordShape;
  return std::nullopt;
}

// Whether a header line's JSON names `state`'s lineage and serial.
bool header_names(const Json& json, const State& state) {
  if (!json.is_object()) return false;
  auto version = json.find("kc_journal");
  auto lineage = json.find("lineage");
  auto serial = json.find("serial");
  return version != json.end() && *version == kJournalVersion && lineage != json.end() &&
         lineage->is_string() && *lineage == state.lineage && serial != json.end() &&
         serial->is_number_integer() && serial->get<int64_t>() == state.serial;
}

}  // namespace

uint32_t crc32(std::string_view bytes) {
  static const std::array<uint32_t, 256> table = make_crc_table();
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : bytes)
    c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::string journal_header(std::string_view lineage, int64_t serial) {
  return line_of(
      Json{{"kc_journal", kJournalVersion}, {"lineage", std::string(lineage)}, {"serial", serial}});
}

std::string journal_record(const JournalEntry& entry) {
  switch (entry.kind) {
    case JournalEntry::Kind::Upsert:
      return line_of(Json{{"upsert", resource_to_json(entry.resource)}});
    case JournalEntry::Kind::Remove:
      return line_of(Json{{"remove", entry.address}});
    case JournalEntry::Kind::Pending:
      return line_of(Json{{"pending", pending_to_json(entry.pending)}});
    case JournalEntry::Kind::Depose:
      return line_of(Json{{"depose", deposed_to_json(entry.deposed)}});
    case JournalEntry::Kind::DropDeposed:
      return line_of(
          Json{{"drop_deposed", Json{{"address", entry.address}, {"key", entry.deposed.key}}}});
  }
  return {};
}

void apply_journal_entry(State& state, const JournalEntry& entry) {
  switch (entry.kind) {
    case JournalEntry::Kind::Upsert:
      state.clear_pending(entry.resource.address);
      state.upsert(entry.resource);
      return;
    case JournalEntry::Kind::Remove:
      state.remove(entry.address);
      return;
    case JournalEntry::Kind::Pending:
      state.add_pending(entry.pending);
      return;
    case JournalEntry::Kind::Depose:
      state.remove(entry.deposed.resource.address);
      state.add_deposed(entry.deposed);
      return;
    case JournalEntry::Kind::DropDeposed:
      state.remove_deposed(entry.address, entry.deposed.key);
      return;
  }
}

JournalReplay replay_journal(std::string_view text, State& state,
                             const sdk::SchemaSource& schemas) {
  JournalReplay replay;
  size_t at = 0;
  size_t line_number = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    ++line_number;
    if (end == std::string_view::npos) {  // the last write did not finish
      replay.torn = replay.matched;
      return replay;
    }
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    std::string problem;
    std::optional<Json> json = parse_line(line, problem);
    if (line_number == 1) {
      // A header that is damaged or names another state: nothing here applies to `state`.
      if (!json || !header_names(*json, state)) return replay;
      replay.matched = true;
      continue;
    }
    std::optional<JournalEntry> entry;
    if (json) entry = entry_of(*json, schemas, problem);
    if (!entry) {
      // Damage in the last line is a torn write; damage with records after it is not.
      if (at >= text.size()) {
        replay.torn = true;
      } else {
        replay.damaged = problem;
        replay.damaged_line = line_number;
      }
      return replay;
    }
    apply_journal_entry(state, *entry);
    ++replay.applied;
  }
  return replay;
}

}  // namespace kc::state
