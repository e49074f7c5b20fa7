// The command table: one line per command, in the order `galley --help` lists them.
#include "cli/command.hpp"

namespace galley::cli {

void add_recipe(CLI::App& app, Run& run);
void add_bundle(CLI::App& app, Run& run);
void add_query(CLI::App& app, Run& run);
void add_explain(CLI::App& app, Run& run);
void add_diff(CLI::App& app, Run& run);
void add_catalog(CLI::App& app, Run& run);
void add_lint(CLI::App& app, Run& run);
void add_version(CLI::App& app, Run& run);
void add_snapshot(CLI::App& app, Run& run);
void add_validate(CLI::App& app, Run& run);
void add_keygen(CLI::App& app, Run& run);
void add_attest(CLI::App& app, Run& run);
void add_verify(CLI::App& app, Run& run);
void add_timestamp(CLI::App& app, Run& run);
void add_push(CLI::App& app, Run& run);
void add_pull(CLI::App& app, Run& run);
void add_publish(CLI::App& app, Run& run);
void add_completion(CLI::App& app, Run& run);
void add_templates(CLI::App& app, Run& run);
void add_conformance(CLI::App& app, Run& run);
void add_images(CLI::App& app, Run& run);
void add_mirror(CLI::App& app, Run& run);
void add_serve(CLI::App& app, Run& run);

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> table = {
      {"recipe", add_recipe},   {"bundle", add_bundle},   {"query", add_query},     {"explain", add_explain},
      {"diff", add_diff},       {"catalog", add_catalog}, {"lint", add_lint},         {"version", add_version},
      {"snapshot", add_snapshot}, {"validate", add_validate},
      {"keygen", add_keygen},   {"attest", add_attest},   {"verify", add_verify},   {"timestamp", add_timestamp},
      {"push", add_push},       {"pull", add_pull},       {"publish", add_publish}, {"completion", add_completion},
      {"templates", add_templates},
      {"conformance", add_conformance},
      {"images", add_images},
      {"mirror", add_mirror},
      {"serve", add_serve},
  };
  return table;
}

}  // namespace galley::cli
