// Tests of attest/statement.cpp: the in-toto statement with its SLSA provenance.
#include <catch2/catch.hpp>

#include "attest/attest.hpp"
#include "bundle/bundle.hpp"
#include "core/document.hpp"
#include "core/hash.hpp"
#include "fixtures.hpp"

using namespace galley;
using namespace galley::attest_test;
using core::Exit;
using core::Json;

TEST_CASE("statement: in-toto v1, SLSA v1, sorted subjects, no clock or randomness") {
  attest::SignOptions options;
  std::string bytes = attest::make_statement(rendered(), options);
  CHECK(attest::make_statement(rendered(), options) == bytes);
  Json s = Json::parse(bytes);
  CHECK(s["_type"] == "https://in-toto.io/Statement/v1");
  CHECK(s["predicateType"] == "https://slsa.dev/provenance/v1");
  CHECK(s["predicate"]["buildDefinition"]["buildType"] == "https://galley.dev/bundle/v1");
  CHECK(s["predicate"]["runDetails"]["builder"]["id"] == std::string("https://galley.dev/galley@") + GALLEY_VERSION);
  CHECK_FALSE(s["predicate"]["runDetails"]["metadata"].contains("startedOn"));

  const Json& subjects = s["subject"];
  REQUIRE(subjects.size() == rendered().files.size());
  auto file = rendered().files.begin();
  for (const auto& sub : subjects) {  // the same order as the std::map: sorted by path
    CHECK(sub["name"] == file->first);
    CHECK(sub["digest"]["sha256"] == core::sha256_hex(file->second.bytes));
    ++file;
  }

  // A signature file already in the bundle is no subject of its own statement.
  bundle::Bundle with_sig = rendered();
  with_sig.files[bundle::k_attestation_file] = bundle::File{"{}", false};
  CHECK(attest::make_statement(with_sig, options) == bytes);

  // The invocation id follows the content; startedOn only from SOURCE_DATE_EPOCH.
  bundle::Bundle changed = rendered();
  changed.files["README.md"].bytes += "\n";
  Json s2 = Json::parse(attest::make_statement(changed, options));
  CHECK(s2["predicate"]["runDetails"]["metadata"]["invocationId"] != s["predicate"]["runDetails"]["metadata"]["invocationId"]);
  options.source_date_epoch = 1700000000;
  options.builder_id = "https://ci.example.com/7";
  Json s3 = Json::parse(attest::make_statement(rendered(), options));
  CHECK(s3["predicate"]["runDetails"]["metadata"]["startedOn"] == "2023-11-14T22:13:20Z");
  CHECK(s3["predicate"]["runDetails"]["builder"]["id"] == "https://ci.example.com/7");

  bundle::Bundle no_recipe = rendered();
  no_recipe.files.erase("recipe.yaml");
  CHECK(message_of([&] { attest::make_statement(no_recipe, attest::SignOptions{}); }).find("recipe.yaml: missing") != std::string::npos);
}
