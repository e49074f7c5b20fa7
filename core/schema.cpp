#include "core/schema.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <unordered_map>
#include <vector>

#include "core/embedded.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace galley::core {

namespace {

std::string schema_file(const std::string& kind) {
  return to_lower(kind) + ".schema.json";
}

std::mutex& schema_mutex() {
  static std::mutex mutex;
  return mutex;
}

// Compiled 'pattern' regexes, shared by every check (compiling them dominates the cost of checking
// a document when done afresh each time). Guarded by schema_mutex(). Every pattern is compiled
// here, before valijson sees it, in libstdc++'s polynomial (breadth-first) mode: the default
// depth-first matcher recurses once per character and overflows the stack on a 200,000-character
// name; the breadth-first one keeps a fixed depth whatever the input.
using RegexCache = std::unordered_map<std::string, std::regex>;

RegexCache& regex_cache() {
  static RegexCache cache;
  return cache;
}

// Adds every "pattern" and "patternProperties" key of `schema` to the cache (an explicit stack:
// a schema's own nesting is never trusted).
void compile_patterns(const Json& schema) {
  auto& cache = regex_cache();
  auto add = [&cache](const std::string& pattern) {
    if (cache.find(pattern) == cache.end()) {
      cache.emplace(pattern, std::regex(pattern, std::regex::ECMAScript | std::regex_constants::__polynomial));
    }
  };
  std::vector<const Json*> todo{&schema};
  while (!todo.empty()) {
    const Json* node = todo.back();
    todo.pop_back();
    if (node->is_object()) {
      for (const auto& [key, value] : node->items()) {
        if (key == "pattern" && value.is_string()) {
          add(value.get<std::string>());
        } else if (key == "patternProperties" && value.is_object()) {
          for (const auto& item : value.items()) {
            add(item.key());
          }
        }
        todo.push_back(&value);
      }
    } else if (node->is_array()) {
      for (const auto& item : *node) {
        todo.push_back(&item);
      }
    }
  }
}

// valijson checks "format": "date", "time" and "date-time" with std::regex in its default
// depth-first mode, which recurses once per character of the (outside) value: a 300,000-digit date
// overflowed the stack. Each such format becomes an equivalent anchored "pattern" (compiled
// breadth-first by compile_patterns), days checked per month as valijson does (February to 29).
const char* const k_date = "[0-9]+-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|[12][0-9]))";
const char* const k_time = "(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\\.[0-9]+)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])";

// `schema` with its date and time formats turned into patterns (an explicit stack, as above).
Json bounded_formats(Json schema) {
  std::vector<Json*> todo{&schema};
  while (!todo.empty()) {
    Json* node = todo.back();
    todo.pop_back();
    if (node->is_object()) {
      auto format = node->find("format");
      if (format != node->end() && format->is_string()) {
        std::string f = format->get<std::string>();
        std::string pattern = f == "date" ? std::string(k_date) : f == "time" ? std::string(k_time)
                            : f == "date-time" ? std::string(k_date) + "[Tt]" + k_time : "";
        if (!pattern.empty()) {
          node->erase("format");
          Json& all = (*node)["allOf"];
          if (!all.is_array()) {
            all = Json::array();
          }
          all.push_back(Json{{"pattern", "^" + pattern + "$"}});
        }
      }
      for (auto& item : node->items()) {
        todo.push_back(&item.value());
      }
    } else if (node->is_array()) {
      for (auto& item : *node) {
        todo.push_back(&item);
      }
    }
  }
  return schema;
}

// Validates `value` against `schema` (whose patterns compile_patterns has seen) with the shared cache.
bool validate_value(const valijson::Subschema& schema, const Json& value, valijson::ValidationResults& results) {
  valijson::adapters::NlohmannJsonAdapter adapter(value);
  std::lock_guard lock(schema_mutex());
  valijson::ValidationVisitor<valijson::adapters::NlohmannJsonAdapter> visitor(
      adapter, std::vector<std::string>(1, "<root>"), true, &results, regex_cache());
  return visitor.validateSchema(schema);
}

const valijson::Schema* find_schema(const std::string& kind) {
  // Parsed once per process; the embedded schemas never change.
  static std::map<std::string, std::unique_ptr<valijson::Schema>> cache;
  std::lock_guard lock(schema_mutex());
  if (auto it = cache.find(kind); it != cache.end()) {
    return it->second.get();
  }
  std::string file = schema_file(kind);
  for (const auto& f : schemas_data::files()) {
    if (f.path == file) {
      Json schema_json = bounded_formats(Json::parse(f.bytes));
      compile_patterns(schema_json);
      auto schema = std::make_unique<valijson::Schema>();
      valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
      valijson::adapters::NlohmannJsonAdapter adapter(schema_json);
      parser.populateSchema(adapter, *schema);
      return cache.emplace(kind, std::move(schema)).first->second.get();
    }
  }
  return nullptr;
}

// valijson's context ["<root>", "[spec]", "[componentRefs]", "[2]"] -> "spec.componentRefs[2]".
std::string field_path(const std::vector<std::string>& context) {
  std::string path;
  for (const auto& c : context) {
    if (c == "<root>" || c.size() < 2) {
      continue;
    }
    std::string inner = c.substr(1, c.size() - 2);
    bool numeric = !inner.empty() && std::all_of(inner.begin(), inner.end(), ::isdigit);
    path = numeric ? index(path, std::stoul(inner)) : child(path, inner);
  }
  return path;
}

const Json* value_at(const Json& root, const std::vector<std::string>& context) {
  const Json* v = &root;
  for (const auto& c : context) {
    if (c == "<root>" || c.size() < 2) {
      continue;
    }
    std::string inner = c.substr(1, c.size() - 2);
    if (v->is_object() && v->contains(inner)) {
      v = &(*v)[inner];
    } else if (v->is_array() && !inner.empty() && std::all_of(inner.begin(), inner.end(), ::isdigit) &&
               std::stoul(inner) < v->size()) {
      v = &(*v)[std::stoul(inner)];
    } else {
      return nullptr;
    }
  }
  return v;
}

std::string shown(const Json* v) {
  if (v == nullptr) {
    return "value";
  }
  std::string s = v->dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

// Turns valijson's wording into ours; returns "" for the summary lines valijson adds on every
// enclosing level ("Failed to validate against schema associated with property name ...").
std::string describe(const std::string& d, const Json* value, std::string& path) {
  const std::string unknown = "could not be validated using 'properties' or 'additionalProperties' constraints: '";
  if (auto at = d.find(unknown); at != std::string::npos) {
    std::string key = d.substr(at + unknown.size());
    key = key.substr(0, key.rfind('\''));
    path = child(path, key);
    return "unknown field";
  }
  if (d.rfind("Missing required property '", 0) == 0) {
    std::string key = d.substr(27);
    path = child(path, key.substr(0, key.find('\'')));
    return "required field is missing";
  }
  if (d.find("'pattern'") != std::string::npos) {
    return shown(value) + " is not in the expected form";
  }
  if (d.find("enum values") != std::string::npos) {
    return shown(value) + " is not one of the allowed values";
  }
  if (d.find("'const'") != std::string::npos) {
    return shown(value) + " is not the expected value";
  }
  if (d.find("'type' constraint") != std::string::npos) {
    return shown(value) + " has the wrong type";
  }
  if (d.rfind("Failed to validate against schema associated with", 0) == 0 ||
      d.rfind("Failed to validate item #", 0) == 0 ||
      d.rfind("Failed to validate against additional properties", 0) == 0 ||
      d.rfind("Failed to validate against a conditional", 0) == 0 ||
      d.rfind("Failed to validate against child schema", 0) == 0) {
    return "";
  }
  if (d.rfind("Failed to validate against exactly one", 0) == 0 ||
      d.rfind("Failed to validate against any", 0) == 0) {
    return "does not match any of the allowed forms";
  }
  return d;
}

// Each failed check in `results` as (field path, message), without valijson's summary lines.
std::vector<std::pair<std::string, std::string>> problems_of(valijson::ValidationResults& results, const Json& value) {
  std::vector<std::pair<std::string, std::string>> out;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string path = field_path(error.context);
    std::string message = describe(error.description, value_at(value, error.context), path);
    if (!message.empty()) {
      out.emplace_back(path, message);
    }
  }
  return out;
}

void check_api_version(const Document& doc, Diagnostics& diags) {
  const Json& v = doc.value;
  if (!v.is_object()) {
    throw Error(Exit::bad_input, Where{doc.name, doc.line_of(""), ""}, "expected a YAML map with apiVersion and kind");
  }
  if (!v.contains("apiVersion")) {
    diags.add(Where{doc.name, 1, "apiVersion"}, "required field is missing");
  } else if (v["apiVersion"] != k_api_version) {
    diags.add(Where{doc.name, doc.line_of("apiVersion"), "apiVersion"},
              shown(&v["apiVersion"]) + " is not supported; expected \"" + k_api_version + "\"");
  }
  diags.throw_if_any(Exit::bad_input);
}

}  // namespace

