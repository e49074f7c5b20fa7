#include "render/internal/templates.hpp"

// kainjow's templates, inlined into this file, trip g++ 12's -Wnull-dereference inside libstdc++
// (a false positive in std::construct_at); the rest of our code keeps the warning.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <kainjow/mustache.hpp>

#include <filesystem>
#include <optional>

#include "bundle/folder.hpp"
#include "bundle/folder_write.hpp"
#include "core/deadline.hpp"
#include "core/embedded.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/hash.hpp"
#include "render/render.hpp"

namespace galley::render {

namespace mustache = kainjow::mustache;
using core::Error;
using core::Exit;
using core::Json;

namespace {

constexpr std::string_view k_suffix = ".mustache";

// A Mustache context that remembers names it could not resolve. Our templates use sections only
// over values that are always present (false or [] when there is nothing), so any miss is a typo
// or an override asking for a variable we do not provide.
class StrictContext : public mustache::context<std::string> {
 public:
  explicit StrictContext(const mustache::data* root) : mustache::context<std::string>(root) {}
  const mustache::data* get(const std::string& name) const override {
    const mustache::data* found = mustache::context<std::string>::get(name);
    if (found == nullptr && m_missing.empty()) {
      m_missing = name;
    }
    return found;
  }
  const std::string& missing() const { return m_missing; }

 private:
  mutable std::string m_missing;
};

mustache::data to_data(const Json& v) {
  if (v.is_object()) {
    mustache::data d{mustache::data::type::object};
    for (const auto& [k, child] : v.items()) {
      d.set(k, to_data(child));
    }
    return d;
  }
  if (v.is_array()) {
    mustache::data d{mustache::data::type::list};
    for (const auto& child : v) {
      d.push_back(to_data(child));
    }
    return d;
  }
  if (v.is_boolean()) {
    return v.get<bool>() ? mustache::data{mustache::data::type::bool_true} : mustache::data{mustache::data::type::bool_false};
  }
  if (v.is_string()) {
    return mustache::data{v.get<std::string>()};
  }
  return mustache::data{v.dump()};
}

// Mustache says a line holding only a section tag ({{#x}}, {{^x}}, {{/x}}) leaves no trace in the
// output; kainjow 4.1 leaves a blank line after a false section's closing tag. We apply the rule
// ourselves: such a line gets a marker byte (\x01) after its tag, so kainjow sees no standalone
// line, and every "marker + newline" is removed from the output. Rendered values never hold the
// byte (the YAML emitter escapes control characters), and a template may not contain it.
constexpr char k_marker = '\x01';

std::string mark_standalone_section_lines(const std::string& name, const std::string& text) {
  if (text.find(k_marker) != std::string::npos) {
    throw Error(Exit::bad_input, core::Where{"template " + name, 0, ""}, "contains a control character (0x01)");
  }
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    size_t stop = end == std::string::npos ? text.size() : end;
    std::string line = text.substr(start, stop - start);
    size_t first = line.find_first_not_of(" \t");
    size_t last = line.find_last_not_of(" \t");
    bool section = first != std::string::npos && line.size() - first >= 5 && line.compare(first, 2, "{{") == 0 &&
                   (line[first + 2] == '#' || line[first + 2] == '^' || line[first + 2] == '/');
    bool standalone = section && line.find("}}", first) == last - 1 && line.find("{{", first + 2) == std::string::npos;
    out += standalone ? line.substr(first, last - first + 1) + k_marker : line;
    out += end == std::string::npos ? "" : "\n";
    start = stop + 1;
  }
  return out;
}

std::string remove_markers(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == k_marker) {
      i += (i + 1 < text.size() && text[i + 1] == '\n') ? 1 : 0;
      continue;
    }
    out += text[i];
  }
  return out;
}

}  // namespace

std::vector<std::string> Templates::names() {
  std::vector<std::string> out;
  for (const auto& f : templates_data::files()) {
    std::string p(f.path);
    out.push_back(p.substr(0, p.size() - k_suffix.size()));
  }
  return out;
}

