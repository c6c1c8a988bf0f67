// The state journal's format: what one journal record looks like, and replaying a journal's text
// onto the state it was written against. The file handling (append, fdatasync, fold on save) is
// LocalBackend's; this file only encodes, decodes and replays, so it is testable on strings.
//
// A journal is a text file of lines, each `<crc> <json>\n`: <crc> is the CRC-32 of the <json>
// bytes as 8 lowercase hex digits, <json> a single-line JSON object. The first line is the header
//   {"kc_journal":1,"lineage":"...","serial":N}
// naming the stored state the records apply to (its lineage and serial); every later line is one
// record, in the order the changes happened:
//   {"upsert":<resource as in the state file>}   {"remove":"<address>"}
//   {"pending":<pending create as in the state file>}
//   {"depose":<deposed object as in the state file>} {"drop_deposed":{"address":"...","key":"..."}}
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/schema.h"
#include "runtime/state/backend.h"
#include "runtime/state/state.h"

namespace kc::state {

inline constexpr int kJournalVersion = 1;

// CRC-32 (the IEEE 802.3 polynomial, as zlib computes it).
uint32_t crc32(std::string_view bytes);

// The header line for a journal of records against the stored state `lineage`/`serial`.
std::string journal_header(std::string_view lineage, int64_t serial);
// One record line (with its newline): written with a single write(2), it is whole or torn.
std::string journal_record(const JournalEntry& entry);

// What a journal's records do to the state: Upsert stores the resource and settles any pending
// create at its address; Remove drops the address; Pending records a create about to start;
// Depose removes the current object at its address and stores the record's object as deposed;
// DropDeposed forgets a deposed object.
void apply_journal_entry(State& state, const JournalEntry& entry);

struct JournalReplay {
  bool matched = false;  // the header names `state`'s lineage and serial (else nothing applied)
  size_t applied = 0;    // records replayed
  bool torn = false;     // the last record was incomplete or damaged (normal after a kill)
  // Set when a damaged record was followed by more data: replay stopped there; the problem, for a
  // warning (the records before it were replayed).
  std::string damaged;
  size_t damaged_line = 0;  // 1-based line of that record
};

// Replays the records of `text` onto `state`, stopping at the first torn or damaged record. A
// journal whose header is missing or names another lineage or serial is stale (written before the
// save that produced `state`) and changes nothing.
JournalReplay replay_journal(std::string_view text, State& state, const sdk::SchemaSource& schemas);

}  // namespace kc::state
