// The in-toto Statement v1 with a SLSA Provenance v1 predicate, made from a bundle's files alone:
// bundle.yaml gives the deployer, options and template-set digest, recipe.yaml the criteria, the
// catalog digest and the charts. No clock, host or randomness enters it, so the same files give
// the same bytes (startedOn only from SOURCE_DATE_EPOCH; invocationId is a digest of the rest).
#include <cerrno>
#include <cstdlib>
#include <ctime>

#include "attest/internal/json_path.hpp"
#include "attest/internal/read.hpp"
#include "attest/internal/statement.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/yaml_emit.hpp"

namespace galley::attest {

using core::Error;
using core::Exit;
using core::Json;

namespace {

std::string hex_of(const std::string& prefixed) { return prefixed.starts_with("sha256:") ? prefixed.substr(7) : prefixed; }

const std::string& bytes_of(const bundle::Bundle& files, const std::string& path) {
  auto it = files.files.find(path);
  if (it == files.files.end()) {
    throw Error(Exit::bad_input, core::Where{path, 0, ""}, "missing from the bundle; it is not a Galley bundle");
  }
  return it->second.bytes;
}

Json component_dependency(const Json& c) {
  std::string chart = text_at(c, {"chart"});
  Json dep = {{"name", chart.empty() ? text_at(c, {"name"}) : chart},
              {"annotations", {{"component", text_at(c, {"name"})}, {"type", text_at(c, {"type"})}, {"version", text_at(c, {"version"})}}}};
  std::string repo = text_at(c, {"repository"});
  if (!repo.empty()) {
    dep["uri"] = repo;  // as helm is given it: an oci:// repository already ends with the chart
  }
  return dep;
}

Json dependencies(const Json& recipe, const Json& manifest) {
  Json deps = Json::array();
  deps.push_back({{"name", "recipe"},
                  {"uri", "galley:recipe/" + text_at(recipe, {"metadata", "name"})},
                  {"digest", {{"sha256", hex_of(text_at(recipe, {"metadata", "digest"}))}}}});
  deps.push_back({{"name", "catalog"}, {"digest", {{"sha256", hex_of(text_at(recipe, {"spec", "catalogDigest"}))}}}});
  deps.push_back({{"name", "templates"}, {"digest", {{"sha256", hex_of(text_at(manifest, {"spec", "templatesDigest"}))}}}});
  const Json* components = find_at(recipe, {"spec", "components"});
  for (const auto& c : components != nullptr && components->is_array() ? *components : Json::array()) {
    deps.push_back(component_dependency(c));
  }
  return deps;
}

Json value_at(const Json& root, std::initializer_list<const char*> keys) {
  const Json* at = find_at(root, keys);
  return at != nullptr ? *at : Json::object();
}

std::string default_builder_id() { return std::string("https://galley.dev/galley@") + GALLEY_VERSION; }

}  // namespace

std::string make_statement(const bundle::Bundle& files, const SignOptions& options) {
  std::map<std::string, std::string> digests;
  for (const auto& [path, file] : files.files) {
    if (path != bundle::k_attestation_file) {
      digests.emplace(path, core::sha256_hex(file.bytes));
    }
  }
  core::Document manifest = read_document(bytes_of(files, bundle::k_manifest_file), bundle::k_manifest_file, bundle::k_kind);
  core::Document recipe = read_recipe(bytes_of(files, bundle::k_recipe_file), bundle::k_recipe_file);  // what is signed must be a sound recipe
  return statement_from(digests, manifest.value, recipe.value, options);
}

std::string statement_from(const std::map<std::string, std::string>& digests, const Json& manifest, const Json& recipe,
                           const SignOptions& options) {
  Json subjects = Json::array();
  for (const auto& [path, sha256] : digests) {  // a std::map: sorted by path
    subjects.push_back({{"name", path}, {"digest", {{"sha256", sha256}}}});
  }
  Json build = {{"buildType", k_build_type},
                {"externalParameters",
                 {{"criteria", value_at(recipe, {"spec", "criteria"})},
                  {"deployer", text_at(manifest, {"spec", "deployer"})},
                  {"options", value_at(manifest, {"spec", "options"})}}},
                {"resolvedDependencies", dependencies(recipe, manifest)}};
  Json builder = {{"id", options.builder_id.empty() ? default_builder_id() : options.builder_id},
                  {"version", {{"galley", GALLEY_VERSION}}}};
  Json statement = {{"_type", k_statement_type},
                    {"subject", subjects},
                    {"predicateType", k_predicate_type},
                    {"predicate", {{"buildDefinition", build}, {"runDetails", {{"builder", builder}}}}}};
  Json metadata = {{"invocationId", "sha256:" + core::sha256_hex(core::canonical_json(statement))}};
  if (options.source_date_epoch) {
    metadata["startedOn"] = core::rfc3339(*options.source_date_epoch);
  }
  statement["predicate"]["runDetails"]["metadata"] = metadata;
  return core::canonical_json(statement);
}

}  // namespace galley::attest
