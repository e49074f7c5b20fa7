#include "test_catalog.hpp"

namespace galley::test {

std::string document(const std::string& kind, const std::string& name, const std::string& spec) {
  return "apiVersion: galley.dev/v1alpha1\nkind: " + kind + "\nmetadata:\n  name: " + name + "\nspec:\n" + spec;
}

std::string values_patch(const std::string& name, const std::string& component, const std::string& values) {
  std::string spec = "  componentRefs:\n    - name: " + component + "\n      values:\n";
  std::size_t from = 0;
  while (from < values.size()) {
    std::size_t end = values.find('\n', from);
    end = end == std::string::npos ? values.size() : end + 1;
    spec += "        " + values.substr(from, end - from);
    from = end;
  }
  return document("OverlayPatch", name, spec);
}

namespace {
// A helm Component document: its chart is named like the component; `rest` follows the namespace.
std::string helm_component(const std::string& name, const std::string& repository, const std::string& ns,
                           const std::string& rest) {
  return document("Component", name,
                  "  type: helm\n  chart: " + name + "\n  repository: " + repository + "\n  namespace: " + ns + "\n" +
                      rest);
}
}  // namespace

resolver::CatalogSource small_catalog() {
  resolver::CatalogSource s;
  s.root = "cat";
  s.files["registry.yaml"] = document("Registry", "test", R"(  criteria:
    service: [{name: eks, description: EKS}, {name: gke, description: GKE}]
    accelerator: [{name: h100, description: H100}, {name: gb200, description: GB200}]
    os: [{name: ubuntu, description: Ubuntu}]
    intent: [{name: training, description: T}, {name: inference, description: I}]
    platform: [{name: kubeflow, description: K}]
)");
  s.files["components/cert-manager.yaml"] =
      helm_component("cert-manager", "https://charts.jetstack.io", "cert-manager", R"(  healthChecks:
    - {kind: Deployment, name: cert-manager}
    - {kind: CustomResourceDefinition, name: certificates.cert-manager.io}
  versions: [{version: "v1.20.0"}, {version: "v1.21.1", requires: {kubernetes: ">=1.29"}}]
)");
  const std::string nvidia_charts = "https://helm.ngc.nvidia.com/nvidia";
  s.files["components/gpu-operator.yaml"] = helm_component("gpu-operator", nvidia_charts, "gpu-operator", R"(  gpuNodes: true
  versions:
    - {version: "v26.3.0", requires: {kubernetes: ">=1.30", components: {cert-manager: ">=1.20"}}}
    - {version: "v25.10.1", requires: {kubernetes: ">=1.29", components: {cert-manager: "*"}}}
)");
  s.files["components/nvidia-dra-driver-gpu.yaml"] =
      helm_component("nvidia-dra-driver-gpu", nvidia_charts, "nvidia-dra-driver-gpu", R"(  versions:
    - {version: "25.12.0", requires: {kubernetes: ">=1.34", components: {gpu-operator: ">=26.3"}}}
    - {version: "25.8.1", requires: {kubernetes: ">=1.32", components: {gpu-operator: ">=25.10, <26"}}}
)");
  s.files["components/karpenter.yaml"] =
      helm_component("karpenter", "oci://public.ecr.aws/karpenter/karpenter", "kube-system", R"(  versions:
    - {version: "1.11.0"}
    - {version: "1.10.2"}
    - {version: "1.9.0", requires: {accelerators: [gb200]}}
)");
  s.files["overlays/base.yaml"] = document("Overlay", "base", R"(  constraints:
    - {name: kubernetes.version, value: ">=1.29"}
  componentRefs:
    - name: cert-manager
      valuesFiles: [values/cert-manager/base.yaml]
    - name: gpu-operator
      valuesFiles: [values/gpu-operator/base.yaml]
)");
  s.files["overlays/eks.yaml"] = document("Overlay", "eks", R"(  base: base
  criteria:
    service: eks
  constraints:
    - {name: kubernetes.version, value: ">=1.30"}
  componentRefs:
    - name: karpenter
    - name: gpu-operator
      values:
        driver:
          version: "580.95.05"
        tolerations: [{key: a}]
)");
  s.files["overlays/eks-training.yaml"] = document("Overlay", "eks-training", R"(  base: eks
  criteria:
    service: eks
    intent: training
  componentRefs:
    - name: nvidia-dra-driver-gpu
)");
  s.files["overlays/eks-h100-training.yaml"] = document("Overlay", "eks-h100-training", R"(  base: eks-training
  criteria:
    service: eks
    accelerator: h100
    intent: training
  componentRefs:
    - name: gpu-operator
      values:
        mig:
          strategy: single
        tolerations: []
        dcgm: null
)");
  s.files["overlays/gke.yaml"] = document("Overlay", "gke", R"(  base: base
  criteria:
    service: gke
  componentRefs:
    - name: gpu-operator
      version: "<26"
      values:
        driver:
          enabled: false
)");
  s.files["values/cert-manager/base.yaml"] = "crds:\n  enabled: true\n";
  s.files["values/gpu-operator/base.yaml"] =
      "driver:\n  enabled: true\n  version: \"570.172.08\"\nmig:\n  strategy: none\ndcgm:\n  enabled: true\n";
  s.files["advisories/karpenter-1-11-0.yaml"] = document("Advisory", "karpenter-1-11-0", R"(  summary: CPU regression
  source: https://example.com/karpenter
  published: "2026-10-01"
  severity: high
  action: hold at 1.10.x
  component: {name: karpenter, versions: "=1.11.0"}
)");
  return s;
}

std::shared_ptr<const resolver::Catalog> load(const resolver::CatalogSource& source) {
  return resolver::load_catalog({source});
}

resolver::Criteria criteria(std::initializer_list<std::pair<const std::string, std::string>> fields) {
  resolver::Criteria c;
  c.fields = fields;
  return c;
}

core::Json eks_training_recipe() {
  return resolver::resolve(*load(small_catalog()),
                           criteria({{"service", "eks"}, {"intent", "training"}, {"kubernetes", "1.34"}}));
}

}  // namespace galley::test
