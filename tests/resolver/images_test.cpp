#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "core/document.hpp"
#include "core/error.hpp"
#include "resolver/catalog.hpp"
#include "resolver/chart_values.hpp"
#include "resolver/images.hpp"
#include "resolver/recipe_doc.hpp"
#include "resolver/resolver.hpp"


using namespace galley;
using core::Json;

namespace {
resolver::RecipeComponent component(const std::string& name, const std::string& version, Json values = Json::object()) {
  resolver::RecipeComponent c;
  c.name = name;
  c.type = "helm";
  c.version = version;
  c.values = std::move(values);
  return c;
}

resolver::RecipeView view_of(std::vector<resolver::RecipeComponent> components) {
  resolver::RecipeView v;
  v.name = "test";
  v.components = std::move(components);
  return v;
}

const resolver::ImageUse& find(const std::vector<resolver::ImageUse>& images, const std::string& name) {
  for (const auto& i : images) {
    if (i.name == name) {
      return i;
    }
  }
  FAIL("no image " << name);
  throw std::logic_error("unreachable");
}

// A one-file catalog layer of image lists: kata-deploy at 4.1.0 with `images` (YAML list items).
std::map<std::string, std::string> kata_list(const std::string& images) {
  return {{"images/kata-deploy.yaml", R"(apiVersion: galley.dev/v1alpha1
kind: ImageList
metadata:
  name: kata-deploy
spec:
  source: test
  versions: ["4.1.0"]
  images:
)" + images}};
}
}  // namespace

TEST_CASE("image references split into path, tag and digest", "[resolver][images]") {
  auto r = resolver::parse_image_reference("localhost:5000/a/b:v1@sha256:abc", "f");
  CHECK(r.path == "localhost:5000/a/b");
  CHECK(r.tag == "v1");
  CHECK(r.digest == "sha256:abc");
  CHECK(r.host() == "localhost:5000");
  CHECK(r.repository() == "a/b");
  CHECK(resolver::parse_image_reference("localhost:5000/a", "f").tag.empty());
  CHECK(r.str() == "localhost:5000/a/b:v1@sha256:abc");
  CHECK_THROWS_AS(resolver::parse_image_reference(":v1", "f"), core::Error);
}

TEST_CASE("a recipe's images: defaults at the pinned version, overrides and disabled parts", "[resolver][images]") {
  std::vector<std::string> uncovered;
  auto images = resolver::recipe_images(
      view_of({component("cert-manager", "v1.21.0", Json::parse(R"({"cainjector": {"enabled": false},
                                                                   "webhook": {"image": {"tag": "v9"}}})")),
               component("gpu-operator", "v26.7.0", Json::parse(R"({"driver": {"version": "580.1"}, "dcgm": {"enabled": true}})")),
               component("gpu-operator-old", "v1", Json::object()), component("gpu-operator", "v24.9.0")}),
      {}, uncovered);
  CHECK(uncovered == std::vector<std::string>{"gpu-operator-old v1", "gpu-operator v24.9.0"});
  CHECK(find(images, "controller").reference.str() == "quay.io/jetstack/cert-manager-controller:v1.21.0");
  CHECK(find(images, "webhook").reference.str() == "quay.io/jetstack/cert-manager-webhook:v9");  // the override
  CHECK_FALSE(find(images, "cainjector").deployed);
  CHECK(find(images, "startupapicheck").deployed);  // chart default true
  CHECK(find(images, "driver").reference.str() == "nvcr.io/nvidia/driver:580.1");
  CHECK(find(images, "dcgm").deployed);
  CHECK_FALSE(find(images, "gds").deployed);  // chart default false
  CHECK(find(images, "operator").paths.at("repository") == "operator.repository");
  CHECK(find(images, "controller").takes_digest());
  CHECK_FALSE(find(images, "driver").takes_digest());
}

TEST_CASE("a digest the values set to \"\" means none; a tag set to \"\" means the default", "[resolver][images]") {
  std::vector<std::string> uncovered;
  auto images = resolver::recipe_images(
      view_of({component("skyhook-operator", "v0.13.1",
                         Json::parse(R"({"controllerManager": {"manager": {"image": {"digest": "", "tag": ""}}}})"))}),
      {}, uncovered);
  CHECK(find(images, "operator").reference.str() == "nvcr.io/nvidia/skyhook/operator:v0.13.0");
  CHECK(find(images, "agent").reference.digest.starts_with("sha256:"));  // untouched: the chart's pin
}

TEST_CASE("a registry mirror goes through each image's values paths", "[resolver][images]") {
  std::vector<std::string> fixed;
  auto kps = component("kube-prometheus-stack", "88.5.3");
  Json values = Json::object();
  REQUIRE(resolver::mirror_component_images(kps, values, "harbor.local/mirror", fixed));
  CHECK(fixed.empty());
  CHECK(values["prometheus"]["prometheusSpec"]["image"]["registry"] == "harbor.local");
  CHECK(values["prometheus"]["prometheusSpec"]["image"]["repository"] == "mirror/quay.io/prometheus/prometheus");
  CHECK_FALSE(values.contains("global"));  // global.imageRegistry was not set: each image's own registry is written
  kps.values = values;
  std::vector<std::string> uncovered;
  for (const auto& i : resolver::recipe_images(view_of({kps}), {}, uncovered)) {
    CAPTURE(i.name);
    CHECK(i.reference.path.starts_with("harbor.local/mirror/"));
  }

  auto kai = component("kai-scheduler", "v0.17.0");
  Json kai_values = Json::object();
  REQUIRE(resolver::mirror_component_images(kai, kai_values, "harbor.local", fixed));
  CHECK(kai_values == Json::parse(R"({"global": {"registry": "harbor.local/ghcr.io/kai-scheduler/kai-scheduler"}})"));

  auto gpu = component("gpu-operator", "v26.7.0", Json::parse(R"({"driver": {"repository": "my.reg/nv"}})"));
  Json gpu_values = gpu.values;
  REQUIRE(resolver::mirror_component_images(gpu, gpu_values, "harbor.local", fixed));
  CHECK(gpu_values["driver"]["repository"] == "harbor.local/my.reg/nv");
  CHECK_FALSE(gpu_values["driver"].contains("image"));  // the name part is unchanged: left as the chart has it
  Json again = gpu_values;  // a second pass changes nothing
  resolver::mirror_component_images(gpu, again, "harbor.local", fixed);
  CHECK(again == gpu_values);

  Json none = Json::object();
  CHECK_FALSE(resolver::mirror_component_images(component("kai-scheduler", "v0.9.0"), none, "harbor.local", fixed));
  CHECK(none.empty());
}

TEST_CASE("digests are pinned through digest or sha paths; charts without one are named", "[resolver][images]") {
  std::vector<std::string> cannot;
  Json cm = Json::object();
  resolver::pin_component_images(component("cert-manager", "v1.21.1"), cm,
                                 {{"quay.io/jetstack/cert-manager-controller:v1.21.1", "sha256:aa"}}, cannot);
  CHECK(cm["image"]["digest"] == "sha256:aa");
  Json kps = Json::object();
  resolver::pin_component_images(component("kube-prometheus-stack", "88.5.3"), kps,
                                 {{"quay.io/prometheus/prometheus:v3.14.0-distroless", "sha256:bb"}}, cannot);
  CHECK(kps["prometheus"]["prometheusSpec"]["image"]["sha"] == "bb");
  Json gpu = Json::object();
  resolver::pin_component_images(component("gpu-operator", "v26.7.0"), gpu,
                                 {{"nvcr.io/nvidia/k8s-device-plugin:v0.20.0", "sha256:cc"}}, cannot);
  CHECK(gpu.empty());
  // device plugin and GFD share the image: named once
  CHECK(cannot == std::vector<std::string>{"gpu-operator nvcr.io/nvidia/k8s-device-plugin:v0.20.0@sha256:cc"});
}

TEST_CASE("the embedded image lists pass lint; a wrong path or version is named with its line", "[resolver][images]") {
  auto cat = resolver::load_catalog({resolver::embedded_source()});
  std::map<std::string, std::vector<std::string>> versions;
  std::map<std::string, std::vector<std::string>> subcharts;
  for (const auto& [name, comp] : cat->components) {
    for (const auto& v : comp.versions) {
      versions[name].push_back(v.version);
    }
    subcharts[name] = comp.spec.value("subcharts", std::vector<std::string>{});
  }
  CHECK(resolver::lint_image_lists(versions, subcharts).empty());
  versions["kueue"] = {"0.19.2"};
  subcharts.erase("gpu-operator");
  auto problems = resolver::lint_image_lists(versions, subcharts);
  CAPTURE(problems);
  REQUIRE(problems.size() == 7);  // the repository and tag paths of the three NFD entries, then the version
  for (size_t i = 0; i < 6; ++i) {
    CHECK(problems[i].starts_with("recipes/images/gpu-operator.yaml:"));
    CHECK(problems[i].find(i % 2 == 0 ? "].values.repository: values path \"node-feature-discovery.image.repository\""
                                      : "].values.tag: values path \"node-feature-discovery.image.tag\"") !=
          std::string::npos);
  }
  CHECK(problems[6] == "recipes/images/kueue.yaml:10: spec.versions[1]: kueue has no version 0.19.1");
}

TEST_CASE("image list formats: mirroring tools get the deployed images only", "[resolver][images]") {
  std::vector<std::string> uncovered;
  auto images = resolver::recipe_images(view_of({component("kueue", "0.19.2"), component("karpenter", "1.14.1")}), {},
                                        uncovered);
  auto sync = core::parse_yaml(resolver::image_list_text(images, "skopeo-sync", "r"), "sync").value;
  CHECK(sync["registry.k8s.io"]["images"]["kueue/kueue"] == Json::array({"v0.19.2"}));
  CHECK_FALSE(sync["registry.k8s.io"]["images"].contains("kueue/kueueviz-backend"));
  CHECK(sync["public.ecr.aws"]["images"]["karpenter/controller"][0].get<std::string>().starts_with("sha256:"));
  auto hauler = core::parse_yaml(resolver::image_list_text(images, "hauler", "r"), "hauler").value;
  CHECK(hauler["kind"] == "Images");
  CHECK(hauler["spec"]["images"].size() == 2);
  auto zarf = core::parse_yaml(resolver::image_list_text(images, "zarf", "r"), "zarf").value;
  CHECK(zarf["kind"] == "ZarfPackageConfig");
  CHECK(zarf["components"][1]["images"] == Json::array({"registry.k8s.io/kueue/kueue:v0.19.2"}));
  auto json = Json::parse(resolver::image_list_text(images, "json", "r"));
  CHECK(json["images"].size() == 4);
  CHECK(resolver::image_list_text(images, "text", "r").find("(fixed") == std::string::npos);
}

TEST_CASE("lock_images: each deployed image once, the digest recomputed, nothing half-locked", "[resolver][images]") {
  auto cat = resolver::load_catalog({resolver::embedded_source()});
  resolver::Criteria c;
  c.fields = {{"service", "eks"}, {"intent", "training"}, {"kubernetes", "1.33"}};
  Json recipe = resolver::resolve(*cat, c);
  std::vector<std::string> uncovered;
  std::vector<std::string> asked;
  auto fake = [&](const resolver::ImageReference& r) {
    asked.push_back(r.str());
    std::string digest = r.digest.empty() ? "sha256:" + std::string(64, 'a') : r.digest;
    return resolver::ImageLock{digest, "application/vnd.oci.image.index.v1+json", {"linux/amd64", "linux/arm64"}};
  };
  Json locked = resolver::lock_images(recipe, fake, uncovered);
  CHECK(uncovered.empty());  // every component of a leaf has an image list
  CHECK(locked["metadata"]["digest"] != recipe["metadata"]["digest"]);
  CHECK(locked["metadata"]["digest"] == resolver::recipe_digest(locked));
  CHECK_FALSE(recipe["spec"].contains("images"));
  const Json& images = locked["spec"]["images"];
  CHECK(images.size() == asked.size());
  std::set<std::string> unique(asked.begin(), asked.end());
  CHECK(unique.size() == asked.size());  // device plugin and GFD share one image: asked once
  bool shared = false;
  for (const auto& i : images) {
    if (i["image"] == "nvcr.io/nvidia/k8s-device-plugin:v0.20.0") {
      shared = i["usedBy"] == Json::array({"gpu-operator/device-plugin", "gpu-operator/gfd"});
    }
    CHECK(i["image"].get<std::string>().find('@') == std::string::npos);
  }
  CHECK(shared);
  // The karpenter values pin a digest: the registry must hold that very digest.
  auto other = [&](const resolver::ImageReference& r) {
    if (r.path == "public.ecr.aws/karpenter/controller") {
      return resolver::ImageLock{"sha256:" + std::string(64, 'b'), "", {}};
    }
    return fake(r);
  };
  CHECK_THROWS_WITH(resolver::lock_images(recipe, other, uncovered), Catch::Contains("the values pin digest"));
  // A failure part way leaves the recipe as it was (the caller writes nothing).
  int calls = 0;
  auto failing = [&](const resolver::ImageReference& r) {
    if (++calls == 3) {
      throw core::Error(core::Exit::not_found, core::Where{r.str(), 0, ""}, "no such manifest");
    }
    return fake(r);
  };
  CHECK_THROWS_AS(resolver::lock_images(recipe, failing, uncovered), core::Error);
  CHECK_FALSE(recipe["spec"].contains("images"));
}

TEST_CASE("lock_charts: every Helm chart pinned, the catalog's own digests checked, the digest recomputed", "[resolver][images]") {
  auto cat = resolver::load_catalog({resolver::embedded_source()});
  resolver::Criteria c;
  c.fields = {{"service", "eks"}, {"intent", "training"}, {"kubernetes", "1.34"}};
  Json recipe = resolver::resolve(*cat, c);
  std::map<std::string, std::string> recorded;  // the catalog's chartDigests (cert-manager, kyverno, velero here)
  size_t helm = 0;
  for (const auto& comp : recipe["spec"]["components"]) {
    helm += comp["type"] == "helm";
    if (comp.contains("chartDigest")) {
      recorded[comp["name"].get<std::string>()] = comp["chartDigest"]["digest"].get<std::string>();
    }
  }
  REQUIRE_FALSE(recorded.empty());
  std::vector<std::string> asked;
  auto source = [&](const std::string& name) {
    asked.push_back(name);
    auto it = recorded.find(name);
    return resolver::ChartPin{it != recorded.end() ? it->second : "sha256:" + std::string(64, 'c'), "test source of " + name};
  };
  Json locked = resolver::lock_charts(recipe, source);
  CHECK(asked.size() == helm);
  CHECK(locked["metadata"]["digest"] != recipe["metadata"]["digest"]);
  CHECK(locked["metadata"]["digest"] == resolver::recipe_digest(locked));
  for (const auto& comp : locked["spec"]["components"]) {
    if (comp["type"] != "helm") {
      CHECK_FALSE(comp.contains("chartDigest"));
      continue;
    }
    const std::string name = comp["name"].get<std::string>();
    if (recorded.contains(name)) {  // kept as the catalog wrote it, source included
      CHECK(comp["chartDigest"]["digest"] == recorded[name]);
      CHECK(comp["chartDigest"]["source"] != "test source of " + name);
    } else {
      CHECK(comp["chartDigest"] == Json{{"digest", "sha256:" + std::string(64, 'c')}, {"source", "test source of " + name}});
    }
  }
  CHECK(resolver::lock_charts(locked, source) == locked);  // locking again changes nothing
  // A source that now names another archive than the catalog records: refused, naming both.
  auto moved = [&](const std::string& name) { return resolver::ChartPin{"sha256:" + std::string(64, 'd'), "moved " + name}; };
  CHECK_THROWS_WITH(resolver::lock_charts(recipe, moved), Catch::Contains("the recipe records " + recorded.begin()->second));
  size_t still = 0;  // the recipe given is left as it was
  for (const auto& comp : recipe["spec"]["components"]) {
    still += comp.contains("chartDigest");
  }
  CHECK(still == recorded.size());
}

TEST_CASE("a whole reference in one value: read, mirrored and pinned through it", "[resolver][images]") {
  std::vector<std::string> uncovered;
  auto amd = component("amd-gpu-operator", "v1.5.1",
                       Json::parse(R"({"deviceConfig": {"spec": {"metricsExporter": {"image": "my.reg/exp:v9"}}}})"));
  auto images = resolver::recipe_images(view_of({amd}), {}, uncovered);
  CHECK(uncovered.empty());
  CHECK(find(images, "metrics-exporter").reference.str() == "my.reg/exp:v9");
  CHECK(find(images, "metrics-exporter").takes_digest());
  CHECK(find(images, "device-plugin").reference.str() == "docker.io/rocm/k8s-device-plugin:latest");
  CHECK_FALSE(find(images, "dra-driver").deployed);  // deviceConfig.spec.draDriver.enable is false upstream

  Json values = amd.values;
  std::vector<std::string> fixed;
  REQUIRE(resolver::mirror_component_images(amd, values, "harbor.local", fixed));
  CHECK(values["deviceConfig"]["spec"]["metricsExporter"]["image"] == "harbor.local/my.reg/exp:v9");
  CHECK(values["deviceConfig"]["spec"]["devicePlugin"]["devicePluginImage"] ==
        "harbor.local/docker.io/rocm/k8s-device-plugin:latest");
  std::vector<std::string> cannot;
  Json pinned = amd.values;
  resolver::pin_component_images(amd, pinned, {{"my.reg/exp:v9", "sha256:dd"}}, cannot);
  CHECK(pinned["deviceConfig"]["spec"]["metricsExporter"]["image"] == "my.reg/exp:v9@sha256:dd");
  CHECK(cannot.empty());

  // A bad reference in the values is an error naming the values path.
  auto bad = component("amd-gpu-operator", "v1.5.1",
                       Json::parse(R"({"deviceConfig": {"spec": {"metricsExporter": {"image": ":v1"}}}})"));
  CHECK_THROWS_AS(resolver::recipe_images(view_of({bad}), {}, uncovered), core::Error);
}

TEST_CASE("manifest components and lists of no images are covered; pools are named", "[resolver][images]") {
  std::vector<std::string> uncovered;
  auto mcp = component("mcp-lifecycle-operator", "v0.1.0");
  mcp.type = "kustomize";
  auto crds = component("gateway-api-crds", "v1.5.1");
  crds.type = "kustomize";
  auto view = view_of({component("cert-manager", "v1.21.1"), crds, mcp});
  resolver::RecipePool gpu;
  gpu.name = "gpu";
  gpu.components = {"cert-manager", "mcp-lifecycle-operator"};
  resolver::RecipePool cpu;
  cpu.name = "cpu";
  cpu.components = {"cert-manager"};
  view.pools = {gpu, cpu};
  auto images = resolver::recipe_images(view, {}, uncovered);
  CHECK(uncovered.empty());  // gateway-api-crds deploys none, and says so
  const auto& operator_image = find(images, "controller-manager");
  CHECK(operator_image.fixed());
  CHECK(operator_image.pools == std::vector<std::string>{"gpu"});
  CHECK(find(images, "controller").pools == std::vector<std::string>{"gpu", "cpu"});
  std::string table = resolver::image_list_text(images, "table", "r");
  CHECK(table.starts_with("COMPONENT"));
  CHECK(table.find("POOLS") != std::string::npos);
  CHECK(table.find("gpu,cpu") != std::string::npos);
  auto json = Json::parse(resolver::image_list_text(images, "json", "r"));
  CHECK(json["images"][0]["pools"] == Json::array({"gpu", "cpu"}));
  CHECK(resolver::has_image_list("gateway-api-crds"));
  CHECK(resolver::image_list_covers("gateway-api-crds", "v1.5.1"));
  CHECK_FALSE(resolver::image_list_covers("gateway-api-crds", "v9.9.9"));

  // Without pools there is no POOLS column and no pools field.
  auto single = resolver::recipe_images(view_of({component("cert-manager", "v1.21.1")}), {}, uncovered);
  CHECK(resolver::image_list_text(single, "table", "r").find("POOLS") == std::string::npos);
  CHECK_FALSE(Json::parse(resolver::image_list_text(single, "json", "r"))["images"][0].contains("pools"));
}

TEST_CASE("every component of the embedded catalog has an image list", "[resolver][images]") {
  auto cat = resolver::load_catalog({resolver::embedded_source()});
  for (const auto& [name, comp] : cat->components) {
    CAPTURE(name);
    CHECK(resolver::has_image_list(name));
  }
}

TEST_CASE("when tests a value's text, alternatives, and entries that hold at some versions", "[resolver][images]") {
  std::vector<std::string> uncovered;
  // kata-deploy's dispatcher: when deploymentMode=job; the chart's default is daemonset.
  auto kata = [&](Json values) {
    return resolver::recipe_images(view_of({component("kata-deploy", "4.1.0", std::move(values))}), {}, uncovered);
  };
  CHECK_FALSE(find(kata(Json::object()), "job-dispatcher").deployed);
  CHECK(find(kata(Json{{"deploymentMode", "job"}}), "job-dispatcher").deployed);
  CHECK_FALSE(find(kata(Json{{"deploymentMode", "daemonset"}}), "job-dispatcher").deployed);
  CHECK(find(kata(Json{{"deploymentMode", "job"}}), "kata-deploy").deployed);  // no condition

  // kubeflow-trainer: a runtime comes with its switch or runtimes.defaultEnabled (a|b); JobSet and
  // pytorch differ between 2.2.0 and 2.3.0 (entry versions).
  auto trainer = [&](const std::string& version, Json values) {
    return resolver::recipe_images(view_of({component("kubeflow-trainer", version, std::move(values))}), {}, uncovered);
  };
  auto plain = trainer("2.3.0", Json::object());
  CHECK_FALSE(find(plain, "torch-runtime").deployed);
  CHECK_FALSE(find(plain, "runtime-installer").deployed);
  auto all = trainer("2.3.0", Json::parse(R"({"runtimes": {"defaultEnabled": true}})"));
  CHECK(find(all, "torch-runtime").deployed);
  CHECK(find(all, "torchtune-model-initializer").deployed);
  CHECK(find(all, "runtime-installer").deployed);
  auto torch = trainer("2.3.0", Json::parse(R"({"runtimes": {"torchDistributed": {"enabled": true}}})"));
  CHECK(find(torch, "torch-runtime").deployed);
  CHECK(find(torch, "torch-runtime").reference.str() == "docker.io/pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime");
  CHECK(find(torch, "torch-runtime").fixed());
  CHECK_FALSE(find(torch, "jax-runtime").deployed);
  CHECK(find(torch, "jobset").reference.str() == "registry.k8s.io/jobset/jobset:v0.12.0");
  auto old = trainer("2.2.0", Json::parse(R"({"runtimes": {"torchDistributed": {"enabled": true}}})"));
  CHECK(find(old, "jobset").reference.str() == "registry.k8s.io/jobset/jobset:v0.11.0");
  CHECK(find(old, "torch-runtime").reference.str() == "docker.io/pytorch/pytorch:2.10.0-cuda12.8-cudnn9-runtime");
  CHECK(std::none_of(old.begin(), old.end(), [](const resolver::ImageUse& i) { return i.name == "runtime-installer"; }));
  CHECK(std::count_if(torch.begin(), torch.end(), [](const resolver::ImageUse& i) { return i.name == "jobset"; }) == 1);
  CHECK(uncovered.empty());

  // Older releases: kai-scheduler v0.13.4 has no NUMA exporter; karpenter pins a digest per release.
  auto kai = resolver::recipe_images(view_of({component("kai-scheduler", "v0.13.4")}), {}, uncovered);
  CHECK(find(kai, "scheduler").reference.str() == "ghcr.io/kai-scheduler/kai-scheduler/scheduler:v0.13.4");
  CHECK(std::none_of(kai.begin(), kai.end(), [](const resolver::ImageUse& i) { return i.name == "numa-placement-exporter"; }));
  auto karpenter = resolver::recipe_images(view_of({component("karpenter", "1.11.0")}), {}, uncovered);
  REQUIRE(karpenter.size() == 1);
  CHECK(karpenter[0].reference.digest == "sha256:f5691977d6f6ca3032fa61a3faefbfcfc838837d00586b40331d95bd84d55f74");
  auto gpu = resolver::recipe_images(view_of({component("gpu-operator", "v26.3.0")}), {}, uncovered);
  CHECK(find(gpu, "operator").reference.str() == "nvcr.io/nvidia/gpu-operator:v26.3.0");
  CHECK(find(gpu, "driver").reference.str() == "nvcr.io/nvidia/driver:580.126.20");
  CHECK(find(gpu, "node-feature-discovery").reference.str() == "registry.k8s.io/nfd/node-feature-discovery:v0.18.3");
  CHECK(std::count_if(gpu.begin(), gpu.end(), [](const resolver::ImageUse& i) { return i.name == "driver"; }) == 1);
  CHECK(uncovered.empty());

  // A mirror moves only the entries of the pinned version.
  auto c = component("kubeflow-trainer", "2.2.0", Json::object());
  Json values = c.values;
  std::vector<std::string> fixed;
  REQUIRE(resolver::mirror_component_images(c, values, "harbor.local", fixed));
  CHECK(values["jobset"]["image"]["repository"] == "harbor.local/registry.k8s.io/jobset/jobset");
  CHECK(std::find(fixed.begin(), fixed.end(), "kubeflow-trainer docker.io/pytorch/pytorch:2.10.0-cuda12.8-cudnn9-runtime") !=
        fixed.end());
  CHECK(std::find(fixed.begin(), fixed.end(), "kubeflow-trainer docker.io/pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime") ==
        fixed.end());
}

TEST_CASE("lint of given lists: a reference stands alone, when paths and entry versions are checked", "[resolver][images]") {
  const std::map<std::string, std::vector<std::string>> versions = {{"kata-deploy", {"4.1.0", "4.0.0"}}};
  const std::map<std::string, std::vector<std::string>> subcharts = {{"kata-deploy", {"node-feature-discovery"}}};
  auto list = kata_list;
  // Well formed: no problem.
  CHECK(resolver::lint_image_lists(list(R"(    - name: a
      image: "quay.io/kata-containers/kata-deploy:4.1.0"
      values: {repository: image.reference, tag: image.tag}
      when: ["deploymentMode=job|monitor.enabled"]
      versions: ["4.1.0"]
)"),
                                   versions, subcharts)
            .empty());
  // A reference beside another part: the rule named with the file, line and field.
  auto problems = resolver::lint_image_lists(list(R"(    - name: a
      image: "quay.io/kata-containers/kata-deploy:4.1.0"
      values: {reference: image.reference, tag: image.tag}
)"),
                                             versions, subcharts);
  CAPTURE(problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "recipes/images/kata-deploy.yaml:11: spec.images[0].values: reference names a value holding the "
                       "whole image: it takes no other part");
  // Each alternative of a condition is a values path that must exist; an entry's versions are the list's.
  problems = resolver::lint_image_lists(list(R"(    - name: a
      image: "quay.io/kata-containers/kata-deploy:4.1.0"
      when: ["monitor.enabled|no.such.key=1"]
      versions: ["4.0.0"]
)"),
                                        versions, subcharts);
  CAPTURE(problems);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].find("spec.images[0].when: values path \"no.such.key\" does not exist") != std::string::npos);
  CHECK(problems[1].find("spec.images[0].versions[0]: 4.0.0 is not in spec.versions") != std::string::npos);
  // A when that is not a condition breaks the schema.
  CHECK_THROWS_AS(resolver::lint_image_lists(list(R"(    - name: a
      image: "quay.io/kata-containers/kata-deploy:4.1.0"
      when: ["a=b=c"]
)"),
                                             versions, subcharts),
                  core::Error);
}

