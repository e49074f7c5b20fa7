#pragma once
// Helpers shared by several commands: criteria flags, catalog loading, documents in and out.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <utility>

#include "cli/command.hpp"
#include "core/document.hpp"
#include "resolver/resolver.hpp"

namespace galley::cli {

enum class Format { yaml, json };

struct CriteriaFlags {
  std::string criteria_file;
  std::map<std::string, std::string> fields;  // filled by the flags below
  std::optional<long long> nodes;
  bool allow_partial = false;  // --allow-partial: accept criteria the catalog does not cover
};

// --service --accelerator --os --os-version --kubernetes --intent --platform --nodes --criteria
// --allow-partial.
void add_criteria_flags(CLI::App& app, CriteriaFlags& flags);
// The flag that sets criteria key `key` ("osVersion" -> "--os-version"; "--KEY" for any other).
std::string criteria_flag(const std::string& key);
bool has_criteria(const CriteriaFlags& flags);

// A subcommand `name` of `app`, `description` in the command list; `footer` ends its --help (examples
// first, then notes, as the help text shows them). Returns the subcommand, owned by `app`.
CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& description, const std::string& footer);
// The same, with the options object its flags bind to, shared with the command's run function.
template <typename Options>
std::pair<CLI::App*, std::shared_ptr<Options>> add_command(CLI::App& app, const std::string& name,
                                                           const std::string& description, const std::string& footer) {
  return {add_command(app, name, description, footer), std::make_shared<Options>()};
}

// Restricts `option` to one of `names`, shown as NAME|NAME in --help; any other value is refused
// (exit 2) with the closest name suggested. Returns `option`.
CLI::Option* one_of(CLI::Option* option, const std::vector<std::string>& names);

// An option taking one of the names in `choices` (shown as NAME|NAME in --help, nothing else
// accepted, numbers included) and setting `target` to the value paired with it. Returns the option.
template <typename T>
CLI::Option* add_choice(CLI::App& app, const std::string& flag, T& target,
                        const std::vector<std::pair<std::string, T>>& choices, const std::string& help) {
  std::vector<std::string> names;
  for (const auto& choice : choices) {
    names.push_back(choice.first);
  }
  return add_choice(app, flag, names, [&target, choices](size_t index) { target = choices[index].second; }, help);
}
// The same, calling `choose` with the index in `names` of the value given.
CLI::Option* add_choice(CLI::App& app, const std::string& flag, const std::vector<std::string>& names,
                        const std::function<void(size_t)>& choose, const std::string& help);

// --format yaml|json
void add_format_flag(CLI::App& app, Format& format, const std::string& what = "output format");

// The embedded catalog with every --data layer on top.
std::shared_ptr<const resolver::Catalog> load_catalog(const Context& ctx);

// Criteria from --criteria FILE with the flags laid over it.
resolver::Criteria load_criteria(const CriteriaFlags& flags);

// Reads and checks a document file ("-" = stdin).
core::Document read_document(const std::string& path);

// A checked Recipe from a file, or resolved from criteria flags.
core::Json recipe_from(const Context& ctx, const std::string& recipe_file, const CriteriaFlags& flags);

// Throws core::Error(bad_input) when an output path is a bare format name ("-o json", a kubectl
// habit), suggesting --format; "./json" still names such a file.
void refuse_format_as_output(const std::string& output);

// The missing folders above `path` (an output about to be written), created now. Unless kept, they
// are removed again when this goes out of scope (deepest first, only while empty), so a command that
// fails after this leaves nothing behind. Throws core::Error(io) when one cannot be made.
class ParentFolders {
 public:
  explicit ParentFolders(const std::string& path);
  ~ParentFolders();
  ParentFolders(const ParentFolders&) = delete;
  ParentFolders& operator=(const ParentFolders&) = delete;
  void keep() { m_created.clear(); }  // the output was written

 private:
  void remove_created();  // deepest first, each only while empty

  std::vector<std::filesystem::path> m_created;  // outermost first
};

// Writes text to stdout ("-") or atomically to a file, creating its missing parent folders; refuses
// a bare format name as refuse_format_as_output does.
void write_output(const Context& ctx, const std::string& output, const std::string& text);

std::string render(const core::Json& value, Format format);

// `value` for a --format of table, yaml or json: "table" gives `table(value)`, the others render().
std::string render_or_table(const core::Json& value, const std::string& format,
                            std::string (*table)(const core::Json&));

// Prints a warning for every advisory and unmatched criterion the recipe carries.
void warn_about(const Context& ctx, const core::Json& recipe);

}  // namespace galley::cli
