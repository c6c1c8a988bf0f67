// The progress texts and the plain printer.
#include "runtime/apply/progress.h"

#include <time.h>

#include <cstdio>

namespace kc::apply {
namespace {

std::string id_suffix(const sdk::Value& state) {
  const sdk::Value* id = state.kind() == sdk::Kind::Map ? state.find("id") : nullptr;
  if (!id) return {};
  if (id->kind() == sdk::Kind::String) return " [id=" + id->as_string() + "]";
  if (id->kind() == sdk::Kind::Int) return " [id=" + std::to_string(id->as_int()) + "]";
  return {};
}

// The step's address, and for a deposed object's step which object: `ADDR (deposed object KEY)`.
std::string step_label(const plan::Step& step) {
  if (step.deposed.empty()) return step.address;
  return step.address + " (deposed object " + step.deposed + ")";
}

}  // namespace

std::string format_elapsed(std::chrono::milliseconds elapsed) {
  int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(elapsed).count();
  if (seconds < 0) seconds = 0;
  int64_t h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
  std::string out;
  if (h > 0) out += std::to_string(h) + "h";
  if (h > 0 || m > 0) out += std::to_string(m) + "m";
  return out + std::to_string(s) + "s";
}

std::string started_text(const plan::Step& step) {
  std::string text;
  switch (step.kind) {
    case plan::StepKind::Create:
      text = "Creating...";
      break;
    case plan::StepKind::Update:
      text = "Modifying...";
      break;
    case plan::StepKind::Delete:
      text = "Destroying...";
      break;
    case plan::StepKind::Action:
      text = "Running " + step.action + "...";
      break;
  }
  return step_label(step) + ": " + text;
}

std::string finished_text(const plan::Step& step, bool ok, std::chrono::milliseconds elapsed,
                          const sdk::Value& state) {
  std::string what;
  switch (step.kind) {
    case plan::StepKind::Create:
      what = "Creation";
      break;
    case plan::StepKind::Update:
      what = "Modifications";
      break;
    case plan::StepKind::Delete:
      what = "Destruction";
      break;
    case plan::StepKind::Action:
      what = step.action;
      break;
  }
  return step_label(step) + ": " + what + (ok ? " complete after " : " failed after ") +
         format_elapsed(elapsed) + (ok ? id_suffix(state) : std::string());
}

std::string retrying_text(const plan::Step& step, int retry, std::chrono::milliseconds wait,
                          const std::string& error) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1fs", static_cast<double>(wait.count()) / 1000.0);
  return step_label(step) + ": Retrying in " + seconds + " (retry " + std::to_string(retry) +
         ") after a transient error: " + error;
}

std::string timestamp_prefix() {
  time_t now = time(nullptr);
  struct tm local {};
  localtime_r(&now, &local);
  char text[16];
  std::strftime(text, sizeof text, "[%H:%M:%S] ", &local);
  return text;
}

void ProgressSink::step_retrying(const plan::Step& step, int retry, std::chrono::milliseconds wait,
                                 const std::string& error) {
  message(retrying_text(step, retry, wait, error));
}

void PlainProgress::line(const std::string& text) {
  out_ << (timestamps_ ? timestamp_prefix() : std::string()) << text << std::endl;
}

void PlainProgress::step_started(const plan::Step& step) {
  line(started_text(step));
}

void PlainProgress::step_finished(const plan::Step& step, bool ok,
                                  std::chrono::milliseconds elapsed, const sdk::Value& state) {
  line(finished_text(step, ok, elapsed, state));
}

void PlainProgress::message(const std::string& text) {
  line(text);
}

}  // namespace kc::apply