Templates::Templates(const std::map<std::string, std::string>& overrides) {
  for (const auto& f : templates_data::files()) {
    std::string p(f.path);
    std::string name = p.substr(0, p.size() - k_suffix.size());
    m_texts[name] = mark_standalone_section_lines(name, std::string(f.bytes));
  }
  for (const auto& [name, text] : overrides) {
    if (!m_texts.contains(name)) {
      std::vector<std::string> known = names();
      std::string near = core::closest(name, known);
      throw Error(Exit::bad_input, core::Where{"", 0, "template " + name},
                  "not a template name (known: " + core::join(known) + ")" +
                      (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
    }
    mustache::mustache parsed{text};
    if (!parsed.is_valid()) {
      throw Error(Exit::bad_input, core::Where{"", 0, "template " + name}, parsed.error_message());
    }
    m_texts[name] = mark_standalone_section_lines(name, text);
  }
}

std::string Templates::render(const std::string& name, const Json& data) const {
  core::check_deadline();
  auto it = m_texts.find(name);
  if (it == m_texts.end()) {
    throw Error(Exit::bad_input, "no template named " + name);
  }
  mustache::mustache tmpl{it->second};
  if (!tmpl.is_valid()) {
    throw Error(Exit::bad_input, core::Where{"template " + name, 0, ""}, tmpl.error_message());
  }
  tmpl.set_custom_escape([](const std::string& s) { return s; });  // YAML and shell, not HTML
  mustache::data root = to_data(data);
  StrictContext ctx(&root);
  std::string out = remove_markers(tmpl.render(ctx));
  if (!ctx.missing().empty()) {
    throw Error(Exit::bad_input, core::Where{"template " + name, 0, ""},
                "variable {{" + ctx.missing() + "}} has no value");
  }
  if (!tmpl.is_valid()) {
    throw Error(Exit::bad_input, core::Where{"template " + name, 0, ""}, tmpl.error_message());
  }
  return out;
}

std::string Templates::digest() const {
  core::Sha256 h;
  for (const auto& [name, text] : m_texts) {
    h.update(name + ":" + std::to_string(text.size()) + ":");
    h.update(text);
  }
  return "sha256:" + h.hex();
}

void export_templates(const std::string& dir, Overwrite overwrite) {
  namespace fs = std::filesystem;
  fs::path target = bundle::normal_target(dir);
  bundle::Target state = bundle::target_state(target);
  if (state == bundle::Target::other) {
    throw Error(Exit::bad_input, core::Where{dir, 0, ""}, "exists and is not a folder: not overwritten");
  }
  if (state == bundle::Target::folder && overwrite == Overwrite::no) {
    throw Error(Exit::bad_input, core::OptionField{"force"}, dir + " exists and is not an empty folder: not overwritten");
  }
  std::error_code ec;
  if (!fs::is_directory(target.parent_path(), ec)) {
    throw Error(Exit::io, core::Where{dir, 0, ""}, "the parent folder does not exist");
  }
  // A new (or empty) folder is written whole beside the target and renamed into place; --force
  // into a folder of the user's replaces the template files one by one, each atomically.
  std::optional<bundle::TempDir> tmp;
  if (state != bundle::Target::folder) {
    tmp.emplace(bundle::temp_beside(target, "new"));
  }
  const fs::path root = tmp ? tmp->path() : target;
  for (const auto& f : templates_data::files()) {
    fs::path file = root / std::string(f.path);
    fs::create_directories(file.parent_path(), ec);
    if (ec) {
      throw Error(Exit::io, core::Where{(fs::path(dir) / std::string(f.path)).parent_path().string(), 0, ""},
                  "cannot create the folder: " + ec.message());
    }
    core::write_file_atomic(file.string(), std::string(f.bytes));
  }
  if (tmp) {
    bundle::move_into_place(*tmp, target, dir, "templates folder", bundle::Replace::no);
  }
}

std::map<std::string, std::string> read_template_folder(const std::string& dir) {
  constexpr size_t k_max_template = 1u << 20;
  constexpr std::uint64_t k_max_template_entries = 10'000;
  constexpr std::uint64_t k_max_template_bytes = 64u << 20;
  std::map<std::string, std::string> out;
  // bundle/'s walker: a symbolic link (to a file or a folder, inside or outside) or a special file
  // anywhere below `dir` is refused, so a template folder can never pull in a file from elsewhere.
  bundle::WalkOptions options;
  options.max_entries = k_max_template_entries;
  options.max_bytes = k_max_template_bytes;
  bundle::Folder folder = bundle::walk_folder(dir, options);
  for (const auto& [rel, facts] : folder.files) {
    std::string name = rel.ends_with(k_suffix) ? rel.substr(0, rel.size() - k_suffix.size()) : rel;
    if (!out.contains(name)) {
      out[name] = core::read_file(dir + "/" + rel, k_max_template);  // unknown names: refused by Templates
    }
  }
  return out;
}

}  // namespace galley::render
