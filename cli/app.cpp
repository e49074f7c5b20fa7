// The CLI's entry: global options, the command table, one place that turns errors into exit codes.
#include <iostream>

#include "cli/command.hpp"
#include "core/error.hpp"

namespace galley::cli {

namespace {

const char* const k_footer = R"(Exit codes:
  0  success
  1  the check ran and failed (validation, verification)
  2  bad input or usage
  3  not found (no matching recipe, missing file, missing path)
  4  unsatisfiable constraints (no version set satisfies every requirement)
  5  I/O or environment error

Examples:
  galley recipe --service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34
  galley query --selector components.gpu-operator.version --service gke --accelerator gb200 --intent inference
  galley explain components.gpu-operator.values.driver.enabled --recipe recipe.yaml
  galley diff training.yaml inference.yaml
  galley catalog)";

std::string error_prefix(const Io& io, const Globals& g) {
  return io.err_tty && !g.no_color ? "galley: \033[1;31merror:\033[0m " : "galley: error: ";
}

// Libraries name an option a problem is in by its field (core::OptionField: "tsa-url: ..."), never
// by a flag; here, where the flags are known, the field gets the flag's spelling ("--tsa-url: ...")
// when the running command (or the global scope) has that option.
std::string with_flag(const std::string& line, const std::string& option, const CLI::App& app, const CLI::App* command) {
  if (option.empty() || !(line.starts_with(option + ": ") || line.starts_with(option + " "))) {
    return line;
  }
  for (const CLI::App* scope : {command, &app}) {
    if (scope == nullptr) {
      continue;
    }
    for (const CLI::Option* candidate : scope->get_options()) {
      for (const std::string& long_name : candidate->get_lnames()) {
        if (long_name == option) {
          return "--" + line;
        }
      }
    }
  }
  return line;
}

}  // namespace

int run(const std::vector<std::string>& args, Io& io) {
  CLI::App app{"galley: GPU cluster criteria -> a locked, explainable graph of Kubernetes components", "galley"};
  app.footer(k_footer);
  app.require_subcommand(1);
  app.fallthrough();
  Globals globals;
  app.add_option("--data", globals.data, "layer an external catalog folder on the embedded one (repeatable)")
      ->option_text("DIR");
  app.add_option("--log-level", globals.log_level, "error, warn, info or debug")
      ->check(CLI::IsMember({"error", "warn", "info", "debug"}));
  app.add_flag("--no-color", globals.no_color, "never colour messages");

  std::map<CLI::App*, Run> runs;
  for (const auto& spec : commands()) {
    Run run_fn;
    spec.add(app, run_fn);
    runs.emplace(app.get_subcommand(spec.name), std::move(run_fn));
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e, io.out, io.err);
    return code == 0 ? 0 : core::to_int(core::Exit::bad_input);
  }
  Context ctx{io, globals};
  CLI::App* command = nullptr;
  try {
    for (auto& [sub, run_fn] : runs) {
      if (sub->parsed()) {
        command = sub;
        return run_fn(ctx);
      }
    }
    return core::to_int(core::Exit::bad_input);
  } catch (const core::Error& e) {
    io.out.flush();
    for (const auto& line : e.lines()) {
      // Continuation lines (a chain of reasons) start with a space; every other line is one error.
      if (line.starts_with(" ")) {
        io.err << line << '\n';
      } else {
        io.err << error_prefix(io, globals) << with_flag(line, e.option(), app, command) << '\n';
      }
    }
    return core::to_int(e.exit());
  } catch (const std::exception& e) {
    io.err << "galley: internal error: " << e.what() << '\n';
    return core::to_int(core::Exit::io);
  }
}

}  // namespace galley::cli
