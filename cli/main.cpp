#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "cli/command.hpp"

namespace {

// The columns of the terminal on stdout: COLUMNS when it is a positive number, else what the
// terminal says; 0 when stdout is not a terminal or its width is unknown (nothing is cut).
int terminal_width() {
  if (isatty(STDOUT_FILENO) == 0) {
    return 0;
  }
  const char* columns = std::getenv("COLUMNS");
  if (columns != nullptr && *columns != '\0') {
    char* end = nullptr;
    long n = std::strtol(columns, &end, 10);
    if (*end == '\0' && n > 0 && n < 10000) {
      return static_cast<int>(n);
    }
  }
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  galley::cli::Io io{std::cout, std::cerr, isatty(STDERR_FILENO) != 0, isatty(STDOUT_FILENO) != 0, terminal_width()};
  return galley::cli::run(std::vector<std::string>(argv + 1, argv + argc), io);
}
