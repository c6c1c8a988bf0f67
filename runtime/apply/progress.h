// ProgressSink: how the executor reports what it is doing, and the plain line-per-event form the
// CLI prints when standard output is not a terminal (`[12:00:01] sim.machine["web"]: Creating...`).
#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

#include "providers/sdk/value.h"
#include "runtime/plan/plan.h"

namespace kc::apply {

// The executor calls a sink only from its coordinator thread, never from worker threads.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // Before the first step: how many steps the plan has.
  virtual void begin(size_t total) { (void)total; }
  virtual void step_started(const plan::Step& step) = 0;
  // `state`: the resource's attributes after the step; null after a delete or a failure.
  virtual void step_finished(const plan::Step& step, bool ok, std::chrono::milliseconds elapsed,
                             const sdk::Value& state) = 0;
  // A provider call of `step` failed with a transient error and is retried (`retry` = 1 for the
  // second call) after `wait`. The default prints it as a message.
  virtual void step_retrying(const plan::Step& step, int retry, std::chrono::milliseconds wait,
                             const std::string& error);
  // Anything else worth a line, such as a step skipped because one it depends on failed.
  virtual void message(const std::string& text) = 0;
  // Called often (several times a second) while steps run, for sinks that redraw.
  virtual void tick() {}
  // After the last step, before the summary.
  virtual void end() {}
};

// Writes one line per event, Terraform style, each prefixed by the local time unless `timestamps`
// is false (tests whose output is compared exactly):
//   [12:00:01] sim.machine["web"]: Creating...
//   [12:00:02] sim.machine["web"]: Creation complete after 0s [id=m-0001]
class PlainProgress final : public ProgressSink {
 public:
  explicit PlainProgress(std::ostream& out, bool timestamps = false)
      : out_(out), timestamps_(timestamps) {}
  void step_started(const plan::Step& step) override;
  void step_finished(const plan::Step& step, bool ok, std::chrono::milliseconds elapsed,
                     const sdk::Value& state) override;
  void message(const std::string& text) override;

 private:
  void line(const std::string& text);
  std::ostream& out_;
  bool timestamps_;
};

// "0s", "45s", "1m30s", "2h0m5s": whole seconds, as progress lines print elapsed time.
std::string format_elapsed(std::chrono::milliseconds elapsed);

// The text of progress events, shared by the plain and the live sinks.
std::string started_text(const plan::Step& step);  // `ADDR: Creating...`
std::string finished_text(const plan::Step& step, bool ok, std::chrono::milliseconds elapsed,
                          const sdk::Value& state);  // `ADDR: Creation complete after 1s [id=..]`
std::string retrying_text(const plan::Step& step, int retry, std::chrono::milliseconds wait,
                          const std::string& error);

// "[12:00:01] ": the current local time as a line prefix.
std::string timestamp_prefix();

}  // namespace kc::apply
