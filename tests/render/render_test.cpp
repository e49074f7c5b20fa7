#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/hash.hpp"
#include "bundle/bundle.hpp"
#include "render/render.hpp"
#include "render/set_values.hpp"
#include "resolver/catalog.hpp"
#include "resolver/resolver.hpp"

using namespace galley;
using core::Json;
namespace fs = std::filesystem;

namespace {

Json recipe(const std::string& service, const std::string& accelerator, const std::string& os,
            const std::string& intent) {
  static auto catalog = resolver::load_catalog({resolver::embedded_source()});
  resolver::Criteria c;
  c.fields = {{"service", service}, {"accelerator", accelerator}, {"os", os}, {"intent", intent}, {"kubernetes", "1.34"}};
  return resolver::resolve(*catalog, c);
}
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

// The bundle folder of a component: "NN-name", NN its place in the deployment order.
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

}  // namespace

TEST_CASE("--set values are typed the way helm types them", "[render][set]") {
  CHECK(render::parse_set_value("3") == 3);
  CHECK(render::parse_set_value("true") == true);
  CHECK(render::parse_set_value("null").is_null());
  CHECK(render::parse_set_value("{a,b,2}") == Json{"a", "b", 2});
  CHECK(render::parse_set_value("1.5") == "1.5");
  CHECK(render::parse_set_value("0123") == "0123");
  CHECK(render::parse_set_value("580.95.05") == "580.95.05");
}

TEST_CASE("--set paths create nested maps and list items", "[render][set]") {
  Json v = Json::object();
  render::apply_set(v, "a.b[1].c", 5, Json::object(), "--set x");
  CHECK(v == Json::parse(R"({"a":{"b":[null,{"c":5}]}})"));
  render::apply_set(v, "nvidia\\.com/gpu", "1", Json::object(), "--set x");
  CHECK(v["nvidia.com/gpu"] == "1");
}

TEST_CASE("--set refuses a shape that conflicts with the chart's values", "[render][set]") {
  Json chart = Json::parse(R"({"driver":{"enabled":true,"version":"580"},"tolerations":[]})");
  Json v = Json::object();
  CHECK_THROWS_WITH(render::apply_set(v, "driver", "off", chart, "--set gpu-operator:driver=off"),
                    Catch::Contains("type conflict: the chart's value here is a map"));
  CHECK_THROWS_WITH(render::apply_set(v, "driver.enabled", "yes", chart, "--set d"),
                    Catch::Contains("the chart's value here is a boolean"));
  CHECK_THROWS_WITH(render::apply_set(v, "driver.version.major", 1, chart, "--set d"),
                    Catch::Contains("at a parent of this path"));
  CHECK_NOTHROW(render::apply_set(v, "driver.version", "570", chart, "--set d"));
  CHECK_NOTHROW(render::apply_set(v, "tolerations[0].key", "a", chart, "--set d"));
}

TEST_CASE("the same recipe and options give byte-identical bundles", "[render][bundle]") {
  for (auto deployer : {render::Deployer::helm, render::Deployer::argocd, render::Deployer::flux}) {
    render::Options o;
    o.deployer = deployer;
    o.repo_url = "https://git.example.com/gitops.git";
    auto a = render::render(gb200(), o);
    auto b = render::render(gb200(), o);
    REQUIRE(a.files.size() == b.files.size());
    for (const auto& [path, f] : a.files) {
      CHECK(b.files.at(path).bytes == f.bytes);
    }
  }
}

TEST_CASE("bundle.yaml lists every other file with its size and sha256", "[render][bundle]") {
  auto b = render::render(h100(), render::Options{});
  auto doc = core::parse_yaml(b.files.at("bundle.yaml").bytes, "bundle.yaml");
  const Json& inventory = doc.value["spec"]["inventory"];
  CHECK(inventory.size() == b.files.size() - 1);
  for (const auto& item : inventory) {
    const auto& f = b.files.at(item["path"].get<std::string>());
    CHECK(item["sha256"] == core::sha256_hex(f.bytes));
    CHECK(item["size"] == f.bytes.size());
  }
  CHECK(doc.value["spec"]["recipeDigest"] == h100()["metadata"]["digest"]);
  CHECK(b.files.contains(dir_of(b, "gpu-operator") + "/values.yaml"));
  CHECK(b.files.at("deploy.sh").executable);
}

