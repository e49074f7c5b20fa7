// The CLI's entry: global options, the command table, one place that turns errors into exit codes.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "cli/common.hpp"
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
  galley catalog
  galley help recipe       # or galley recipe --help
  source <(galley completion bash)

Environment (a flag wins over its variable):
  GALLEY_DATA       catalog folders to layer, colon-separated (as --data, in order)
  GALLEY_LOG_LEVEL  as --log-level
  GALLEY_NO_COLOR   any non-empty value: as --no-color
  NO_COLOR          any non-empty value: as --no-color (https://no-color.org)
Colour is used only when standard error is a terminal.)";

// The global options that take a value (their value is not the command's name).
const char* const k_global_values[] = {"--data", "--log-level"};

// The words --log-level and GALLEY_LOG_LEVEL take.
const std::vector<std::string> k_log_levels = {"error", "warn", "info", "debug"};

// An environment variable's value, "" when unset.
std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

// The index in `args` of the first word that is not a global option or its value: the command.
std::optional<size_t> command_index(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!arg.starts_with("-")) {
      return i;
    }
    for (const char* flag : k_global_values) {
      if (arg == flag) {
        ++i;
      }
    }
  }
  return std::nullopt;
}

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names{"help"};
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

// The subcommand called `name`, or nullptr.
const CLI::App* find_command(const CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name() == name) {
      return sub;
    }
  }
  return nullptr;
}

// The long option names (without "--") of `command` and of the global scope.
std::vector<std::string> long_option_names(const CLI::App& app, const CLI::App* command) {
  std::vector<std::string> names;
  for (const CLI::App* scope : {command, &app}) {
    if (scope == nullptr) {
      continue;
    }
    for (const CLI::Option* option : scope->get_options()) {
      for (const std::string& name : option->get_lnames()) {
        names.push_back(name);
      }
    }
  }
  return names;
}

// `unknown command "x"`, with the closest command suggested.
core::Error unknown_command(const std::string& word, const CLI::App& app) {
  std::string message = "unknown command \"" + word + "\"";
  std::string near = core::closest(word, command_names(app));
  return core::Error(core::Exit::bad_input, near.empty() ? message + "; galley --help lists the commands"
                                                         : message + "; did you mean \"" + near + "\"?");
}

// `galley help` -> `galley --help`; `galley help CMD` -> `galley CMD --help`; throws for an unknown CMD.
std::vector<std::string> expand_help(std::vector<std::string> args, const CLI::App& app) {
  auto at = command_index(args);
  if (!at || args[*at] != "help") {
    return args;
  }
  args.erase(args.begin() + static_cast<std::ptrdiff_t>(*at));
  if (*at < args.size() && !args[*at].starts_with("-")) {
    if (find_command(app, args[*at]) == nullptr) {
      throw unknown_command(args[*at], app);
    }
    args.insert(args.begin() + static_cast<std::ptrdiff_t>(*at) + 1, "--help");
  } else {
    args.push_back("--help");
  }
  return args;
}

// After a parse failure: an unknown command or an unknown --flag, with the closest one suggested;
// nothing when the failure is another kind (CLI11's message then says it).
std::optional<core::Error> misspelling(const std::vector<std::string>& args, const CLI::App& app) {
  auto at = command_index(args);
  if (!at) {
    return std::nullopt;
  }
  const CLI::App* command = find_command(app, args[*at]);
  if (command == nullptr) {
    return unknown_command(args[*at], app);
  }
  std::vector<std::string> flags;
  for (const std::string& name : long_option_names(app, command)) {
    flags.push_back("--" + name);
  }
  for (size_t i = *at + 1; i < args.size(); ++i) {
    std::string flag = args[i].substr(0, args[i].find('='));
    if (args[i] == "--") {
      break;
    }
    if (flag.starts_with("--") && std::find(flags.begin(), flags.end(), flag) == flags.end()) {
      std::string message = "unknown option " + flag + " for galley " + command->get_name();
      std::string near = core::closest(flag, flags);
      return core::Error(core::Exit::bad_input, near.empty() ? message + "; galley " + command->get_name() + " --help lists them"
                                                             : message + "; did you mean " + near + "?");
    }
  }
  return std::nullopt;
}

// CLI11's own parse failure (a required option missing, an extra argument, a value of the wrong
// type) as a usage error, printed like every other error, pointing at the command's --help.
core::Error parse_error(const CLI::ParseError& e, const std::vector<std::string>& args, const CLI::App& app) {
  auto at = command_index(args);
  const CLI::App* command = at ? find_command(app, args[*at]) : nullptr;
  std::string help = command == nullptr ? "galley --help" : "galley " + command->get_name() + " --help";
  return core::Error(core::Exit::bad_input, std::string(e.what()) + "; " + help + " lists the options");
}

// The environment's defaults for global options the command line did not give.
void apply_environment(const CLI::App& app, Globals& g) {
  std::string data = env("GALLEY_DATA");
  if (app.count("--data") == 0 && !data.empty()) {
    for (size_t start = 0; start <= data.size();) {
      size_t end = std::min(data.find(':', start), data.size());
      if (end > start) {
        g.data.push_back(data.substr(start, end - start));
      }
      start = end + 1;
    }
  }
  std::string level = env("GALLEY_LOG_LEVEL");
  if (app.count("--log-level") == 0 && !level.empty()) {
    if (std::find(k_log_levels.begin(), k_log_levels.end(), level) == k_log_levels.end()) {
      std::string near = core::closest(level, k_log_levels);
      throw core::Error(core::Exit::bad_input, "GALLEY_LOG_LEVEL: \"" + level + "\" is not one of " +
                                                   core::join(k_log_levels) +
                                                   (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
    }
    g.log_level = level;
  }
}

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
  auto names = long_option_names(app, command);
  return std::find(names.begin(), names.end(), option) != names.end() ? "--" + line : line;
}

}  // namespace

int run(const std::vector<std::string>& args, Io& io) {
  CLI::App app{"galley: GPU cluster criteria to a locked, explainable graph of Kubernetes components", "galley"};
  app.footer(k_footer);
  app.require_subcommand(1);
  app.fallthrough();
  Globals globals;
  // Read before parsing: a usage error is coloured too. --no-color only adds to it.
  globals.no_color = !env("NO_COLOR").empty() || !env("GALLEY_NO_COLOR").empty();
  app.add_option("--data", globals.data, "layer an external catalog folder on the embedded one (repeatable)")
      ->option_text("DIR");
  one_of(app.add_option("--log-level", globals.log_level, "error, warn, info or debug"), k_log_levels);
  app.add_flag("--no-color", globals.no_color, "never colour messages");
  app.set_version_flag("--version", std::string("galley ") + GALLEY_VERSION, "print galley's version and exit");

  std::map<CLI::App*, Run> runs;
  for (const auto& spec : commands()) {
    Run run_fn;
    spec.add(app, run_fn);
    runs.emplace(app.get_subcommand(spec.name), std::move(run_fn));
  }
  Context ctx{io, globals};
  CLI::App* command = nullptr;
  try {
    std::vector<std::string> words = expand_help(args, app);
    std::vector<std::string> reversed(words.rbegin(), words.rend());
    try {
      app.parse(reversed);
    } catch (const CLI::ParseError& e) {
      if (e.get_exit_code() != 0) {
        if (auto error = misspelling(words, app)) {
          throw *error;
        }
      }
      if (e.get_exit_code() == 0) {
        return app.exit(e, io.out, io.err);  // --help, --version
      }
      throw parse_error(e, words, app);
    }
    apply_environment(app, globals);
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
