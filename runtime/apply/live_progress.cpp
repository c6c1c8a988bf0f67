// The redrawing terminal progress display.
#include "runtime/apply/live_progress.h"

#include <algorithm>

namespace kc::apply {
namespace {

constexpr size_t kMaxShown = 20;  // running steps listed; the rest are counted
constexpr auto kRedrawEvery = std::chrono::milliseconds(100);

}  // namespace

void LiveProgress::begin(size_t total) {
  total_ = total;
  done_ = 0;
}

void LiveProgress::erase_block() {
  // Up to the block's first line, then clear to the end of the screen.
  if (drawn_lines_ > 0) out_ << "\x1b[" << drawn_lines_ << "A\x1b[J";
  drawn_lines_ = 0;
}

std::string LiveProgress::block() const {
  auto now = Clock::now();
  std::string text;
  size_t shown = 0;
  for (const auto& [id, step] : running_) {
    if (shown++ == kMaxShown) break;
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - step.started);
    text += "  " + step.text + " (" + format_elapsed(elapsed) + ")\n";
  }
  if (running_.size() > kMaxShown) {
    text += "  ... and " + std::to_string(running_.size() - kMaxShown) + " more\n";
  }
  text += "[" + std::to_string(done_) + "/" + std::to_string(total_) + " done, " +
          std::to_string(running_.size()) + " running]\n";
  return text;
}

void LiveProgress::draw_block() {
  drawn_ = block();
  out_ << drawn_;
  drawn_lines_ = static_cast<int>(std::count(drawn_.begin(), drawn_.end(), '\n'));
  out_.flush();
  last_draw_ = Clock::now();
}

void LiveProgress::permanent(const std::string& text) {
  erase_block();
  out_ << text << "\n";
  draw_block();
}

void LiveProgress::step_started(const plan::Step& step) {
  running_[step.id] = Running{started_text(step), Clock::now()};
  permanent(started_text(step));
}

void LiveProgress::step_finished(const plan::Step& step, bool ok, std::chrono::milliseconds elapsed,
                                 const sdk::Value& state) {
  running_.erase(step.id);
  ++done_;
  permanent(finished_text(step, ok, elapsed, state));
}

void LiveProgress::message(const std::string& text) {
  permanent(text);
}

void LiveProgress::tick() {
  // At most ~10 redraws a second, and none when nothing shown changed (elapsed times are in
  // whole seconds).
  if (Clock::now() - last_draw_ < kRedrawEvery || block() == drawn_) return;
  erase_block();
  draw_block();
}

void LiveProgress::end() {
  erase_block();
  out_.flush();
}

}  // namespace kc::apply
