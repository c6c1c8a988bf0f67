// Myers' shortest edit script over lines, and the unified-diff rendering of it.
#include "compiler/format/diff.h"

#include <algorithm>

#include <fmt/format.h>

namespace kc::format {
namespace {

// Bound on the stored search frontier ((D+1)^2 ints for D differing lines): about 64 MB.
constexpr size_t kMaxTrace = size_t{16} << 20;

using Lines = std::vector<std::string_view>;

// The shortest script for before[b0, b1) -> after[a0, a1), appended to `out`; false (and nothing
// appended) when it needs more than kMaxTrace to find.
bool myers(const Lines& before, size_t b0, size_t b1, const Lines& after, size_t a0, size_t a1,
           std::vector<Edit>& out) {
  const long n = static_cast<long>(b1 - b0);
  const long m = static_cast<long>(a1 - a0);
  const long max = n + m;
  std::vector<long> v(static_cast<size_t>(2 * max + 3), 0);
  auto at = [&](long k) -> long& { return v[static_cast<size_t>(k + max + 1)]; };
  // trace[d] holds V[-d..d] as it was when step d began.
  std::vector<std::vector<long>> trace;
  size_t stored = 0;
  long found = -1;
  for (long d = 0; d <= max && found < 0; ++d) {
    stored += static_cast<size_t>(2 * d + 1);
    if (stored > kMaxTrace) return false;
    std::vector<long>& snapshot = trace.emplace_back();
    for (long k = -d; k <= d; ++k)
      snapshot.push_back(at(k));
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? at(k + 1) : at(k - 1) + 1;
      long y = x - k;
      while (x < n && y < m &&
             before[b0 + static_cast<size_t>(x)] == after[a0 + static_cast<size_t>(y)]) {
        ++x;
        ++y;
      }
      at(k) = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  // Walk back from (n, m), collecting the script in reverse.
  std::vector<Edit> reversed;
  long x = n;
  long y = m;
  for (long d = found; d >= 0; --d) {
    const std::vector<long>& snapshot = trace[static_cast<size_t>(d)];
    auto old = [&](long k) { return snapshot[static_cast<size_t>(k + d)]; };
    long k = x - y;
    long prev_x = 0;
    long prev_y = 0;
    if (d > 0) {
      long prev_k = (k == -d || (k != d && old(k - 1) < old(k + 1))) ? k + 1 : k - 1;
      prev_x = old(prev_k);
      prev_y = prev_x - prev_k;
    }
    while (x > prev_x && y > prev_y) {
      --x;
      --y;
      reversed.push_back(
          Edit{Edit::Kind::Keep, b0 + static_cast<size_t>(x), a0 + static_cast<size_t>(y)});
    }
    if (d == 0) break;
    if (x == prev_x) {
      reversed.push_back(Edit{Edit::Kind::Insert, 0, a0 + static_cast<size_t>(prev_y)});
    } else {
      reversed.push_back(Edit{Edit::Kind::Delete, b0 + static_cast<size_t>(prev_x), 0});
    }
    x = prev_x;
    y = prev_y;
  }
  out.insert(out.end(), reversed.rbegin(), reversed.rend());
  return true;
}

std::string range(size_t start, size_t length) {
  // `diff -u`: a one-line range is just its line; an empty one names the line before it.
  if (length == 1) return fmt::format("{}", start + 1);
  if (length == 0) return fmt::format("{},0", start);
  return fmt::format("{},{}", start + 1, length);
}

void line(std::string& out, char mark, std::string_view text) {
  out += mark;
  out += text;
  if (text.empty() || text.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t end = text.find('\n');
    end = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back(text.substr(0, end));
    text.remove_prefix(end);
  }
  return lines;
}

std::vector<Edit> diff_lines(const Lines& before, const Lines& after) {
  std::vector<Edit> edits;
  size_t prefix = 0;
  while (prefix < before.size() && prefix < after.size() && before[prefix] == after[prefix]) {
    edits.push_back(Edit{Edit::Kind::Keep, prefix, prefix});
    ++prefix;
  }
  size_t suffix = 0;
  while (suffix < before.size() - prefix && suffix < after.size() - prefix &&
         before[before.size() - 1 - suffix] == after[after.size() - 1 - suffix]) {
    ++suffix;
  }
  size_t b1 = before.size() - suffix;
  size_t a1 = after.size() - suffix;
  if (!myers(before, prefix, b1, after, prefix, a1, edits)) {
    for (size_t i = prefix; i < b1; ++i)
      edits.push_back(Edit{Edit::Kind::Delete, i, 0});
    for (size_t i = prefix; i < a1; ++i)
      edits.push_back(Edit{Edit::Kind::Insert, 0, i});
  }
  for (size_t i = 0; i < suffix; ++i)
    edits.push_back(Edit{Edit::Kind::Keep, b1 + i, a1 + i});
  return edits;
}

std::string unified_diff(std::string_view before, std::string_view after,
                         std::string_view before_label, std::string_view after_label,
                         size_t context) {
  if (before == after) return {};
  Lines old_lines = split_lines(before);
  Lines new_lines = split_lines(after);
  std::vector<Edit> edits = diff_lines(old_lines, new_lines);

  std::string out = fmt::format("--- {}\n+++ {}\n", before_label, after_label);
  size_t i = 0;
  while (i < edits.size()) {
    if (edits[i].kind == Edit::Kind::Keep) {
      ++i;
      continue;
    }
    // A hunk: `context` kept lines before the first change, then changes separated by at most
    // 2 * context kept lines, then `context` kept lines after the last.
    size_t first = i >= context ? i - context : 0;
    size_t last = i;  // one past the last change
    size_t j = i;
    while (j < edits.size()) {
      if (edits[j].kind != Edit::Kind::Keep) {
        last = ++j;
        continue;
      }
      size_t run = j;
      while (run < edits.size() && edits[run].kind == Edit::Kind::Keep)
        ++run;
      if (run == edits.size() || run - j > 2 * context) break;
      j = run;
    }
    size_t end = std::min(edits.size(), last + context);
    // Where the hunk starts in each file: the first line it shows, or for an empty side the
    // number of lines of that file before it.
    size_t old_start = 0;
    size_t new_start = 0;
    for (size_t k = 0; k < first; ++k) {
      if (edits[k].kind != Edit::Kind::Insert) ++old_start;
      if (edits[k].kind != Edit::Kind::Delete) ++new_start;
    }
    size_t old_length = 0;
    size_t new_length = 0;
    for (size_t k = first; k < end; ++k) {
      if (edits[k].kind != Edit::Kind::Insert) ++old_length;
      if (edits[k].kind != Edit::Kind::Delete) ++new_length;
    }
    out +=
        fmt::format("@@ -{} +{} @@\n", range(old_start, old_length), range(new_start, new_length));
    for (size_t k = first; k < end; ++k) {
      const Edit& edit = edits[k];
      switch (edit.kind) {
        case Edit::Kind::Keep:
          line(out, ' ', old_lines[edit.before]);
          break;
        case Edit::Kind::Delete:
          line(out, '-', old_lines[edit.before]);
          break;
        case Edit::Kind::Insert:
          line(out, '+', new_lines[edit.after]);
          break;
      }
    }
    i = end;
  }
  return out;
}

}  // namespace kc::format
