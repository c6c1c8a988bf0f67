// Unit tests for the apply progress sinks: time-prefixed plain lines and the live terminal block.
#include <doctest/doctest.h>

#include <regex>
#include <sstream>

#include "runtime/apply/live_progress.h"
#include "runtime/apply/progress.h"

using namespace kc;

namespace {

plan::Step create_step(int id, const std::string& label) {
  return plan::Step{id, plan::StepKind::Create, "sim.machine[\"" + label + "\"]", "create", "", 0,
                    {}};
}

}  // namespace

TEST_CASE("plain progress prefixes each line with the time when asked") {
  std::ostringstream out;
  apply::PlainProgress progress(out, true);
  progress.step_started(create_step(0, "a"));
  progress.message("hello");
  std::regex line(
      R"(\[\d\d:\d\d:\d\d\] sim\.machine\["a"\]: Creating\.\.\.\n\[\d\d:\d\d:\d\d\] hello\n)");
  CHECK(std::regex_match(out.str(), line));
}

TEST_CASE("a retry is one progress line naming the wait and the error") {
  std::ostringstream out;
  apply::PlainProgress progress(out);
  progress.step_retrying(create_step(0, "a"), 2, std::chrono::milliseconds(1500), "throttled");
  CHECK(out.str() ==
        "sim.machine[\"a\"]: Retrying in 1.5s (retry 2) after a transient error: throttled\n");
}

TEST_CASE("live progress keeps a redrawn block of running steps under the finished lines") {
  std::ostringstream out;
  apply::LiveProgress progress(out);
  progress.begin(3);
  progress.step_started(create_step(0, "a"));
  progress.step_started(create_step(1, "b"));
  progress.step_finished(create_step(0, "a"), true, std::chrono::milliseconds(0),
                         sdk::Value::map({{"id", "m-1"}}));
  progress.end();
  std::string text = out.str();
  // The last block before the end: b still running, one of three done; then it is erased.
  CHECK(text.find("sim.machine[\"a\"]: Creation complete after 0s [id=m-1]\n"
                  "  sim.machine[\"b\"]: Creating... (0s)\n"
                  "[1/3 done, 1 running]\n"
                  "\x1b[2A\x1b[J") != std::string::npos);
  CHECK(text.find("[0/3 done, 2 running]\n") != std::string::npos);
  // Every block drawn is erased before the next line: as many erasures as blocks.
  size_t blocks = 0, erasures = 0;
  for (size_t at = 0; (at = text.find(" done, ", at)) != std::string::npos; ++at)
    ++blocks;
  for (size_t at = 0; (at = text.find("\x1b[J", at)) != std::string::npos; ++at)
    ++erasures;
  CHECK(blocks == 3);
  CHECK(erasures == 3);
}
