// galley lint: check the whole catalog (embedded plus --data layers).
#include "cli/common.hpp"
#include "resolver/resolver.hpp"

namespace galley::cli {

void add_lint(CLI::App& app, Run& run) {
  add_command(app, "lint", "check the catalog: schemas, every leaf resolves, values keys exist upstream",
              R"(Examples:
  galley lint
  galley --data ./my-catalog lint
Exit 0 when clean, 1 with one line per problem, 2 when a document is malformed.)");
  run = [](Context& ctx) {
    auto catalog = load_catalog(ctx);                      // schemas, references, paths
    auto problems = resolver::lint_catalog(*catalog);      // leaves, values keys, version ranges
    for (const auto& p : problems) {
      ctx.io.err << "galley: lint: " << p << '\n';
    }
    ctx.io.out << "lint: " << problems.size() << " problem(s), "
               << resolver::leaf_overlays(*catalog).size() << " leaves\n";
    return problems.empty() ? 0 : 1;
  };
}

}  // namespace galley::cli
