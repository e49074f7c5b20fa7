// galley completion: a bash, zsh or fish script completing commands, flags and their values.
#include <map>
#include <sstream>

#include "cli/common.hpp"
#include "core/error.hpp"
#include "resolver/resolver.hpp"

namespace galley::cli {

namespace {
struct CompletionOptions {
  std::string shell;
};

struct Flag {
  std::string name;                 // --service
  std::vector<std::string> values;  // what may follow it, when known
  bool takes_value = false;
};

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, sep);) {
    parts.push_back(part);
  }
  return parts;
}

// The long flags of `scope`, with the values the catalog's criteria or a NAME|NAME option text allow.
std::vector<Flag> flags_of(const CLI::App& scope, const std::map<std::string, std::vector<std::string>>& criteria) {
  std::vector<Flag> flags;
  for (const CLI::Option* option : scope.get_options()) {
    for (const std::string& name : option->get_lnames()) {
      Flag flag{"--" + name, {}, option->get_items_expected_max() != 0};
      auto known = criteria.find(flag.name);
      const std::string& text = option->get_option_text();
      if (known != criteria.end()) {
        flag.values = known->second;
      } else if (text.find('|') != std::string::npos && text.find_first_of(" .") == std::string::npos &&
                 text != "FILE|DIR") {
        flag.values = split(text, '|');
      }
      flags.push_back(flag);
    }
  }
  return flags;
}

std::string words(const std::vector<std::string>& items) { return core::join(items, " "); }

std::string bash_script(const CLI::App& app, const std::map<std::string, std::vector<std::string>>& criteria) {
  std::ostringstream s;
  std::vector<std::string> commands{"help"};
  std::vector<std::string> global_names;
  std::ostringstream values;
  std::ostringstream per_command;
  // The values after a flag, matched on "COMMAND PREVIOUS-WORD" (a command's flag may share a
  // global one's name, e.g. --format, with other values).
  auto add_values = [&values](const std::string& pattern, const Flag& flag) {
    if (flag.values.empty() && flag.takes_value) {
      values << "    " << pattern << ") return ;;\n";  // a file or free text: the shell's default
    } else if (!flag.values.empty()) {
      values << "    " << pattern << ") COMPREPLY=($(compgen -W \"" << words(flag.values)
             << "\" -- \"$cur\")); return ;;\n";
    }
  };
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    commands.push_back(sub->get_name());
    std::vector<std::string> names{"--data", "--log-level", "--no-color"};
    for (const CLI::App* nested : sub->get_subcommands([](const CLI::App*) { return true; })) {
      names.push_back(nested->get_name());  // catalog leaves
    }
    for (const Flag& flag : flags_of(*sub, criteria)) {
      if (flag.name != "--help") {
        names.push_back(flag.name);
      }
      add_values("\"" + sub->get_name() + " " + flag.name + "\"", flag);
    }
    per_command << "    " << sub->get_name() << ") words=\"" << words(names) << " --help\" ;;\n";
  }
  for (const Flag& flag : flags_of(app, criteria)) {
    global_names.push_back(flag.name);
    add_values("*\" " + flag.name + "\"", flag);
  }
  s << "# galley completion for bash: source <(galley completion bash)\n"
    << "_galley() {\n"
    << "  local cur=${COMP_WORDS[COMP_CWORD]} prev=\"\" cmd=\"\" words=\"\" i\n"
    << "  [ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
    << "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
    << "    case ${COMP_WORDS[i]} in\n"
    << "      --data|--log-level) ((i++)) ;;\n"
    << "      -*) ;;\n"
    << "      *) cmd=${COMP_WORDS[i]}; break ;;\n"
    << "    esac\n"
    << "  done\n"
    << "  case \"$cmd $prev\" in\n"
    << values.str() << "  esac\n"
    << "  case $cmd in\n"
    << "    \"\") words=\"" << words(commands) << " " << words(global_names) << "\" ;;\n"
    << "    help) words=\"" << words(commands) << "\" ;;\n"
    << per_command.str() << "  esac\n"
    << "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
    << "}\n"
    << "complete -o default -F _galley galley\n";
  return s.str();
}

std::string fish_script(const CLI::App& app, const std::map<std::string, std::vector<std::string>>& criteria) {
  std::ostringstream s;
  s << "# galley completion for fish: galley completion fish | source\n"
    << "complete -c galley -f\n";
  auto add = [&s](const Flag& flag, const std::string& condition) {
    s << "complete -c galley" << condition << " -l " << flag.name.substr(2);
    if (!flag.values.empty()) {
      s << " -x -a '" << words(flag.values) << "'";
    } else if (flag.takes_value) {
      s << " -r -F";
    }
    s << '\n';
  };
  for (const Flag& flag : flags_of(app, criteria)) {
    add(flag, "");
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    s << "complete -c galley -n __fish_use_subcommand -a " << sub->get_name() << " -d '" << sub->get_description()
      << "'\n";
    for (const Flag& flag : flags_of(*sub, criteria)) {
      add(flag, " -n '__fish_seen_subcommand_from " + sub->get_name() + "'");
    }
    for (const CLI::App* nested : sub->get_subcommands([](const CLI::App*) { return true; })) {
      s << "complete -c galley -n '__fish_seen_subcommand_from " << sub->get_name() << "' -a " << nested->get_name()
        << " -d '" << nested->get_description() << "'\n";
    }
  }
  s << "complete -c galley -n __fish_use_subcommand -a help -d 'help on a command'\n";
  return s.str();
}

int run_completion(const CompletionOptions& o, const CLI::App& app, Context& ctx) {
  std::map<std::string, std::vector<std::string>> criteria;
  const core::Json described = resolver::describe_catalog(*load_catalog(ctx));
  for (const auto& [key, values] : described["criteria"].items()) {
    for (const auto& value : values) {
      criteria[criteria_flag(key)].push_back(value.get<std::string>());
    }
  }
  if (o.shell == "fish") {
    ctx.io.out << fish_script(app, criteria);
  } else if (o.shell == "zsh") {
    ctx.io.out << "#compdef galley\n# galley completion for zsh: source <(galley completion zsh)\n"
               << "autoload -U +X bashcompinit && bashcompinit\n"
               << bash_script(app, criteria);
  } else {
    ctx.io.out << bash_script(app, criteria);
  }
  return 0;
}
}  // namespace

void add_completion(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<CompletionOptions>(app, "completion", "print a shell completion script (bash, zsh or fish)",
      R"(Examples:
  source <(galley completion bash)                 # in ~/.bashrc
  source <(galley completion zsh)                  # in ~/.zshrc
  galley completion fish > ~/.config/fish/completions/galley.fish
Commands, flags, and the values of the catalog's criteria (--service, --accelerator, ...) and of
--format-like options complete; --data layers given through GALLEY_DATA are included.)");
  one_of(sub->add_option("shell", opts->shell, "the shell")->required(), {"bash", "zsh", "fish"});
  const CLI::App* top = &app;
  run = [opts, top](Context& ctx) { return run_completion(*opts, *top, ctx); };
}

}  // namespace galley::cli
