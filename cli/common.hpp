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

// The words --format takes, the same everywhere it applies: table (for people), yaml, json; junit
// and ctrf for reports.
enum class Format { table, yaml, json, junit, ctrf };

struct CriteriaFlags {
  std::string criteria_file;
  std::map<std::string, std::string> fields;  // filled by the flags below
  std::optional<long long> nodes;
  std::vector<std::string> pools;  // --pool NAME:key=value,... (repeatable)
  bool allow_partial = false;  // --allow-partial: accept criteria the catalog does not cover
};

// --service --accelerator --os --os-version --kubernetes --intent --platform --nodes --pool --criteria
// --allow-partial.
void add_criteria_flags(CLI::App& app, CriteriaFlags& flags);
// The flag that sets criteria key `key` ("osVersion" -> "--os-version"; "--KEY" for any other).
std::string criteria_flag(const std::string& key);
bool has_criteria(const CriteriaFlags& flags);
// A flag per criteria key in `keys` (--service, ...) setting fields[key], in help group `group`.
void add_criteria_fields(CLI::App& app, std::map<std::string, std::string>& fields, const std::vector<std::string>& keys,
                         const std::string& group);

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

// --format taking the words of `accepted` (from the shared list, shown in its order) and setting
// `format`; any other word is refused with the valid ones. Returns the option (its count() says
// whether it was given).
CLI::Option* add_format_flag(CLI::App& app, Format& format, const std::vector<Format>& accepted,
                             const std::string& help = "output format");

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

// Which existing file an output may replace without --force: Galley's own output of the same sort
// (neither set: none; every existing file needs --force).
struct OutputKind {
  std::string kind;    // a Galley document (apiVersion galley.dev/...) of this kind ("Recipe"), or
  std::string marker;  // for outputs that are not documents: text every such output holds
};

// Writes text to stdout ("-") or atomically to a file, creating its missing parent folders; refuses
// a bare format name as refuse_format_as_output does. An existing file is replaced only when it is
// of `kind` or `force` is set; otherwise throws core::Error(bad_input, field "force") and writes
// nothing.
void write_output(const Context& ctx, const std::string& output, const std::string& text, const OutputKind& kind,
                  bool force);

std::string render(const core::Json& value, Format format);

// `rows` as aligned columns (two spaces apart, each line after `indent`). Widths count UTF-8
// characters.
std::string aligned(const std::vector<std::vector<std::string>>& rows, const std::string& indent = "  ");

// `text` with every line longer than `width` characters cut to it, ending in "..."; unchanged when
// `width` is 0 (not a terminal, or its width unknown).
std::string fit_width(const std::string& text, int width);

// The format a command that prints a document or a table for people uses: `format` when --format
// (`option`) was given, else table when the output is a terminal (stdout, no -o FILE), else `document`.
Format chosen_format(const Context& ctx, const CLI::Option* option, Format format, const std::string& output,
                     Format document);

// `value` for a --format of table, yaml or json: table gives `table(value)`, the others render().
std::string render_or_table(const core::Json& value, Format format, std::string (*table)(const core::Json&));

// The one owner of progress shown for long work (push, pull, fleet validate): libraries take a
// callback and report each step through it; this shows each step on stderr, overwriting the one
// before, and only when stderr is a terminal (never in a pipe, a file or a CI log). The last step
// is cleared when the owner goes out of scope, before any result or error is printed.
class Progress {
 public:
  explicit Progress(const Context& ctx);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  // The callback to hand to a library: empty (nothing reported) when stderr is not a terminal.
  // Valid while this object lives.
  std::function<void(const std::string&)> callback();

 private:
  std::ostream* m_err = nullptr;  // null when stderr is not a terminal
  bool m_shown = false;           // a step is on the screen
};

// Prints a warning for every advisory and unmatched criterion the recipe carries.
void warn_about(const Context& ctx, const core::Json& recipe);

}  // namespace galley::cli