TEST_CASE("--set and --values on components not in the recipe are errors", "[render][options]") {
  render::Options o;
  o.sets = {"gpu-operatr:driver.enabled=false"};
  CHECK(error_of(h100(), o) ==
        "--set gpu-operatr:driver.enabled=false: component \"gpu-operatr\" is not in the recipe; did you mean "
        "\"gpu-operator\"?");
  o.sets = {"gpu-operator:driver=false"};
  CHECK_THAT(error_of(h100(), o), Catch::Contains("type conflict"));
  o.sets = {};
  o.values["dynamo-platform"] = {Json::object()};  // an inference component
  CHECK_THAT(error_of(h100(), o), Catch::Contains("component \"dynamo-platform\" is not in the recipe"));
}

TEST_CASE("tolerations extend the chart's defaults on GPU components only", "[render][options]") {
  render::Options o;
  o.tolerations = {render::parse_toleration("dedicated=gpu:NoSchedule")};
  o.node_selector = {{"pool", "gpu"}};
  auto b = render::render(h100(), o);
  auto gpu = core::parse_yaml(b.files.at(dir_of(b, "gpu-operator") + "/values.yaml").bytes, "v").value;
  const Json& tols = gpu["daemonsets"]["tolerations"];
  CHECK(tols.size() == 2);
  CHECK(tols[0]["key"] == "nvidia.com/gpu");
  CHECK(tols[1] == Json{{"key", "dedicated"}, {"value", "gpu"}, {"operator", "Equal"}, {"effect", "NoSchedule"}});
  auto efa = core::parse_yaml(b.files.at(dir_of(b, "aws-efa-k8s-device-plugin") + "/values.yaml").bytes, "v").value;
  CHECK(efa["nodeSelector"]["pool"] == "gpu");
  auto cm = core::parse_yaml(b.files.at(dir_of(b, "cert-manager") + "/values.yaml").bytes, "v").value;
  CHECK_FALSE(cm.contains("tolerations"));
  CHECK(b.warnings.size() == 1);  // gpu-operator has no node selector path
  CHECK_THROWS_WITH(render::parse_toleration("a=b:Sometimes"), Catch::Contains("effect must be"));
}

TEST_CASE("a registry mirror rewrites chart repositories and image registries", "[render][options]") {
  render::Options o;
  o.registry_mirror = "mirror.internal:5000";
  auto b = render::render(h100(), o);
  const std::string& deploy = b.files.at("deploy.sh").bytes;
  CHECK(deploy.find("--repo https://mirror.internal:5000/helm.ngc.nvidia.com/nvidia") != std::string::npos);
  CHECK(deploy.find("oci://mirror.internal:5000/public.ecr.aws/karpenter/karpenter") != std::string::npos);
}

TEST_CASE("argocd and flux bundles need the git location they will live in", "[render][options]") {
  render::Options o;
  o.deployer = render::Deployer::argocd;
  CHECK_THAT(error_of(h100(), o), Catch::Contains("give --repo-url"));
}

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

