#include "test_recipes.hpp"

#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "resolver/resolver.hpp"

namespace galley::test {

using core::Json;
namespace fs = std::filesystem;

namespace {

Json recipe(const std::string& service, const std::string& accelerator, const std::string& os,
            const std::string& intent) {
  static auto catalog = resolver::load_catalog({resolver::embedded_source()});
  resolver::Criteria c;
  c.fields = {{"service", service}, {"accelerator", accelerator}, {"os", os}, {"intent", intent}, {"kubernetes", "1.34"}};
  return resolver::resolve(*catalog, c, resolver::ResolveOptions{true});  // os: no leaf without a platform
}

}  // namespace

Json h100() { return recipe("eks", "h100", "ubuntu", "training"); }
Json gb200() { return recipe("gke", "gb200", "cos", "inference"); }

std::string error_of(const Json& r, const render::Options& o) {
  try {
    render::render(r, o);
  } catch (const core::Error& e) {
    return e.what();
  }
  return "";
}

std::string dir_of(const bundle::Bundle& b, const std::string& component) {
  for (const auto& [path, file] : b.files) {
    auto slash = path.find('/');
    if (slash != std::string::npos && slash > 3 && path.substr(3, slash - 3) == component) {
      return path.substr(0, slash);
    }
  }
  FAIL("no folder for " << component);
  return "";
}

fs::path fresh_dir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("galley-render-" + name);
  fs::remove_all(p);
  return p;
}

}  // namespace galley::test
