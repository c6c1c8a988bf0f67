// `kc state list|show|rm|mv|pull|push|unlock`: inspecting and repairing the stored state. The
// commands that write take the state lock; the reading ones do not need it (saves are atomic).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/lock_options.h"
#include "cli/state_options.h"
#include "providers/sdk/json.h"
#include "runtime/state/codec.h"
#include "runtime/state/file_lock.h"
#include "runtime/state/state_edit.h"
#include "support/files.h"

namespace kc::cli {
namespace {

bool is_sensitive(const std::vector<std::string>& sorted, const std::string& name) {
  return std::binary_search(sorted.begin(), sorted.end(), name);
}

// One record; `deposed_key` when it is a deposed object.
void print_resource(const state::ResourceState& resource,
                    const std::optional<std::string>& deposed_key) {
  std::cout << (deposed_key ? state::deposed_label(resource.address, *deposed_key)
                            : resource.address)
            << "\n";
  std::cout << "  type:       " << resource.type << "\n";
  std::cout << "  provider:   " << resource.provider << "\n";
  std::cout << "  status:     " << resource.status << "\n";
  if (deposed_key) {
    std::cout << "  deposed:    the old object of a replacement; the next apply deletes it\n";
  }
  std::cout << "  depends on: ";
  if (resource.dependencies.empty()) std::cout << "(nothing)";
  for (size_t i = 0; i < resource.dependencies.size(); ++i)
    std::cout << (i ? ", " : "") << resource.dependencies[i];
  std::cout << "\n";
  if (resource.prevent_destroy) std::cout << "  lifecycle:  prevent_destroy\n";
  std::cout << "  attributes:\n";
  if (resource.attributes.kind() != sdk::Kind::Map) return;
  for (const auto& [name, value] : resource.attributes.as_map()) {
    std::cout << "    " << name << " = "
              << (is_sensitive(resource.sensitive, name) ? std::string("(sensitive)")
                                                         : sdk::to_json(value).dump())
              << "\n";
  }
}

// Runs `edit` on the stored state under the lock and saves the result (with a backup).
template <typename Edit>
int edit_state(const StateOptions& options, const LockOptions& lock, Edit edit) {
  Session session(options.common);
  diag::Diagnostics& diags = session.diagnostics();
  state::LocalBackend backend = state_backend(options);
  std::unique_ptr<state::StateLock> held = lock_state(backend, lock, diags);
  if (!held) return session.finish();
  std::optional<state::State> loaded = load_state(session, backend);
  if (!loaded) return session.finish();
  if (edit(*loaded, diags)) diags.append(backend.save(*loaded));
  return session.finish();
}

void add_list(CLI::App& parent, int& exit_code) {
  auto options = std::make_shared<StateOptions>();
  auto prefix = std::make_shared<std::string>();
  CLI::App* command = parent.add_subcommand("list", "Print the addresses in the state");
  command->add_option("prefix", *prefix, "Only addresses starting with this, e.g. sim.machine");
  add_state_options(*command, *options);
  command->callback([options, prefix, &exit_code] {
    Session session(options->common);
    state::LocalBackend backend = state_backend(*options);
    if (std::optional<state::State> loaded = load_state(session, backend)) {
      for (const std::string& address : state::list_addresses(*loaded, *prefix))
        std::cout << address << "\n";
      // Creates an interrupted apply may or may not have made; the next plan or apply settles them.
      for (const state::PendingCreate& pending : loaded->pending) {
        if (std::string_view(pending.address).substr(0, prefix->size()) == *prefix)
          std::cout << pending.address << " (pending create)\n";
      }
      // Old objects of replacements whose delete has not succeeded; the next apply deletes them.
      for (const state::DeposedObject& deposed : loaded->deposed) {
        const std::string& address = deposed.resource.address;
        if (std::string_view(address).substr(0, prefix->size()) == *prefix)
          std::cout << state::deposed_label(address, deposed.key) << "\n";
      }
    }
    exit_code = session.finish();
  });
}

void add_show(CLI::App& parent, int& exit_code) {
  auto options = std::make_shared<StateOptions>();
  auto address = std::make_shared<std::string>();
  CLI::App* command = parent.add_subcommand("show", "Print one resource as stored");
  command
      ->add_option("address", *address,
                   "Resource address, or a deposed object as `kc state list` prints it")
      ->required();
  add_state_options(*command, *options);
  command->callback([options, address, &exit_code] {
    Session session(options->common);
    state::LocalBackend backend = state_backend(*options);
    if (std::optional<state::State> loaded = load_state(session, backend)) {
      state::StateName name = state::parse_state_name(*address);
      if (const state::ResourceState* resource = state::find_named(*loaded, name)) {
        print_resource(*resource, name.deposed_key);
      } else {
        state::report_unknown_address(*loaded, *address, session.diagnostics());
      }
    }
    exit_code = session.finish();
  });
}

void add_rm(CLI::App& parent, int& exit_code) {
  auto options = std::make_shared<StateOptions>();
  auto lock = std::make_shared<LockOptions>(LockOptions{.operation = "state rm"});
  auto addresses = std::make_shared<std::vector<std::string>>();
  CLI::App* command =
      parent.add_subcommand("rm", "Forget resources (the objects themselves are not deleted)");
  command
      ->add_option("address", *addresses,
                   "Resource addresses, or deposed objects as `kc state list` prints them")
      ->required();
  add_state_options(*command, *options);
  add_lock_options(*command, *lock);
  command->callback([options, lock, addresses, &exit_code] {
    exit_code = edit_state(*options, *lock, [&](state::State& s, diag::Diagnostics& diags) {
      if (!state::remove_resources(s, *addresses, diags)) return false;
      for (const std::string& address : *addresses)
        std::cout << "Removed " << address << " from the state\n";
      return true;
    });
  });
}

void add_mv(CLI::App& parent, int& exit_code) {
  auto options = std::make_shared<StateOptions>();
  auto lock = std::make_shared<LockOptions>(LockOptions{.operation = "state mv"});
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  CLI::App* command = parent.add_subcommand("mv", "Rename a resource's address in the state");
  command->add_option("from", *from, "Current address")->required();
  command->add_option("to", *to, "New address (must not exist yet)")->required();
  add_state_options(*command, *options);
  add_lock_options(*command, *lock);
  command->callback([options, lock, from, to, &exit_code] {
    exit_code = edit_state(*options, *lock, [&](state::State& s, diag::Diagnostics& diags) {
      if (!state::move_resource(s, *from, *to, diags)) return false;
      std::cout << "Moved " << *from << " to " << *to << "\n";
      return true;
    });
  });
}

void add_pull(CLI::App& parent, int& exit_code) {
  auto options = std::make_shared<StateOptions>();
  CLI::App* command = parent.add_subcommand(
      "pull", "Print the stored state file as it is (it includes secret values)");
  add_state_options(*command, *options);
  command->callback([options, &exit_code] {
    Session session(options->common);
    state::LocalBackend backend = state_backend(*options);
    bool missing = false;
    std::string error;
    std::error_code ec;
    if (std::filesystem::exists(backend.journal_path(), ec)) {
      // A run died before folding its journal: print the state with the journal replayed, in the
      // file's own format (what the next save would store).
      if (std::optional<state::State> loaded = load_state(session, backend)) {
        std::cout << state::encode_state(*loaded);
      }
    } else if (std::optional<std::string> text =
                   support::read_whole_file(backend.path(), &missing, &error)) {
      std::cout << *text;
    } else if (!missing) {
      session.diagnostics().error(diag::Code::E0505, source::Span{},
                                  "cannot read the state: " + error);
    }
    exit_code = session.finish();
  });
}

void add_push(CLI::App& parent, int& exit_code) {
  auto options = std::make_shared<StateOptions>();
  auto lock = std::make_shared<LockOptions>(LockOptions{.operation = "state push"});
  auto file = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  CLI::App* command = parent.add_subcommand("push", "Replace the stored state with FILE");
  command->add_option("file", *file, "A state file, e.g. from `kc state pull`")->required();
  command->add_flag("--force", *force,
                    "Replace even a state of another lineage or with a higher serial");
  add_state_options(*command, *options);
  add_lock_options(*command, *lock);
  command->callback([options, lock, file, force, &exit_code] {
    Session session(options->common);
    diag::Diagnostics& diags = session.diagnostics();
    bool missing = false;
    std::string error;
    std::optional<std::string> text = support::read_whole_file(*file, &missing, &error);
    if (!text) {
      diags.error(diag::Code::E0505, source::Span{}, "cannot read `" + *file + "`: " + error);
      exit_code = session.finish();
      return;
    }
    std::optional<state::State> incoming =
        state::decode_state(*text, session.providers(), *file, diags);
    if (!incoming) {
      exit_code = session.finish();
      return;
    }
    exit_code = edit_state(*options, *lock, [&](state::State& stored, diag::Diagnostics& d) {
      std::error_code ec;
      bool exists = std::filesystem::exists(state_backend(*options).path(), ec);
      if (!state::prepare_push(stored, exists, *incoming, *force, d)) return false;
      stored = std::move(*incoming);
      std::cout << fmt::format("Pushed {} (serial {})\n", *file, stored.serial + 1);
      return true;
    });
    if (exit_code == 0) exit_code = session.finish();
  });
}

void add_unlock(CLI::App& parent, int& exit_code) {
  auto options = std::make_shared<StateOptions>();
  auto id = std::make_shared<std::string>();
  CLI::App* command = parent.add_subcommand("unlock", "Release a lock left by a dead or stuck run");
  command->add_option("lock_id", *id, "The lock ID printed with the E0503 error")->required();
  add_state_options(*command, *options);
  command->callback([options, id, &exit_code] {
    Session session(options->common);
    state::LocalBackend backend = state_backend(*options);
    state::UnlockResult result = state::break_file_lock(backend.lock_path(), *id);
    using Outcome = state::UnlockResult::Outcome;
    switch (result.outcome) {
      case Outcome::NotLocked:
        if (result.holder && result.holder->id == *id) {
          std::cout << "Lock " << *id << " (" << result.holder->describe()
                    << ") was already released when its process ended; nothing to unlock.\n";
        } else {
          std::cout << "The state `" << backend.path() << "` is not locked; nothing to unlock.\n";
        }
        break;
      case Outcome::Mismatch:
        state::report_locked(session.diagnostics(), backend.path(), result.holder)
            .with_note("`" + *id + "` is not the ID of that lock; nothing was released");
        break;
      case Outcome::Broken:
        std::cout << "Released lock " << *id << ", held by " << result.holder->describe()
                  << ".\nIf that process is still running, it may still write the state.\n";
        break;
      case Outcome::Failed:
        session.diagnostics().error(diag::Code::E0505, source::Span{},
                                    "cannot unlock the state: " + result.error);
        break;
    }
    exit_code = session.finish();
  });
}

}  // namespace

void add_state_command(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand("state", "Inspect and repair the stored state");
  command->require_subcommand(1);
  add_list(*command, exit_code);
  add_show(*command, exit_code);
  add_rm(*command, exit_code);
  add_mv(*command, exit_code);
  add_pull(*command, exit_code);
  add_push(*command, exit_code);
  add_unlock(*command, exit_code);
}

}  // namespace kc::cli
