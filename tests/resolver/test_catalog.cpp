#include "test_catalog.hpp"

namespace galley::test {

resolver::CatalogSource small_catalog() {
  resolver::CatalogSource s;
  s.root = "cat";
  s.files["registry.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Registry
metadata:
  name: test
spec:
  criteria:
    service: [{name: eks, description: EKS}, {name: gke, description: GKE}]
    accelerator: [{name: h100, description: H100}, {name: gb200, description: GB200}]
    os: [{name: ubuntu, description: Ubuntu}]
    intent: [{name: training, description: T}, {name: inference, description: I}]
    platform: [{name: kubeflow, description: K}]
)";
  s.files["components/cert-manager.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Component
metadata:
  name: cert-manager
spec:
  type: helm
  chart: cert-manager
  repository: https://charts.jetstack.io
  namespace: cert-manager
  healthChecks:
    - {kind: Deployment, name: cert-manager}
    - {kind: CustomResourceDefinition, name: certificates.cert-manager.io}
  versions:
    - version: "v1.20.0"
    - version: "v1.21.1"
      requires:
        kubernetes: ">=1.29"
)";
  s.files["components/gpu-operator.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Component
metadata:
  name: gpu-operator
spec:
  type: helm
  chart: gpu-operator
  repository: https://helm.ngc.nvidia.com/nvidia
  namespace: gpu-operator
  gpuNodes: true
  versions:
    - version: "v26.3.0"
      requires:
        kubernetes: ">=1.30"
        components: {cert-manager: ">=1.20"}
    - version: "v25.10.1"
      requires:
        kubernetes: ">=1.29"
        components: {cert-manager: "*"}
)";
  s.files["components/nvidia-dra-driver-gpu.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Component
metadata:
  name: nvidia-dra-driver-gpu
spec:
  type: helm
  chart: nvidia-dra-driver-gpu
  repository: https://helm.ngc.nvidia.com/nvidia
  namespace: nvidia-dra-driver-gpu
  versions:
    - version: "25.12.0"
      requires:
        kubernetes: ">=1.34"
        components: {gpu-operator: ">=26.3"}
    - version: "25.8.1"
      requires:
        kubernetes: ">=1.32"
        components: {gpu-operator: ">=25.10, <26"}
)";
  s.files["components/karpenter.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Component
metadata:
  name: karpenter
spec:
  type: helm
  chart: karpenter
  repository: oci://public.ecr.aws/karpenter/karpenter
  namespace: kube-system
  versions:
    - version: "1.11.0"
    - version: "1.10.2"
    - version: "1.9.0"
      requires:
        accelerators: [gb200]
)";
  s.files["overlays/base.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Overlay
metadata:
  name: base
spec:
  constraints:
    - {name: kubernetes.version, value: ">=1.29"}
  componentRefs:
    - name: cert-manager
      valuesFiles: [values/cert-manager/base.yaml]
    - name: gpu-operator
      valuesFiles: [values/gpu-operator/base.yaml]
)";
  s.files["overlays/eks.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Overlay
metadata:
  name: eks
spec:
  base: base
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
)";
  s.files["overlays/eks-training.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Overlay
metadata:
  name: eks-training
spec:
  base: eks
  criteria:
    service: eks
    intent: training
  componentRefs:
    - name: nvidia-dra-driver-gpu
)";
  s.files["overlays/eks-h100-training.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Overlay
metadata:
  name: eks-h100-training
spec:
  base: eks-training
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
)";
  s.files["overlays/gke.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Overlay
metadata:
  name: gke
spec:
  base: base
  criteria:
    service: gke
  componentRefs:
    - name: gpu-operator
      version: "<26"
      values:
        driver:
          enabled: false
)";
  s.files["values/cert-manager/base.yaml"] = "crds:\n  enabled: true\n";
  s.files["values/gpu-operator/base.yaml"] =
      "driver:\n  enabled: true\n  version: \"570.172.08\"\nmig:\n  strategy: none\ndcgm:\n  enabled: true\n";
  s.files["advisories/karpenter-1-11-0.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Advisory
metadata:
  name: karpenter-1-11-0
spec:
  summary: CPU regression
  source: https://example.com/karpenter
  published: "2026-10-01"
  severity: high
  action: hold at 1.10.x
  component: {name: karpenter, versions: "=1.11.0"}
)";
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

}  // namespace galley::test
