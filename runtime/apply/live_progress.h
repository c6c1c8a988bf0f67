// LiveProgress: the terminal form of apply progress. Finished events scroll as permanent lines;
// below them a block redrawn in place (ANSI cursor movement, at most ~10 times a second) shows each
// running step with its elapsed time and a done/total counter. Only for a terminal that accepts
// escape sequences; the CLI falls back to PlainProgress otherwise.
#pragma once

#include <chrono>
#include <map>
#include <ostream>
#include <string>

#include "runtime/apply/progress.h"

namespace kc::apply {

class LiveProgress final : public ProgressSink {
 public:
  explicit LiveProgress(std::ostream& out) : out_(out) {}
  void begin(size_t total) override;
  void step_started(const plan::Step& step) override;
  void step_finished(const plan::Step& step, bool ok, std::chrono::milliseconds elapsed,
                     const sdk::Value& state) override;
  void message(const std::string& text) override;
  void tick() override;
  void end() override;

 private:
  using Clock = std::chrono::steady_clock;
  struct Running {
    std::string text;  // `ADDR: Creating...`
    Clock::time_point started;
  };
  std::string block() const;  // the running steps and the counter, one line each
  void erase_block();
  void draw_block();
  void permanent(const std::string& text);  // a line above the block

  std::ostream& out_;
  std::map<int, Running> running_;  // by step id, so the block is in a stable order
  size_t total_ = 0, done_ = 0;
  std::string drawn_;  // the block on screen
  int drawn_lines_ = 0;
  Clock::time_point last_draw_{};
};

}  // namespace kc::apply
