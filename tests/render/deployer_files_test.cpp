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

namespace {
render::Options argocd_options() {
  render::Options o;
  o.deployer = render::Deployer::argocd;
  o.repo_url = "https://git.example.com/gitops.git";
  return o;
}
std::string text_of(const bundle::Bundle& b, const std::string& path) { return b.files.at(path).bytes; }
}  // namespace

TEST_CASE("argocd options default to Argo CD's own and are recorded only when set", "[render][options][argocd]") {
  auto plain = render::render(h100(), argocd_options());
  std::string app = text_of(plain, dir_of(plain, "gpu-operator") + "/application.yaml");
  CHECK_THAT(app, Catch::Contains("  namespace: argocd\n") && Catch::Contains("  project: default\n") &&
                      Catch::Contains("    server: https://kubernetes.default.svc\n"));
  CHECK_THAT(text_of(plain, "bundle.yaml"), !Catch::Contains("argocdProject") && !Catch::Contains("destination"));

  auto o = argocd_options();
  o.argocd_project = "gpu";
  o.destination_name = "spoke-1";
  o.argocd_namespace = "gitops";
  auto b = render::render(h100(), o);
  app = text_of(b, dir_of(b, "gpu-operator") + "/application.yaml");
  CHECK_THAT(app, Catch::Contains("  namespace: gitops\n") && Catch::Contains("  project: gpu\n") &&
                      Catch::Contains("    name: spoke-1\n") && !Catch::Contains("server:"));
  std::string root = text_of(b, "app-of-apps.yaml");  // the root stays on the hub, in the Applications' namespace
  CHECK_THAT(root, Catch::Contains("    server: https://kubernetes.default.svc\n    namespace: gitops\n"));
  CHECK_THAT(text_of(b, "argocd-cm-health.yaml"), Catch::Contains("  namespace: gitops\n"));
  CHECK_THAT(text_of(b, "README.md"), Catch::Contains("kubectl apply -n gitops -f app-of-apps.yaml") &&
                                          Catch::Contains("galley publish") && Catch::Contains("enableOCI"));
  CHECK_THAT(text_of(b, "bundle.yaml"), Catch::Contains("argocdProject: gpu") && Catch::Contains("destinationName: spoke-1") &&
                                            Catch::Contains("argocdNamespace: gitops"));

  o = argocd_options();
  o.destination_server = "https://spoke.example.com:6443";
  b = render::render(h100(), o);
  CHECK_THAT(text_of(b, dir_of(b, "gpu-operator") + "/application.yaml"),
             Catch::Contains("    server: https://spoke.example.com:6443\n"));
}

TEST_CASE("argocd destination is a server or a name, and argocd options only go to argocd", "[render][options][argocd]") {
  auto o = argocd_options();
  o.destination_server = "https://a";
  o.destination_name = "b";
  CHECK_THAT(error_of(h100(), o), Catch::Contains("not both"));
  render::Options helm;
  helm.argocd_namespace = "gitops";
  CHECK_THAT(error_of(h100(), helm), Catch::Contains("only for argocd bundles"));
}

TEST_CASE("a helm bundle's kube context is checked by deploy.sh and recorded", "[render][options][helm]") {
  render::Options o;
  auto plain = render::render(h100(), o);
  CHECK_THAT(text_of(plain, "deploy.sh"), Catch::Contains("bundle_context=''"));
  CHECK_THAT(text_of(plain, "bundle.yaml"), !Catch::Contains("kubeContext"));
  o.kube_context = "arn:aws:eks:us-east-1:1:cluster/prod";
  auto b = render::render(h100(), o);
  CHECK_THAT(text_of(b, "deploy.sh"), Catch::Contains("bundle_context='arn:aws:eks:us-east-1:1:cluster/prod'"));
  CHECK_THAT(text_of(b, "bundle.yaml"), Catch::Contains("kubeContext: arn:aws:eks:us-east-1:1:cluster/prod"));
  // no empty-array expansion under set -u (bash 3.2 refuses "${a[@]}" on an empty array)
  CHECK_THAT(text_of(b, "deploy.sh"), !Catch::Contains("\"${dry_run[@]}\" ") && Catch::Contains("${dry_run[@]+\"${dry_run[@]}\"}"));
  o.kube_context = "prod'; rm -rf /";
  CHECK_THAT(error_of(h100(), o), Catch::Contains("kube-context"));
  auto a = argocd_options();
  a.kube_context = "prod";
  CHECK_THAT(error_of(h100(), a), Catch::Contains("only for helm bundles"));
}
