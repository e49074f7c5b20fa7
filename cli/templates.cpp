// galley templates export: the embedded bundle templates, as files to edit and pass to --templates.
#include <iostream>

#include "cli/common.hpp"
#include "render/render.hpp"

namespace galley::cli {

namespace {
struct TemplatesOptions {
  std::string action;
  std::string dir;
  bool force = false;
};

int run_templates(const TemplatesOptions& o, Context& ctx) {
  ParentFolders parents(o.dir);
  render::export_templates(o.dir, o.force ? render::Overwrite::yes : render::Overwrite::no);
  parents.keep();
  ctx.io.out << "wrote " << render::template_names().size() << " templates to " << o.dir << "\n";
  return 0;
}
}  // namespace

void add_templates(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<TemplatesOptions>(app, "templates", "export the embedded bundle templates",
      R"(Examples:
  galley templates export my-templates      # my-templates/helm/deploy.sh.mustache, ...
  galley bundle --recipe recipe.yaml --deployer helm -o out --templates my-templates
Edit the files you need and delete the others: --templates overrides the embedded templates by name.
A non-empty folder is refused unless --force (which replaces the template files only).)");
  one_of(sub->add_option("action", opts->action, "export")->required(), {"export"});
  sub->add_option("dir", opts->dir, "the folder to write")->required()->option_text("DIR");
  sub->add_flag("--force", opts->force, "write into a non-empty folder");
  run = [opts](Context& ctx) { return run_templates(*opts, ctx); };
}

}  // namespace galley::cli
