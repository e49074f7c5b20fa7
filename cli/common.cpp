#include "cli/common.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/schema.hpp"
#include "core/yaml_emit.hpp"
#include "resolver/recipe_doc.hpp"

namespace galley::cli {

using core::Json;

void Context::warn(const std::string& message) const {
  if (globals.log_level != "error") {
    io.err << "galley: warning: " << message << '\n';
  }
}

void Context::info(const std::string& message) const {
  if (globals.log_level == "info" || globals.log_level == "debug") {
    io.err << "galley: " << message << '\n';
  }
}

namespace {

// The flag of each criteria key.
struct CriteriaFlag {
  const char* flag;
  const char* key;
  const char* help;
};
const CriteriaFlag k_criteria_flags[] = {
    {"--service", "service", "cloud or Kubernetes service (eks, gke, aks, oke, kind, ...)"},
    {"--accelerator", "accelerator", "GPU model (h100, h200, b200, gb200, ...)"},
    {"--os", "os", "node OS (ubuntu, cos, al2023, ...)"},
    {"--os-version", "osVersion", "node OS version, e.g. 24.04"},
    {"--kubernetes", "kubernetes", "Kubernetes version, e.g. 1.33 or v1.35.1-gke.1616000"},
    {"--intent", "intent", "workload intent (training, inference)"},
    {"--platform", "platform", "platform on top (kubeflow, dynamo, llm-d, ...)"},
};

}  // namespace

std::string criteria_flag(const std::string& key) {
  for (const auto& flag : k_criteria_flags) {
    if (key == flag.key) {
      return flag.flag;
    }
  }
  return "--" + key;
}

void add_criteria_flags(CLI::App& app, CriteriaFlags& f) {
  app.add_option("--criteria", f.criteria_file, "a Criteria file; flags override its fields")->option_text("FILE");
  for (const auto& flag : k_criteria_flags) {
    std::string key = flag.key;
    app.add_option_function<std::string>(flag.flag, [&f, key](const std::string& v) { f.fields[key] = v; }, flag.help)
        ->group("Criteria");
  }
  app.add_option_function<long long>("--nodes", [&f](long long n) { f.nodes = n; }, "number of GPU nodes")
      ->group("Criteria");
  app.add_flag("--allow-partial", f.allow_partial,
               "accept criteria the catalog does not cover (the recipe says so in spec.partial)")
      ->group("Criteria");
}

bool has_criteria(const CriteriaFlags& f) { return !f.criteria_file.empty() || !f.fields.empty() || f.nodes; }

CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& description, const std::string& footer) {
  CLI::App* sub = app.add_subcommand(name, description);
  sub->footer(footer);
  return sub;
}

CLI::Option* one_of(CLI::Option* option, const std::vector<std::string>& names) {
  option->check(CLI::Validator(
      [names](const std::string& value) -> std::string {
        if (std::find(names.begin(), names.end(), value) != names.end()) {
          return "";
        }
        std::string message = "\"" + value + "\" is not one of " + core::join(names);
        std::string near = core::closest(value, names);
        return near.empty() ? message : message + "; did you mean \"" + near + "\"?";
      },
      ""));
  return option->option_text(core::join(names, "|"));
}

CLI::Option* add_choice(CLI::App& app, const std::string& flag, const std::vector<std::string>& names,
                        const std::function<void(size_t)>& choose, const std::string& help) {
  auto* option = app.add_option_function<std::string>(
      flag,
      [names, choose](const std::string& value) {
        choose(static_cast<size_t>(std::find(names.begin(), names.end(), value) - names.begin()));
      },
      help);
  return one_of(option, names);
}

void add_format_flag(CLI::App& app, Format& format, const std::string& what) {
  add_choice<Format>(app, "--format", format, {{"yaml", Format::yaml}, {"json", Format::json}}, what + ": yaml or json");
}

std::shared_ptr<const resolver::Catalog> load_catalog(const Context& ctx) {
  std::vector<resolver::CatalogSource> layers;
  layers.push_back(resolver::embedded_source());  // not an initializer list: that would copy it
  for (const auto& dir : ctx.globals.data) {
    layers.push_back(resolver::read_catalog_dir(dir));
  }
  auto catalog = resolver::load_catalog(std::move(layers));
  // Kept for the life of the process and never torn down: a command ends soon after, and freeing
  // the catalog's thousands of nodes one by one would cost every run ~0.5 ms for nothing.
  static auto* keep = new std::vector<std::shared_ptr<const resolver::Catalog>>();
  keep->push_back(catalog);
  return catalog;
}

