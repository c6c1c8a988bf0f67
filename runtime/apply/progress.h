// ProgressSink: how the executor reports what it is doing, and the plain line-per-event form the
// CLI prints (`sim.machine["web"]: Creating...`).
#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "providers/sdk/value.h"
#include "runtime/plan/plan.h"

namespace kc::apply {

// The executor calls a sink from one thread at a time (the future worker pool serialises calls).
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void step_started(const plan::Step& step) = 0;
  // `state`: the resource's attributes after the step; null after a delete or a failure.
  virtual void step_finished(const plan::Step& step, bool ok, std::chrono::milliseconds elapsed,
                             const sdk::Value& state) = 0;
  // Anything else worth a line, such as a step skipped because one it depends on failed.
  virtual void message(const std::string& text) = 0;
};

// Writes one line per event, Terraform style:
//   sim.machine["web"]: Creating...
//   sim.machine["web"]: Creation complete after 0s [id=m-0001]
class PlainProgress final : public ProgressSink {
 public:
  explicit PlainProgress(std::ostream& out) : out_(out) {}
  void step_started(const plan::Step& step) override;
  void step_finished(const plan::Step& step, bool ok, std::chrono::milliseconds elapsed,
                     const sdk::Value& state) override;
  void message(const std::string& text) override;

 private:
  std::ostream& out_;
};

// "0s", "45s", "1m30s", "2h0m5s": whole seconds, as progress lines print elapsed time.
std::string format_elapsed(std::chrono::milliseconds elapsed);

}  // namespace kc::apply
