// Unit tests for state locking (runtime/state/file_lock, state_lock) and the `kc state` repair
// rules (runtime/state/state_edit).
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "runtime/state/file_lock.h"
#include "runtime/state/local_backend.h"
#include "runtime/state/state_edit.h"
#include "runtime/state/state_lock.h"

namespace fs = std::filesystem;
using namespace kc;
using std::chrono::milliseconds;

namespace {

struct LockDir {
  fs::path path;
  LockDir() {
    std::string pattern = (fs::temp_directory_path() / "kc-lock-test-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~LockDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string lock_file() const { return (path / ".kc" / "state.lock").string(); }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::unique_ptr<state::StateLock> take(const std::string& path, std::string_view operation,
                                       milliseconds timeout, diag::Diagnostics& diags) {
  return state::acquire_file_lock(path, "state.json", operation, timeout, diags);
}

// A child process that takes the lock, reports through a pipe, and then waits to be killed (or
// exits at once without releasing anything when `exit_at_once`).
pid_t child_holding(const std::string& path, bool exit_at_once) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    diag::Diagnostics diags;
    auto lock = take(path, "apply", milliseconds(0), diags);
    char ok = lock ? 'y' : 'n';
    if (::write(fds[1], &ok, 1) != 1) ::_exit(2);
    if (exit_at_once) ::_exit(0);  // no destructors: the lock file stays, the flock goes
    for (;;)
      ::pause();
  }
  ::close(fds[1]);
  char ok = 0;
  REQUIRE(::read(fds[0], &ok, 1) == 1);
  ::close(fds[0]);
  REQUIRE(ok == 'y');
  return pid;
}

state::ResourceState resource(std::string address, std::vector<std::string> deps = {}) {
  state::ResourceState r;
  r.address = std::move(address);
  r.type = "sim.machine";
  r.provider = "sim";
  r.dependencies = std::move(deps);
  return r;
}

}  // namespace

TEST_CASE("state lock: acquire writes the owner, release removes the lock file") {
  LockDir dir;
  diag::Diagnostics diags;
  {
    auto lock = take(dir.lock_file(), "apply", milliseconds(0), diags);
    REQUIRE(lock);
    CHECK(diags.empty());
    const state::LockInfo& info = lock->info();
    CHECK(info.id.size() == 16);
    CHECK(info.pid == ::getpid());
    CHECK(info.operation == "apply");
    CHECK(info.created.size() == 20);
    CHECK(info.created.back() == 'Z');
    std::optional<state::LockInfo> stored = state::parse_lock_info(read_file(dir.lock_file()));
    REQUIRE(stored);
    CHECK(stored->id == info.id);
    CHECK(stored->pid == info.pid);
    CHECK(stored->user == info.user);
    CHECK(stored->host == info.host);
  }
  CHECK_FALSE(fs::exists(dir.lock_file()));
  auto again = take(dir.lock_file(), "plan", milliseconds(0), diags);
  CHECK(again);
}

TEST_CASE("state lock: a second lock fails with E0503 naming the holder") {
  LockDir dir;
  diag::Diagnostics first;
  auto held = take(dir.lock_file(), "apply", milliseconds(0), first);
  REQUIRE(held);
  diag::Diagnostics diags;
  auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(take(dir.lock_file(), "plan", milliseconds(0), diags));
  CHECK(std::chrono::steady_clock::now() - start < milliseconds(1000));
  REQUIRE(diags.error_count() == 1);
  const diag::Diagnostic& d = diags.all()[0];
  CHECK(d.code == diag::Code::E0503);
  CHECK(d.message.find("pid " + std::to_string(::getpid())) != std::string::npos);
  CHECK(d.message.find("running `kc apply` since " + held->info().created) != std::string::npos);
  bool names_id = false;
  for (const std::string& note : d.notes)
    names_id |= note.find("kc state unlock " + held->info().id) != std::string::npos;
  CHECK(names_id);
}

