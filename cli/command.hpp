#pragma once
// What every command file shares: streams, global options, and the command table's shape.
#include <CLI/CLI.hpp>

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace galley::cli {

struct Io {
  std::ostream& out;
  std::ostream& err;
  bool err_tty = false;
  bool out_tty = false;  // stdout is a terminal: commands may print a summary for people instead of a document
  int width = 0;         // the terminal's columns (COLUMNS, else the terminal's own), 0 when unknown
};

struct Globals {
  std::vector<std::string> data;   // --data DIR, in order
  std::string log_level = "warn";  // error | warn | info | debug
  bool no_color = false;
};

struct Context {
  Io& io;
  const Globals& globals;
  void warn(const std::string& message) const;  // "galley: warning: ..." unless --log-level error
  void info(const std::string& message) const;  // only with --log-level info or debug
};

using Run = std::function<int(Context&)>;

// One entry of the command table: adds its subcommand to `app` and sets `run`.
struct CommandSpec {
  const char* name;
  void (*add)(CLI::App& app, Run& run);
};

const std::vector<CommandSpec>& commands();  // cli/commands.cpp

// The CLI's entry point: parses `args` (without the program name), runs one command.
int run(const std::vector<std::string>& args, Io& io);

}  // namespace galley::cli
