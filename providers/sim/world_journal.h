// The line format of world.journal: one record per line, "<checksum> <json>\n", where the checksum
// is 16 hex digits of a 64-bit FNV-1a hash of the JSON text and the JSON (one line: no raw
// newlines) is a record made by SimWorld::tracked_record. A line whose checksum does not match, or
// a last line without its newline, is what a writer killed mid-write leaves.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "providers/sim/world.h"

namespace kc::sim {

// `record` as one journal line, newline included.
std::string encode_journal_line(const nlohmann::ordered_json& record);

// What replaying journal bytes did.
struct JournalReplay {
  size_t consumed = 0;  // bytes of complete, valid lines (the offset to continue from)
  bool torn = false;    // the bytes end in an incomplete or damaged last line, which was ignored
  int64_t applied = 0;  // records applied
  int64_t stale = 0;    // records of another generation, skipped
  std::string error;    // set when a line before the last is damaged or a record is invalid
};

// Applies to `world` the records in `bytes` whose generation is `world.generation()` (records of
// another generation are left over from before the snapshot was rewritten and are skipped).
// Stops at the first error; `consumed` then ends before the line at fault.
JournalReplay replay_journal(SimWorld& world, std::string_view bytes);

}  // namespace kc::sim