TEST_CASE("state lock: a timeout waits, then fails; a release while waiting lets it in") {
  LockDir dir;
  diag::Diagnostics diags;
  auto held = take(dir.lock_file(), "apply", milliseconds(0), diags);
  REQUIRE(held);
  auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(take(dir.lock_file(), "apply", milliseconds(400), diags));
  CHECK(std::chrono::steady_clock::now() - start >= milliseconds(400));
  CHECK(diags.all().back().code == diag::Code::E0503);

  std::thread release([&] {
    std::this_thread::sleep_for(milliseconds(300));
    held.reset();
  });
  diag::Diagnostics waited;
  auto next = take(dir.lock_file(), "apply", milliseconds(10000), waited);
  release.join();
  CHECK(next);
  CHECK(waited.empty());
}

TEST_CASE("state lock: another process holds it until it is killed") {
  LockDir dir;
  pid_t child = child_holding(dir.lock_file(), false);
  diag::Diagnostics diags;
  CHECK_FALSE(take(dir.lock_file(), "apply", milliseconds(0), diags));
  REQUIRE(diags.error_count() == 1);
  CHECK(diags.all()[0].message.find("pid " + std::to_string(child)) != std::string::npos);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  diag::Diagnostics after;
  auto lock = take(dir.lock_file(), "apply", milliseconds(0), after);
  CHECK(lock);
  CHECK(after.empty());
}

TEST_CASE("state lock: a lock file left by a dead process does not block") {
  LockDir dir;
  pid_t child = child_holding(dir.lock_file(), true);
  ::waitpid(child, nullptr, 0);
  REQUIRE(fs::exists(dir.lock_file()));
  std::optional<state::LockInfo> stale = state::parse_lock_info(read_file(dir.lock_file()));
  REQUIRE(stale);
  CHECK(stale->pid == child);

  diag::Diagnostics diags;
  auto lock = take(dir.lock_file(), "destroy", milliseconds(0), diags);
  REQUIRE(lock);
  CHECK(diags.empty());
  std::optional<state::LockInfo> now = state::parse_lock_info(read_file(dir.lock_file()));
  REQUIRE(now);
  CHECK(now->pid == ::getpid());
  CHECK(now->operation == "destroy");
}

TEST_CASE("state lock: unlock refuses a wrong ID and breaks the lock with the right one") {
  LockDir dir;
  CHECK(state::break_file_lock(dir.lock_file(), "abc").outcome ==
        state::UnlockResult::Outcome::NotLocked);

  diag::Diagnostics diags;
  auto held = take(dir.lock_file(), "apply", milliseconds(0), diags);
  REQUIRE(held);
  state::UnlockResult wrong = state::break_file_lock(dir.lock_file(), "0000000000000000");
  CHECK(wrong.outcome == state::UnlockResult::Outcome::Mismatch);
  REQUIRE(wrong.holder);
  CHECK(wrong.holder->id == held->info().id);
  CHECK(fs::exists(dir.lock_file()));

  state::UnlockResult right = state::break_file_lock(dir.lock_file(), held->info().id);
  CHECK(right.outcome == state::UnlockResult::Outcome::Broken);
  REQUIRE(right.holder);
  CHECK(right.holder->created == held->info().created);
  CHECK_FALSE(fs::exists(dir.lock_file()));

  // New runs lock a fresh file; the broken holder's release must not remove it.
  auto next = take(dir.lock_file(), "apply", milliseconds(0), diags);
  REQUIRE(next);
  held.reset();
  CHECK(fs::exists(dir.lock_file()));
  diag::Diagnostics third;
  CHECK_FALSE(take(dir.lock_file(), "apply", milliseconds(0), third));
  CHECK(third.all()[0].code == diag::Code::E0503);
}

