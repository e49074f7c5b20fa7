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

Json component_dependency(const resolver::RecipeComponent& c) {
  Json dep = {{"name", c.chart && !c.chart->empty() ? *c.chart : c.name},
              {"annotations", {{"component", c.name}, {"type", c.type}, {"version", c.version}}}};
  if (c.repository && !c.repository->empty()) {
    dep["uri"] = *c.repository;  // as helm is given it: an oci:// repository already ends with the chart
  }
  return dep;
}

Json dependencies(const resolver::RecipeView& recipe, const Json& manifest) {
  Json deps = Json::array();
  deps.push_back({{"name", "recipe"}, {"uri", "galley:recipe/" + recipe.name}, {"digest", {{"sha256", hex_of(recipe.digest)}}}});
  deps.push_back({{"name", "catalog"}, {"digest", {{"sha256", hex_of(recipe.catalog_digest)}}}});
  if (find_at(manifest, {"spec", "checklistDigest"}) != nullptr) {  // conformance evidence: the checklist judged against
    deps.push_back({{"name", "checklist"}, {"digest", {{"sha256", hex_of(text_at(manifest, {"spec", "checklistDigest"}))}}}});
  } else {
    deps.push_back({{"name", "templates"}, {"digest", {{"sha256", hex_of(text_at(manifest, {"spec", "templatesDigest"}))}}}});
  }
  for (const auto& c : recipe.components) {
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
  resolver::RecipeView recipe = read_recipe(bytes_of(files, bundle::k_recipe_file), bundle::k_recipe_file);  // what is signed must be a sound recipe
  return statement_from(digests, manifest.value, recipe, options);
}

std::string statement_from(const std::map<std::string, std::string>& digests, const Json& manifest,
                           const resolver::RecipeView& recipe, const SignOptions& options) {
  Json subjects = Json::array();
  for (const auto& [path, sha256] : digests) {  // a std::map: sorted by path
    subjects.push_back({{"name", path}, {"digest", {{"sha256", sha256}}}});
  }
  Json build = {{"buildType", k_build_type},
                {"externalParameters",
                 {{"criteria", resolver::criteria_json(recipe.criteria)},
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
