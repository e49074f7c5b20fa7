#include <iostream>
#include <unistd.h>

#include "cli/command.hpp"

int main(int argc, char** argv) {
  galley::cli::Io io{std::cout, std::cerr, isatty(STDERR_FILENO) != 0};
  return galley::cli::run(std::vector<std::string>(argv + 1, argv + argc), io);
}
