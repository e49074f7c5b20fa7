#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "render/render.hpp"
#include "test_recipes.hpp"

using namespace galley;
using core::Json;
using namespace galley::test;  // the recipes and bundle helpers of test_recipes.hpp
namespace fs = std::filesystem;

TEST_CASE("template overrides: unknown names and missing variables are errors", "[render][templates]") {
  render::Options o;
  o.templates = {{"helm/deploy.sh.bak", "x"}};
  CHECK_THAT(error_of(h100(), o), Catch::Contains("not a template name"));
  o.templates = {{"helm/deploy.sh", "#!/bin/sh\n{{#components}}{{nmae}}{{/components}}\n"}};
  CHECK(error_of(h100(), o) == "template helm/deploy.sh: variable {{nmae}} has no value");
  o.templates = {{"helm/deploy.sh", "#!/bin/sh\n{{#components}}\necho {{name}}\n{{/components}}\n"}};
  auto b = render::render(h100(), o);
  CHECK(b.files.at("deploy.sh").bytes.starts_with("#!/bin/sh\necho aws-ebs-csi-driver\necho aws-efa-k8s-device-plugin\necho cert-manager\n"));
}

TEST_CASE("a templates folder is read by template name; other files are kept to be refused", "[render][templates]") {
  fs::path dir = test::fresh_dir("templates");
  fs::create_directories(dir / "helm");
  std::ofstream(dir / "helm" / "deploy.sh.mustache") << "#!/bin/sh\necho {{recipeName}}\n";
  auto overrides = render::read_template_folder(dir.string());
  CHECK(overrides == std::map<std::string, std::string>{{"helm/deploy.sh", "#!/bin/sh\necho {{recipeName}}\n"}});
  render::Options o;
  o.templates = overrides;
  CHECK(render::render(h100(), o).files.at("deploy.sh").bytes ==
        "#!/bin/sh\necho " + h100()["metadata"]["name"].get<std::string>() + "\n");

  std::ofstream(dir / "helm" / "deploy.sh.orig") << "x\n";
  o.templates = render::read_template_folder(dir.string());
  CHECK(o.templates.at("helm/deploy.sh.orig") == "x\n");
  CHECK_THAT(error_of(h100(), o), Catch::StartsWith("template helm/deploy.sh.orig: not a template name"));
  fs::remove_all(dir);
}

TEST_CASE("exported templates read back as overrides that change nothing", "[render][templates]") {
  auto dir = galley::test::fresh_dir("templates-export");
  render::export_templates(dir.string(), render::Overwrite::no);
  auto read = render::read_template_folder(dir.string());
  CHECK(read.size() == render::template_names().size());
  render::Options o;
  auto plain = render::render(galley::test::h100(), o);
  o.templates = read;
  auto again = render::render(galley::test::h100(), o);
  REQUIRE(plain.files.size() == again.files.size());
  for (const auto& [path, file] : plain.files) {  // templatesDigest included: it is over the texts as used
    CHECK(again.files.at(path).bytes == file.bytes);
  }
  CHECK_THROWS_AS(render::export_templates(dir.string(), render::Overwrite::no), core::Error);
  CHECK_NOTHROW(render::export_templates(dir.string(), render::Overwrite::yes));
}
