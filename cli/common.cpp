#include "cli/common.hpp"

#include <algorithm>
#include <filesystem>
#include <ostream>
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

void add_criteria_fields(CLI::App& app, std::map<std::string, std::string>& fields, const std::vector<std::string>& keys,
                         const std::string& group) {
  for (const auto& flag : k_criteria_flags) {
    std::string key = flag.key;
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
      app.add_option_function<std::string>(flag.flag, [&fields, key](const std::string& v) { fields[key] = v; }, flag.help)
          ->group(group);
    }
  }
}

void add_criteria_flags(CLI::App& app, CriteriaFlags& f) {
  app.add_option("--criteria", f.criteria_file, "a Criteria file; flags override its fields")->option_text("FILE");
  add_criteria_fields(app, f.fields, resolver::criteria_keys(), "Criteria");
  app.add_option_function<long long>("--nodes", [&f](long long n) { f.nodes = n; }, "number of GPU nodes")
      ->group("Criteria");
  app.add_option("--pool", f.pools,
                 "a node pool NAME:accelerator=X,intent=Y[,os=Z,platform=P,nodes=N] (repeat for each pool)")
      ->option_text("POOL")
      ->group("Criteria");
  app.add_flag("--allow-partial", f.allow_partial,
               "accept criteria the catalog does not cover (the recipe says so in spec.partial)")
      ->group("Criteria");
}

bool has_criteria(const CriteriaFlags& f) {
  return !f.criteria_file.empty() || !f.fields.empty() || f.nodes || !f.pools.empty();
}

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

namespace {
// The one list of --format words, in the order help shows them.
const std::pair<const char*, Format> k_formats[] = {
    {"table", Format::table}, {"yaml", Format::yaml}, {"json", Format::json},
    {"junit", Format::junit}, {"ctrf", Format::ctrf},
};
}  // namespace

CLI::Option* add_format_flag(CLI::App& app, Format& format, const std::vector<Format>& accepted, const std::string& help) {
  std::vector<std::pair<std::string, Format>> choices;
  for (const auto& [word, value] : k_formats) {
    if (std::find(accepted.begin(), accepted.end(), value) != accepted.end()) {
      choices.emplace_back(word, value);
    }
  }
  std::vector<std::string> words;
  for (const auto& choice : choices) {
    words.push_back(choice.first);
  }
  return add_choice<Format>(app, "--format", format, choices, help + ": " + core::join(words, ", "));
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
  std::transform(f.pools.begin(), f.pools.end(), std::back_inserter(flags.pools), resolver::parse_pool);
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

namespace {
// Whether the file at `path` is Galley's output of `kind`.
bool holds_kind(const std::string& path, const OutputKind& kind) {
  if (kind.kind.empty() && kind.marker.empty()) {
    return false;
  }
  std::string text;
  try {
    text = core::read_file(path);
  } catch (const core::Error&) {
    return false;  // unreadable or too large: not ours to replace
  }
  if (!kind.marker.empty()) {
    return text.find(kind.marker) != std::string::npos;
  }
  try {
    Json value = core::parse_yaml(text, path).value;
    return value.is_object() && value.value("kind", Json()) == kind.kind &&
           value.value("apiVersion", std::string()).starts_with("galley.dev/");
  } catch (const core::Error&) {
    return false;
  }
}
}  // namespace

void write_output(const Context& ctx, const std::string& output, const std::string& text, const OutputKind& kind,
                  bool force) {
  if (output == "-" || output.empty()) {
    ctx.io.out << text;
    ctx.io.out.flush();
    return;
  }
  refuse_format_as_output(output);
  std::error_code ec;
  if (!force && std::filesystem::exists(std::filesystem::symlink_status(output, ec)) && !holds_kind(output, kind)) {
    std::string what = !kind.kind.empty()     ? " and is not a Galley " + kind.kind
                       : !kind.marker.empty() ? " and is not this command's output"
                                              : "";
    throw core::Error(core::Exit::bad_input, core::OptionField{"force"},
                      output + " exists" + what + "; replacing it needs this option");
  }
  ParentFolders parents(output);
  core::write_file_atomic(output, text);
  parents.keep();
}

std::string render(const Json& value, Format format) {
  return format == Format::json ? core::to_pretty_json(value) : core::to_yaml(value);
}

namespace {
// The characters (not bytes) of UTF-8 text.
size_t text_width(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// `line` cut to `width` characters, "..." ending a cut line.
std::string cut(const std::string& line, size_t width) {
  if (width < 4 || text_width(line) <= width) {
    return line;
  }
  size_t kept = 0;
  size_t i = 0;
  for (; i < line.size(); ++i) {
    if ((line[i] & 0xC0) != 0x80 && ++kept > width - 3) {
      break;
    }
  }
  return line.substr(0, i) + "...";
}
}  // namespace

std::string aligned(const std::vector<std::vector<std::string>>& rows, const std::string& indent) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    for (size_t i = 0; i + 1 < row.size(); ++i) {
      widths.resize(std::max(widths.size(), i + 1));
      widths[i] = std::max(widths[i], text_width(row[i]));
    }
  }
  std::string text;
  for (const auto& row : rows) {
    std::string line = indent;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) {
        line += std::string(widths[i] - text_width(row[i]) + 2, ' ');
      }
    }
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    text += line + '\n';
  }
  return text;
}

std::string fit_width(const std::string& text, int width) {
  if (width <= 0) {
    return text;
  }
  std::string fitted;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end;
    fitted += cut(text.substr(start, end - start), static_cast<size_t>(width));
    if (end < text.size()) {
      fitted += '\n';
    }
    start = end + 1;
  }
  return fitted;
}

Format chosen_format(const Context& ctx, const CLI::Option* option, Format format, const std::string& output,
                     Format document) {
  if (option->count() > 0) {
    return format;
  }
  return ctx.io.out_tty && (output.empty() || output == "-") ? Format::table : document;
}

std::string render_or_table(const Json& value, Format format, std::string (*table)(const Json&)) {
  return format == Format::table ? table(value) : render(value, format);
}

Progress::Progress(const Context& ctx) : m_err(ctx.io.err_tty ? &ctx.io.err : nullptr) {}

Progress::~Progress() {
  if (m_shown) {
    *m_err << "\r\033[K" << std::flush;
  }
}

std::function<void(const std::string&)> Progress::callback() {
  if (m_err == nullptr) {
    return {};
  }
  return [this](const std::string& step) {
    *m_err << "\r\033[Kgalley: " << step << std::flush;
    m_shown = true;
  };
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