TEST_CASE("state lock: LocalBackend locks state.lock beside state.json") {
  LockDir dir;
  state::LocalBackend backend(state::LocalBackend::default_path(dir.path.string()));
  CHECK(backend.lock_path() == (dir.path / ".kc" / "state.lock").string());
  CHECK(state::LocalBackend("other").lock_path() == "other.lock");
  diag::Diagnostics diags;
  auto lock = backend.lock("apply", milliseconds(0), diags);
  REQUIRE(lock);
  CHECK_FALSE(backend.lock("apply", milliseconds(0), diags));
  CHECK(diags.all().back().message.find(backend.path()) != std::string::npos);
}

TEST_CASE("state lock: --lock-timeout durations") {
  CHECK(state::parse_lock_timeout("0s") == milliseconds(0));
  CHECK(state::parse_lock_timeout("30s") == milliseconds(30000));
  CHECK(state::parse_lock_timeout("2m") == milliseconds(120000));
  CHECK(state::parse_lock_timeout("500ms") == milliseconds(500));
  std::string error;
  CHECK_FALSE(state::parse_lock_timeout("soon", &error));
  CHECK(error.find("30s") != std::string::npos);
  CHECK_FALSE(state::parse_lock_timeout("30"));
}

TEST_CASE("state rm: forgets resources, all or nothing, with did-you-mean") {
  state::State s;
  s.upsert(resource("sim.machine[\"web\"]"));
  s.upsert(resource("sim.machine[\"db\"]"));
  s.upsert(resource("sim.network[\"main\"]"));
  CHECK(state::list_addresses(s, "sim.machine").size() == 2);
  CHECK(state::list_addresses(s).size() == 3);

  diag::Diagnostics diags;
  CHECK_FALSE(state::remove_resources(s, {"sim.machine[\"web\"]", "sim.machine[\"webb\"]"}, diags));
  CHECK(s.resources.size() == 3);
  REQUIRE(diags.error_count() == 1);
  CHECK(diags.all()[0].code == diag::Code::E0505);
  CHECK_FALSE(diags.all()[0].span.valid());
  REQUIRE(diags.all()[0].notes.size() == 1);
  CHECK(diags.all()[0].notes[0] == "did you mean `sim.machine[\"web\"]`?");

  diag::Diagnostics ok;
  CHECK(state::remove_resources(s, {"sim.machine[\"web\"]"}, ok));
  CHECK(ok.empty());
  CHECK(s.find("sim.machine[\"web\"]") == nullptr);
  CHECK(s.resources.size() == 2);
}

TEST_CASE("state mv: renames the address and dependencies; refuses an existing or foreign TO") {
  state::State s;
  s.upsert(resource("sim.machine[\"a\"]"));
  s.upsert(resource("sim.machine[\"b\"]", {"sim.machine[\"a\"]"}));
  s.upsert(resource("sim.machine[\"c\"]"));

  diag::Diagnostics diags;
  CHECK_FALSE(state::move_resource(s, "sim.machine[\"a\"]", "sim.machine[\"c\"]", diags));
  CHECK(diags.all().back().message.find("already has") != std::string::npos);
  CHECK_FALSE(state::move_resource(s, "sim.machine[\"a\"]", "sim.network[\"z\"]", diags));
  CHECK(diags.all().back().message.find("`sim.machine` resource") != std::string::npos);
  CHECK_FALSE(state::move_resource(s, "sim.machine[\"x\"]", "sim.machine[\"y\"]", diags));
  CHECK(s.find("sim.machine[\"a\"]") != nullptr);

  diag::Diagnostics ok;
  CHECK(state::move_resource(s, "sim.machine[\"a\"]", "sim.machine[\"z\"]", ok));
  CHECK(ok.empty());
  CHECK(s.find("sim.machine[\"a\"]") == nullptr);
  REQUIRE(s.find("sim.machine[\"z\"]") != nullptr);
  CHECK(s.find("sim.machine[\"z\"]")->address == "sim.machine[\"z\"]");
  CHECK(s.find("sim.machine[\"b\"]")->dependencies ==
        std::vector<std::string>{"sim.machine[\"z\"]"});
  CHECK(s.resources.back().address == "sim.machine[\"z\"]");  // still sorted
}