core::Document read_document(const std::string& path) {
  return core::parse_yaml(core::read_input(path), core::input_name(path));
}

resolver::Criteria load_criteria(const CriteriaFlags& f) {
  resolver::Criteria c;
  if (!f.criteria_file.empty()) {
    c = resolver::read_criteria(read_document(f.criteria_file));
  }
  resolver::Criteria flags;
  flags.fields = f.fields;
  flags.nodes = f.nodes;
  return resolver::overlay_criteria(c, flags);
}

Json recipe_from(const Context& ctx, const std::string& recipe_file, const CriteriaFlags& flags) {
  if (!recipe_file.empty()) {
    if (has_criteria(flags)) {
      throw core::Error(core::Exit::bad_input, "give either --recipe or criteria, not both");
    }
    return resolver::read_recipe(recipe_file).value;
  }
  if (!has_criteria(flags)) {
    throw core::Error(core::Exit::bad_input, "no criteria: give --recipe FILE, --criteria FILE or criteria flags "
                                             "such as --service eks --accelerator h100 --intent training");
  }
  auto catalog = load_catalog(ctx);
  return resolver::resolve(*catalog, load_criteria(flags), resolver::ResolveOptions{flags.allow_partial});
}

void refuse_format_as_output(const std::string& output) {
  for (const char* format : {"json", "yaml", "table"}) {
    if (output == format) {
      throw core::Error(core::Exit::bad_input, std::string("-o names a file to write, not a format: did you mean --format ") +
                                                   format + "? (write -o ./" + format + " for a file named " + format + ")");
    }
  }
}

ParentFolders::ParentFolders(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::path p = fs::path(path).lexically_normal().parent_path(); !p.empty() && !fs::exists(fs::symlink_status(p, ec));
       p = p.parent_path()) {
    m_created.insert(m_created.begin(), p);
    if (p == p.parent_path()) {
      break;
    }
  }
  for (size_t i = 0; i < m_created.size(); ++i) {
    if (!fs::create_directory(m_created[i], ec) && ec) {
      std::string message = path + ": cannot create the folder " + m_created[i].string() + ": " + ec.message();
      m_created.resize(i);
      remove_created();  // the destructor does not run for a constructor that throws
      throw core::Error(core::Exit::io, message);
    }
  }
}

ParentFolders::~ParentFolders() { remove_created(); }

void ParentFolders::remove_created() {
  std::error_code ec;
  for (auto it = m_created.rbegin(); it != m_created.rend(); ++it) {
    std::filesystem::remove(*it, ec);  // removes only an empty folder
  }
}

void write_output(const Context& ctx, const std::string& output, const std::string& text) {
  if (output == "-" || output.empty()) {
    ctx.io.out << text;
    ctx.io.out.flush();
    return;
  }
  refuse_format_as_output(output);
  ParentFolders parents(output);
  core::write_file_atomic(output, text);
  parents.keep();
}

std::string render(const Json& value, Format format) {
  return format == Format::json ? core::to_pretty_json(value) : core::to_yaml(value);
}

std::string render_or_table(const Json& value, const std::string& format, std::string (*table)(const Json&)) {
  return format == "table" ? table(value) : render(value, format == "json" ? Format::json : Format::yaml);
}

void warn_about(const Context& ctx, const Json& recipe) {
  const Json& spec = recipe["spec"];
  for (const auto& k : spec.value("unmatchedCriteria", Json::array())) {
    ctx.warn("no overlay in the catalog is specific to " + k.get<std::string>() + "=" +
             spec["criteria"][k.get<std::string>()].get<std::string>() + "; the recipe does not depend on it");
  }
  auto to_warn = resolver::advisories_to_warn(recipe);
  for (const auto& a : spec.value("advisories", Json::array())) {
    if (std::find(to_warn.begin(), to_warn.end(), a["name"].get<std::string>()) == to_warn.end()) {
      continue;  // it changed nothing here; spec.advisories keeps the full record
    }
    ctx.warn("advisory " + a["name"].get<std::string>() + ": " + a["effect"].get<std::string>() + " (" +
             a["action"].get<std::string>() + ")");
  }
}

}  // namespace galley::cli
