#include <catch2/catch.hpp>

#include "render/render.hpp"
#include "resolver/catalog.hpp"
#include "resolver/resolver.hpp"
#include "test_recipes.hpp"

using namespace galley;
using core::Json;
using namespace galley::test;  // the recipes and bundle helpers of test_recipes.hpp

TEST_CASE("argocd and flux bundles need the git location they will live in", "[render][options]") {
  render::Options o;
  o.deployer = render::Deployer::argocd;
  CHECK_THAT(error_of(h100(), o), Catch::Contains("the repository URL"));
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

TEST_CASE("each deployer's README part comes from its templates", "[render][deployers]") {
  render::Options o;
  o.repo_url = "https://git.example.com/g.git";
  auto helm = render::render(h100(), o);
  const std::string& readme = helm.files.at("README.md").bytes;
  CHECK(readme.starts_with("# " + h100()["metadata"]["name"].get<std::string>() + ": Helm bundle\n"));
  CHECK(readme.find("- `deploy.sh` / `undeploy.sh`: one `helm upgrade --install`") != std::string::npos);
  CHECK(readme.ends_with("1. `./deploy.sh --dry-run    # see what would be installed`\n2. `./deploy.sh`\n"
                         "3. `./undeploy.sh    # later, to remove everything`\n\n"));
  o.deployer = render::Deployer::flux;
  o.path = "clusters/a";
  o.templates = {{"flux/readme-steps.md", "1. `push to {{repoUrl}} {{revision}}:{{path}}`\n"}};
  auto flux = render::render(h100(), o);
  CHECK(flux.files.at("README.md").bytes.ends_with("1. `push to https://git.example.com/g.git main:clusters/a`\n\n"));
}