bool has_schema(const std::string& kind) { return find_schema(kind) != nullptr; }

void check_schema(const Document& doc, const std::string& kind) {
  Diagnostics diags;
  check_api_version(doc, diags);
  const valijson::Schema* schema = find_schema(kind);
  if (schema == nullptr) {
    throw Error(Exit::bad_input, Where{doc.name, 0, ""}, "no schema for kind " + kind);
  }
  const Json& value = doc.value;
  if (!value.contains("kind") || value["kind"] != kind) {
    diags.add(Where{doc.name, doc.line_of("kind"), "kind"},
              (value.contains("kind") ? shown(&value["kind"]) : std::string("missing kind")) + ": expected " + kind);
    diags.throw_if_any(Exit::bad_input);
  }
  valijson::ValidationResults results;
  if (validate_value(*schema, value, results)) {
    return;
  }
  for (const auto& [path, message] : problems_of(results, value)) {
    diags.add(Where{doc.name, doc.line_of(path), path}, message);
  }
  if (diags.empty()) {
    diags.add(Where{doc.name, 0, ""}, "does not match the " + kind + " schema");
  }
  diags.throw_if_any(Exit::bad_input);
}

std::vector<std::pair<std::string, std::string>> schema_problems(const Json& given, const Json& value) {
  valijson::Schema compiled;
  Json schema = bounded_formats(given);
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter schema_adapter(schema);
    parser.populateSchema(schema_adapter, compiled);
    std::lock_guard lock(schema_mutex());
    compile_patterns(schema);
  } catch (const std::exception& e) {
    throw Error(Exit::bad_input, std::string("not a JSON Schema valijson can read: ") + e.what());
  }
  valijson::ValidationResults results;
  if (validate_value(compiled, value, results)) {
    return {};
  }
  auto out = problems_of(results, value);
  if (out.empty()) {
    out.emplace_back("", "does not match the schema");
  }
  return out;
}

std::string check_document(const Document& doc, const std::vector<std::string>& allowed) {
  std::string kind = check_kind(doc, allowed);
  check_schema(doc, kind);
  return kind;
}

std::string check_kind(const Document& doc, const std::vector<std::string>& allowed) {
  Diagnostics diags;
  check_api_version(doc, diags);
  const Json& kind = doc.value.contains("kind") ? doc.value["kind"] : Json();
  if (!kind.is_string() || std::find(allowed.begin(), allowed.end(), kind.get<std::string>()) == allowed.end()) {
    std::string got = kind.is_null() ? "no kind" : "kind " + kind.dump();
    throw Error(Exit::bad_input, Where{doc.name, doc.line_of("kind"), "kind"},
                got + " is not accepted here; expected " + join(allowed, " or "));
  }
  return kind.get<std::string>();
}

}  // namespace galley::core