TEST_CASE("a tag that follows the cluster's Kubernetes version: from the criteria, or unresolved with why", "[resolver][images]") {
  std::vector<std::string> uncovered;
  auto hami = [&](const std::string& kubernetes, Json values) {
    auto view = view_of({component("hami", "2.10.0", std::move(values))});
    if (!kubernetes.empty()) {
      view.criteria.fields["kubernetes"] = kubernetes;
    }
    return view;
  };
  const std::string repo = "registry.cn-hangzhou.aliyuncs.com/google_containers/kube-scheduler";
  auto patch = resolver::recipe_images(hami("v1.33.2-eks-1234", Json::object()), {}, uncovered);
  CHECK(find(patch, "kube-scheduler").reference.str() == repo + ":v1.33.2");
  CHECK(find(patch, "kube-scheduler").unresolved.empty());

  auto minor = resolver::recipe_images(hami("1.33", Json::object()), {}, uncovered);
  const auto& ks = find(minor, "kube-scheduler");
  CHECK(ks.reference.str() == repo);
  CHECK(ks.unresolved.find("Kubernetes version 1.33 has no patch level") != std::string::npos);
  CHECK(ks.unresolved.find("scheduler.kubeScheduler.image.tag") != std::string::npos);
  // Left out of the mirroring lists, named in json and in the table.
  CHECK(resolver::image_list_text(minor, "hauler", "r").find("kube-scheduler") == std::string::npos);
  CHECK(resolver::image_list_text(minor, "table", "r").find(repo + ":<unknown>") != std::string::npos);
  auto json = Json::parse(resolver::image_list_text(minor, "json", "r"));
  bool named = false;
  for (const auto& i : json["images"]) {
    named = named || (i["name"] == "kube-scheduler" && i.contains("unresolved"));
  }
  CHECK(named);
  // A mirror and a lock name it instead of copying a guess.
  uncovered.clear();
  auto scheduler_view = hami("1.33", Json::object());
  auto images = resolver::deployed_images(scheduler_view, resolver::recipe_images(scheduler_view, {}, uncovered), uncovered);
  REQUIRE(uncovered.size() == 1);
  CHECK(uncovered[0].starts_with("hami 2.10.0 (image kube-scheduler: its tag is the cluster's Kubernetes version"));
  CHECK(std::none_of(images.begin(), images.end(), [&](const resolver::ImageReference& r) { return r.path == repo; }));

  // A tag in the values wins, and needs no Kubernetes version.
  uncovered.clear();
  auto pinned = resolver::recipe_images(
      hami("", Json::parse(R"({"scheduler": {"kubeScheduler": {"image": {"tag": "v1.32.4"}}}})")), {}, uncovered);
  CHECK(find(pinned, "kube-scheduler").reference.str() == repo + ":v1.32.4");
  CHECK(find(pinned, "kube-scheduler").unresolved.empty());
  auto none = resolver::recipe_images(hami("", Json::object()), {}, uncovered);
  CHECK(find(none, "kube-scheduler").unresolved.find("names no Kubernetes version") != std::string::npos);
}