TEST_CASE("state show/rm/mv: deposed objects named as `kc state list` prints them") {
  state::State s;
  s.upsert(resource("sim.machine[\"a\"]"));
  s.upsert(resource("sim.machine[\"b\"]"));
  REQUIRE(s.depose("sim.machine[\"a\"]", "0badcafe"));
  s.upsert(resource("sim.machine[\"a\"]"));  // the replacement's new object
  std::string label = state::deposed_label("sim.machine[\"a\"]", "0badcafe");
  CHECK(label == "sim.machine[\"a\"] (deposed object 0badcafe)");

  state::StateName name = state::parse_state_name(label);
  CHECK(name.address == "sim.machine[\"a\"]");
  CHECK(name.deposed_key == std::optional<std::string>("0badcafe"));
  CHECK_FALSE(state::parse_state_name("sim.machine[\"a\"]").deposed_key);
  const state::ResourceState* old = state::find_named(s, name);
  REQUIRE(old != nullptr);
  CHECK(old == &s.deposed[0].resource);

  // A wrong key: E0505 with the deposed object as the did-you-mean; nothing removed.
  diag::Diagnostics diags;
  CHECK_FALSE(state::remove_resources(s, {"sim.machine[\"a\"] (deposed object 0badcafd)"}, diags));
  REQUIRE(diags.error_count() == 1);
  CHECK(diags.all()[0].message ==
        "no deposed object 0badcafd of `sim.machine[\"a\"]` in the state");
  CHECK(diags.all()[0].notes[0] == "did you mean `" + label + "`?");
  CHECK(s.deposed.size() == 1);

  // Moving a resource takes its deposed objects along; a deposed object is not moved alone.
  CHECK_FALSE(state::move_resource(s, label, "sim.machine[\"z\"]", diags));
  CHECK(diags.all().back().message.find("a deposed object is not moved on its own") !=
        std::string::npos);
  diag::Diagnostics ok;
  CHECK(state::move_resource(s, "sim.machine[\"a\"]", "sim.machine[\"c\"]", ok));
  REQUIRE(s.deposed.size() == 1);
  CHECK(s.deposed[0].resource.address == "sim.machine[\"c\"]");
  CHECK(s.deposed[0].key == "0badcafe");

  // rm forgets the deposed object only; the current record stays.
  CHECK(state::remove_resources(s, {"sim.machine[\"c\"] (deposed object 0badcafe)"}, ok));
  CHECK(ok.empty());
  CHECK(s.deposed.empty());
  CHECK(s.find("sim.machine[\"c\"]") != nullptr);
}

TEST_CASE("state push: same lineage and a serial not lower, unless forced") {
  state::State stored;
  stored.lineage = "lin-1";
  stored.serial = 5;

  state::State other = stored;
  other.lineage = "lin-2";
  diag::Diagnostics diags;
  CHECK_FALSE(state::prepare_push(stored, true, other, false, diags));
  CHECK(diags.all().back().code == diag::Code::E0506);

  state::State older = stored;
  older.serial = 4;
  CHECK_FALSE(state::prepare_push(stored, true, older, false, diags));
  CHECK(diags.all().back().message.find("serial 4") != std::string::npos);

  diag::Diagnostics ok;
  state::State same = stored;
  CHECK(state::prepare_push(stored, true, same, false, ok));
  state::State forced = older;
  CHECK(state::prepare_push(stored, true, forced, true, ok));
  CHECK(forced.serial == 5);  // saving stores 6: serials never go back
  state::State first = other;
  CHECK(state::prepare_push(stored, false, first, false, ok));  // nothing stored yet
  CHECK(ok.empty());
}
