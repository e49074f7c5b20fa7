#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/document.hpp"
#include "core/error.hpp"

namespace {

using galley::core::Error;
using galley::core::Json;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The reader's answers in the form of tests/fixtures/yaml_reader/*.expected.
std::string answers(const std::string& text) {
  std::string out;
  try {
    auto doc = galley::core::parse_yaml(text, "f.yaml");
    out += doc.value.dump() + "\n";
    for (const auto& [path, line] : doc.lines) {
      out += std::to_string(line) + " " + path + "\n";
    }
  } catch (const Error& e) {
    out += std::string("ERR ") + e.what() + "\n";
  }
  try {
    out += "S " + Json(galley::core::parse_yaml_stream(text, "f.yaml")).dump() + "\n";
  } catch (const Error& e) {
    out += std::string("SERR ") + e.what() + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("the libyaml reader gives the documents, lines and refusals yaml-cpp gave", "[core][document]") {
  const std::filesystem::path dir = "tests/fixtures/yaml_reader";
  size_t cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") {
      continue;
    }
    auto expected = entry.path();
    expected.replace_extension(".expected");
    INFO(entry.path().filename().string());
    CHECK(answers(slurp(entry.path())) == slurp(expected));
    ++cases;
  }
  CHECK(cases >= 80);
}