TEST_CASE("images that download when they run are named, at the recipe's values", "[resolver][images]") {
  std::vector<std::string> uncovered;
  // The driver compiles against the node kernel (OS packages) unless precompiled; the trainer's
  // runtime installer (deployed with the default runtimes) installs kubectl with apk.
  auto images = resolver::recipe_images(
      view_of({component("gpu-operator", "v26.7.0", Json::parse(R"({"driver": {"enabled": true}})")),
               component("kubeflow-trainer", "2.3.0", Json::parse(R"({"runtimes": {"defaultEnabled": true}})"))}),
      {}, uncovered);
  CHECK(find(images, "driver").fetches_at_run_time.find("driver.repoConfig.configMapName") != std::string::npos);
  CHECK(find(images, "runtime-installer").fetches_at_run_time.starts_with("kubectl, installed by the hook Job"));
  CHECK(find(images, "controller-manager").fetches_at_run_time.empty());
  auto lines = resolver::run_time_fetches(images);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].starts_with("gpu-operator v26.7.0 image driver (nvcr.io/nvidia/driver:"));
  CHECK(lines[0].ends_with("; mirroring the image does not bring that into an air-gapped cluster"));
  CHECK(lines[1].starts_with("kubeflow-trainer 2.3.0 image runtime-installer (docker.io/alpine:3.21) downloads when it runs: kubectl"));

  // Precompiled drivers download nothing; an image not deployed is not named.
  images = resolver::recipe_images(
      view_of({component("gpu-operator", "v26.7.0", Json::parse(R"({"driver": {"enabled": true, "usePrecompiled": true}})")),
               component("kubeflow-trainer", "2.3.0", Json::parse(R"({"runtimes": {"defaultEnabled": false}})"))}),
      {}, uncovered);
  CHECK(find(images, "driver").fetches_at_run_time.empty());
  CHECK_FALSE(find(images, "runtime-installer").deployed);
  CHECK(resolver::run_time_fetches(images).empty());
}

TEST_CASE("lint of given lists: fetchesAtRunTime conditions are values paths", "[resolver][images]") {
  const std::map<std::string, std::vector<std::string>> versions = {{"kata-deploy", {"4.1.0"}}};
  auto list = [](const std::string& fetches) {
    return kata_list("    - name: a\n      image: \"quay.io/kata-containers/kata-deploy:4.1.0\"\n      fetchesAtRunTime:\n" + fetches);
  };
  CHECK(resolver::lint_image_lists(list("        what: \"packages\"\n        when: [\"monitor.enabled\"]\n"), versions, {}).empty());
  auto problems = resolver::lint_image_lists(list("        what: \"packages\"\n        when: [\"no.such.key\"]\n"), versions, {});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("spec.images[0].fetchesAtRunTime.when: values path \"no.such.key\" does not exist") != std::string::npos);
  // Without what, or with an empty one, the list breaks the schema.
  CHECK_THROWS_AS(resolver::lint_image_lists(list("        when: [\"monitor.enabled\"]\n"), versions, {}), core::Error);
  CHECK_THROWS_AS(resolver::lint_image_lists(list("        what: \"\"\n"), versions, {}), core::Error);
}
