// galley-serve: the galley CLI with the server linked in; `galley serve` runs it.
#include <malloc.h>

#include <iostream>
#include <mutex>
#include <unistd.h>

#include "cli/serve.hpp"

int main(int argc, char** argv) {
  // Few malloc arenas: with one per worker thread, memory freed by one request is not reused by the
  // next on another thread, and resident memory grows with the pool (measured in bench/serve_bench.sh).
  mallopt(M_ARENA_MAX, 2);
  galley::cli::set_serve([](const galley::server::ServeOptions& options, galley::cli::Context& ctx) {
    std::mutex one_line_at_a_time;
    galley::server::serve(options, [&](const std::string& line) {
      std::lock_guard<std::mutex> lock(one_line_at_a_time);
      ctx.io.err << line << std::endl;
    });
    return 0;
  });
  galley::cli::Io io{std::cout, std::cerr, isatty(STDERR_FILENO) != 0};
  return galley::cli::run(std::vector<std::string>(argv + 1, argv + argc), io);
}
