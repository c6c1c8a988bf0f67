// Refresh: reads run in parallel within the configured limits, and drift is described per
// attribute (text and JSON) without showing secrets.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "runtime/plan/refresh.h"
#include "runtime/plan/render_drift.h"
#include "tests/unit/runtime_fakes.h"

using namespace kc;
using testing::machine;

namespace {

// Reads sleep a little and record how many were in flight at once; "broken" reads fail.
class SlowProvider final : public sdk::Provider {
 public:
  SlowProvider() : schema_(testing::fake_schema()) {}
  std::atomic<int> in_flight{0}, most{0}, reads{0};

  const sdk::ProviderSchema& schema() const override { return schema_; }
  diag::Diagnostics configure(const sdk::ConfigureRequest&) override { return {}; }
  diag::Diagnostics validate(const sdk::ValidateRequest&) override { return {}; }
  sdk::ReadResponse read(const sdk::ReadRequest& request) override {
    int now = ++in_flight;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    --in_flight;
    ++reads;
    sdk::ReadResponse response;
    if (request.address.find("broken") != std::string::npos) {
      response.diagnostics.error(diag::Code::E0504, source::Span{},
                                 "cannot read " + request.address);
    } else {
      response.state = request.state;
    }
    return response;
  }
  sdk::PlanResponse plan_change(const sdk::PlanRequest&) override { return {}; }
  sdk::ApplyResponse apply_change(const sdk::ApplyRequest&) override { return {}; }

 private:
  sdk::ProviderSchema schema_;
};

state::State machines(int n, const std::string& prefix = "m") {
  state::State s;
  for (int i = 0; i < n; ++i) {
    state::ResourceState r;
    r.address = machine(prefix + std::to_string(100 + i));
    r.type = "fake.machine";
    r.provider = "fake";
    r.attributes = sdk::Value::map({{"cpu", 1}});
    s.upsert(std::move(r));
  }
  return s;
}

}  // namespace

TEST_CASE("refresh reads in parallel, at most `parallelism` at a time") {
  SlowProvider provider;
  testing::FakeProviders providers;
  providers.add(&provider);
  state::State s = machines(24);
  diag::Diagnostics diags;
  plan::RefreshOptions options;
  options.parallelism = 6;
  CHECK(plan::refresh(s, providers, options, diags).empty());
  CHECK(diags.empty());
  CHECK(provider.reads == 24);
  CHECK(provider.most > 1);
  CHECK(provider.most <= 6);
}

TEST_CASE("refresh honours a provider's max_concurrency") {
  SlowProvider provider;
  testing::FakeProviders providers;
  providers.add(&provider);
  state::State s = machines(8);
  diag::Diagnostics diags;
  plan::RefreshOptions options;
  options.max_concurrency["fake"] = 1;
  plan::refresh(s, providers, options, diags);
  CHECK(provider.reads == 8);
  CHECK(provider.most == 1);

  eval::ProviderConfig block{"fake", "", sdk::Value::map({{"max_concurrency", 3}}), {}};
  eval::ProviderConfig aliased{"fake", "fast", sdk::Value::map({{"max_concurrency", 9}}), {}};
  CHECK(plan::max_concurrency_of({block, aliased}) == std::map<std::string, int>{{"fake", 3}});
}

TEST_CASE("refresh reports read failures in address order and keeps those resources") {
  SlowProvider provider;
  testing::FakeProviders providers;
  providers.add(&provider);
  state::State s = machines(6, "broken");
  diag::Diagnostics diags;
  plan::refresh(s, providers, {}, diags);
  REQUIRE(diags.all().size() == 6);
  for (int i = 0; i < 6; ++i) {
    CHECK(diags.all()[i].message == "cannot read " + machine("broken" + std::to_string(100 + i)));
  }
  CHECK(s.resources.size() == 6);
}

TEST_CASE("drift renders per attribute and hides secrets") {
  plan::Drift changed;
  changed.address = "prod.fake.machine[\"web\"]";
  changed.type = "fake.machine";
  changed.action = plan::Action::Update;
  changed.before = sdk::Value::map({{"cpu", 2}, {"password", "hunter22"}, {"zone", "a"}});
  changed.after = sdk::Value::map({{"cpu", 4}, {"password", "letmein1"}, {"zone", "a"}});
  changed.changed = {"cpu", "password"};
  changed.sensitive = {"password"};
  plan::Drift gone;
  gone.address = "fake.machine[\"db\"]";
  gone.type = "fake.machine";
  gone.action = plan::Action::Delete;
  gone.before = sdk::Value::map({{"cpu", 1}, {"password", "hunter22"}});
  gone.changed = {"cpu", "password"};
  gone.sensitive = {"password"};

  std::string text = plan::render_drift_text({changed, gone}, false);
  CHECK(text ==
        "Objects changed outside kc since the last apply:\n\n"
        "  # prod.fake.machine[\"web\"] has changed outside kc\n"
        "  ~ resource \"fake.machine\" \"web\" {\n"
        "      ~ cpu      = 2 -> 4\n"
        "      ~ password = (sensitive) -> (sensitive)\n"
        "    }\n\n"
        "  # fake.machine[\"db\"] has been deleted outside kc\n"
        "  - resource \"fake.machine\" \"db\" {\n"
        "      - cpu      = 1 -> null\n"
        "      - password = (sensitive) -> null\n"
        "    }\n\n"
        "Unless the configuration already says so (or lifecycle.ignore_changes covers them), the "
        "plan below undoes these changes.\n\n");
  CHECK(plan::render_drift_text({}, false).empty());

  nlohmann::ordered_json json = plan::render_drift_json({changed, gone});
  CHECK(json.dump() ==
        R"j([{"address":"prod.fake.machine[\"web\"]","type":"fake.machine","action":"update",)j"
        R"j("before":{"cpu":2,"password":"(sensitive)","zone":"a"},)j"
        R"j("after":{"cpu":4,"password":"(sensitive)","zone":"a"}},)j"
        R"j({"address":"fake.machine[\"db\"]","type":"fake.machine","action":"delete",)j"
        R"j("before":{"cpu":1,"password":"(sensitive)"},"after":null}])j");
}

TEST_CASE("refresh drift marks schema-sensitive attributes") {
  testing::FakeProvider provider;
  testing::FakeProviders providers;
  providers.add(&provider);
  state::State s;
  state::ResourceState r;
  r.address = machine("a");
  r.type = "fake.machine";
  r.provider = "fake";
  r.attributes = sdk::Value::map({{"cpu", 1}, {"password", "hunter22"}});
  s.upsert(r);
  provider.world[machine("a")] = sdk::Value::map({{"cpu", 1}, {"password", "changed!"}});
  diag::Diagnostics diags;
  std::vector<plan::Drift> drift = plan::refresh(s, providers, {}, diags);
  REQUIRE(drift.size() == 1);
  CHECK(drift[0].changed == std::vector<std::string>{"password"});
  CHECK(drift[0].sensitive == std::vector<std::string>{"password"});
  CHECK(plan::render_drift_text(drift, false).find("changed!") == std::string::npos);
  CHECK(plan::render_drift_json(drift).dump().find("changed!") == std::string::npos);
}