TEST_CASE("writing a bundle is atomic and never clobbers other folders", "[render][write]") {
  auto b = render::render(h100(), render::Options{});
  fs::path dir = fresh_dir("write");
  render::write_bundle(b, dir.string(), render::Overwrite::no);
  CHECK(core::read_file((dir / "deploy.sh").string()) == b.files.at("deploy.sh").bytes);
  struct stat st {};
  REQUIRE(::stat((dir / "deploy.sh").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0755);
  CHECK_THROWS_WITH(render::write_bundle(b, dir.string(), render::Overwrite::no), Catch::Contains("use --force"));
  render::write_bundle(b, dir.string(), render::Overwrite::yes);
  CHECK(fs::exists(dir / "bundle.yaml"));
  size_t siblings = 0;
  for (const auto& e : fs::directory_iterator(dir.parent_path())) {
    siblings += e.path().filename().string().starts_with(".galley-render-write") ? 1 : 0;
  }
  CHECK(siblings == 0);

  fs::path other = fresh_dir("other");
  fs::create_directories(other);
  std::ofstream(other / "notes.txt") << "mine";
  CHECK_THROWS_WITH(render::write_bundle(b, other.string(), render::Overwrite::yes),
                    Catch::Contains("not a Galley bundle; it was left untouched"));
  CHECK(core::read_file((other / "notes.txt").string()) == "mine");

  fs::path file = fresh_dir("file");
  std::ofstream(file) << "x";
  CHECK_THROWS_WITH(render::write_bundle(b, file.string(), render::Overwrite::yes), Catch::Contains("not a folder"));
  CHECK_THROWS_AS(render::write_bundle(b, "/proc/galley-bundle", render::Overwrite::no), core::Error);
  fs::remove_all(dir);
  fs::remove_all(other);
  fs::remove(file);
}

TEST_CASE("plain-manifest and kustomize components are handled by every deployer", "[render][manifests]") {
  resolver::CatalogSource layer;
  layer.root = "site";
  layer.files["components/gpu-storage.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Component
metadata: {name: gpu-storage}
spec:
  type: manifest
  namespace: kube-system
  versions:
    - version: "1.0.0"
      requires: {components: {gpu-operator: "*"}}
)";
  layer.files["components/gpu-policies.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Component
metadata: {name: gpu-policies}
spec:
  type: kustomize
  namespace: kube-system
  versions: [{version: "2.0.0"}]
)";
  layer.files["overlays/eks.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: OverlayPatch
metadata: {name: eks}
spec:
  componentRefs:
    - name: gpu-storage
      manifests: [manifests/gpu-storage/storageclass.yaml]
    - name: gpu-policies
      manifests: [manifests/gpu-policies/kustomization.yaml, manifests/gpu-policies/quota.yaml]
)";
  layer.files["manifests/gpu-storage/storageclass.yaml"] =
      "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: ebs.csi.aws.com\n";
  layer.files["manifests/gpu-policies/kustomization.yaml"] =
      "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [quota.yaml]\n";
  layer.files["manifests/gpu-policies/quota.yaml"] =
      "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: gpus\nspec:\n  hard:\n    requests.nvidia.com/gpu: \"64\"\n";
  auto catalog = resolver::load_catalog({resolver::embedded_source(), layer});
  resolver::Criteria c;
  c.fields = {{"service", "eks"}, {"intent", "training"}, {"kubernetes", "1.34"}};
  Json r = resolver::resolve(*catalog, c);

  render::Options o;
  o.repo_url = "https://git.example.com/g.git";
  auto helm = render::render(r, o);
  CHECK(helm.files.at(dir_of(helm, "gpu-policies") + "/manifests/quota.yaml").bytes.find("ResourceQuota") != std::string::npos);
  CHECK_FALSE(helm.files.contains(dir_of(helm, "gpu-policies") + "/values.yaml"));
  const std::string& deploy = helm.files.at("deploy.sh").bytes;
  CHECK(deploy.find("kubectl apply --server-side --namespace kube-system -k " + dir_of(helm, "gpu-policies") + "/manifests/") != std::string::npos);
  CHECK(deploy.find("-f " + dir_of(helm, "gpu-storage") + "/manifests/") != std::string::npos);

  o.deployer = render::Deployer::argocd;
  auto argo = render::render(r, o);
  const std::string& app = argo.files.at(dir_of(argo, "gpu-storage") + "/application.yaml").bytes;
  CHECK(app.find("path: " + dir_of(argo, "gpu-storage") + "/manifests") != std::string::npos);
  CHECK(app.find("SkipDryRunOnMissingResource=true") != std::string::npos);

  o.deployer = render::Deployer::flux;
  auto flux = render::render(r, o);
  const std::string& f = flux.files.at(dir_of(flux, "gpu-storage") + "/flux.yaml").bytes;
  CHECK(f.find("kind: Kustomization") != std::string::npos);
  CHECK(f.find("path: ./" + dir_of(flux, "gpu-storage") + "/manifests") != std::string::npos);
  CHECK(f.find("kind: HelmRelease") == std::string::npos);
}
